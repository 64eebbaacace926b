"""考核: each unit's scorecard for a period (a quarter or a year), kept as ``ScoreRow``.

Parts, each a rate out of 100 or None when the unit has nothing to rate:

- 按时公开率: obligations disclosed on time among those counted (``ObligationStatus.counted()``);
- 公开完整率: obligations disclosed at all (on time or late) among those counted;
- 意见按时办结率 and 意见满意率: participation's own ledger definitions (``participation.figures``),
  over the opinions the unit received in the period, when participation is installed;
- 评议得分: ``supervision.evaluation.unit_scores``.

An obligation belongs to the period its deadline (``due_on``) falls in; a finding to the period
of its date. The total is the weighted mean of the parts present (a missing part's weight is
shared out among the others, so a unit without opinions is comparable with one with them),
scaled to the sum of the county's weights, less each finding's deduction, never below 0.

Each part is one grouped query for the whole county, whatever its number of units.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage

from . import evaluation
from .choices import ObligationStatus
from .models import Finding, Obligation, ScoreRow, SupervisionRules
from .periods import add_months, span_label


@dataclass(frozen=True)
class Level:
    """A group of units ranked together."""

    key: str
    label: str
    unit_types: tuple


LEVELS = (
    Level("township", _("乡镇党委"), (UnitType.TOWNSHIP,)),
    Level("department", _("县直部门党组（党委）"), (UnitType.DEPARTMENT,)),
    Level("village", _("村（社区）党支部"), (UnitType.VILLAGE, UnitType.COMMUNITY)),
)

# (ScoreRow field, SupervisionRules weight field, label) for each rated part.
PARTS = (
    ("on_time_rate", "weight_on_time", _("按时公开率")),
    ("completeness", "weight_completeness", _("公开完整率")),
    ("opinions_on_time", "weight_opinions", _("意见按时办结率")),
    ("satisfaction", "weight_satisfaction", _("意见满意率")),
    ("evaluation", "weight_evaluation", _("评议得分")),
)


def level_of(unit_type):
    return next((level for level in LEVELS if unit_type in level.unit_types), None)


# -- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentPeriod:
    """A year, or one quarter of it."""

    year: int
    quarter: int | None = None

    @property
    def start(self):
        return datetime.date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def end(self):
        return add_months(self.start, 12 if self.quarter is None else 3) - datetime.timedelta(days=1)

    @property
    def label(self):
        return span_label(self.start, self.end)

    def query(self):
        return f"year={self.year}" + (f"&quarter={self.quarter}" if self.quarter else "")

    @classmethod
    def from_params(cls, params, today=None):
        """The period a request asks for (``year``, ``quarter``); this year, whole, for anything unusable."""
        today = today or timezone.localdate()
        try:
            year = int(params.get("year", ""))
        except (TypeError, ValueError):
            year = today.year
        if not 2000 <= year <= today.year + 1:
            year = today.year
        quarter = params.get("quarter", "")
        quarter = int(quarter) if quarter in ("1", "2", "3", "4") else None
        return cls(year, quarter)


# -- units of a county ---------------------------------------------------------------------


def county_units(county):
    """The units assessed in ``county`` (default locale, the county itself excluded), in tree order."""
    return list(
        UnitPage.objects.filter(path__startswith=county.path, depth__gt=county.depth, locale=Locale.get_default()).order_by("path")
    )


def sections_of(county, units):
    """{unit id: the township or department it is counted under} (a unit at the top counts under itself)."""
    top = {unit.path: unit for unit in units if unit.depth == county.depth + 1}
    length = len(county.path) + county.steplen
    return {unit.pk: top.get(unit.path[:length], unit) for unit in units}


# -- the parts -------------------------------------------------------------------------------


def obligation_counts(unit_ids, start, end):
    """{unit id: {on_time, late, missing}} of the obligations due in the period."""
    rows = (
        Obligation.objects.filter(unit_id__in=unit_ids, due_on__range=(start, end), status__in=ObligationStatus.counted())
        .order_by()
        .values("unit_id")
        .annotate(
            on_time=Count("pk", filter=Q(status=ObligationStatus.ON_TIME)),
            late=Count("pk", filter=Q(status=ObligationStatus.LATE)),
            missing=Count("pk", filter=Q(status=ObligationStatus.MISSING)),
        )
    )
    return {row.pop("unit_id"): row for row in rows}


def opinion_figures(unit_ids, start, end, today=None):
    """{unit id: participation ``Figures``} of the opinions each unit received in the period, or {} without participation."""
    if not apps.is_installed("participation"):
        return {}
    from participation.figures import Figures, counts
    from participation.models import Opinion

    today = today or timezone.localdate()
    rows = (
        Opinion.objects.counted().filter(unit_id__in=unit_ids, received_on__range=(start, end))
        .order_by().values("unit_id").annotate(**counts(today))
    )
    figures = {}
    for row in rows:
        figures.setdefault(row.pop("unit_id"), Figures()).add(row)
    return figures


def evaluation_scores(units, start, end):
    """{unit id: 评议得分 or None}."""
    return evaluation.unit_scores(units, start, end)


def finding_counts(unit_ids, start, end):
    return dict(
        Finding.objects.filter(unit_id__in=unit_ids, found_on__range=(start, end)).order_by().values("unit_id").annotate(n=Count("pk")).values_list("unit_id", "n")
    )


def county_findings(county):
    return Finding.objects.filter(unit__path__startswith=county.path).select_related("unit", "obligation__entry")


# -- arithmetic ------------------------------------------------------------------------------

ONE_DECIMAL = Decimal("0.1")


def decimal(value):
    return None if value is None else Decimal(str(value)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def percent(part, whole):
    return decimal(100 * part / whole) if whole else None


def total_of(row, rules):
    """The weighted mean of the parts present, on the scale of the weights' sum, less the findings' deductions, at least 0.
    None when the unit has no part to rate."""
    weights = {name: getattr(rules, weight) for name, weight, _label in PARTS}
    present = {name: getattr(row, name) for name in weights if getattr(row, name) is not None}
    present_weight = sum(weights[name] for name in present)
    if not present_weight:
        return None
    mean = sum(Decimal(weights[name]) * value for name, value in present.items()) / present_weight
    total = mean * sum(weights.values()) / 100 - row.findings * rules.finding_deduction
    return decimal(max(total, Decimal(0)))


def rank(rows):
    """Standard competition ranks (1, 2, 2, 4) by total within each level; units with nothing to rate have none."""
    by_level = {}
    for row in rows:
        level = level_of(row.unit.unit_type)
        if level is not None and row.rated:
            by_level.setdefault(level.key, []).append(row)
    for level_rows in by_level.values():
        level_rows.sort(key=lambda row: -row.total)
        for index, row in enumerate(level_rows):
            previous = level_rows[index - 1] if index else None
            row.rank = previous.rank if previous is not None and previous.total == row.total else index + 1


# -- compute and read ------------------------------------------------------------------------


def compute(county, start, end, today=None):
    """Write the ``ScoreRow`` of every unit of ``county`` for the days ``start`` to ``end``; returns them in tree order."""
    rules = SupervisionRules.for_county(county)
    units = county_units(county)
    ids = [unit.pk for unit in units]
    sections = sections_of(county, units)
    obligations = obligation_counts(ids, start, end)
    opinions = opinion_figures(ids, start, end, today)
    evaluation = evaluation_scores(units, start, end)
    findings = finding_counts(ids, start, end)

    rows = []
    for unit in units:
        counted = obligations.get(unit.pk, {"on_time": 0, "late": 0, "missing": 0})
        number = sum(counted.values())
        figures = opinions.get(unit.pk)
        row = ScoreRow(
            unit=unit, section=sections[unit.pk], period_start=start, period_end=end,
            obligations=number, on_time=counted["on_time"], late=counted["late"], missing=counted["missing"],
            on_time_rate=percent(counted["on_time"], number),
            completeness=percent(counted["on_time"] + counted["late"], number),
            opinions_on_time=decimal(figures.on_time_rate) if figures else None,
            satisfaction=decimal(figures.satisfaction_rate) if figures else None,
            evaluation=decimal(evaluation.get(unit.pk)),
            findings=findings.get(unit.pk, 0),
        )
        total = total_of(row, rules)
        row.rated = total is not None
        row.total = total if total is not None else Decimal(0)
        rows.append(row)
    rank(rows)

    now = timezone.now()
    with transaction.atomic():
        ScoreRow.objects.filter(unit_id__in=ids, period_start=start, period_end=end).delete()
        for row in rows:
            row.computed_at = now
        ScoreRow.objects.bulk_create(rows)
    return rows


def is_stale(county, start, end):
    """Whether the county's rows for the period are missing, or older than its newest obligation change or finding."""
    units = UnitPage.objects.filter(path__startswith=county.path, depth__gt=county.depth, locale=Locale.get_default())
    stored = ScoreRow.objects.filter(unit__in=units, period_start=start, period_end=end).aggregate(n=Count("pk"), oldest=Min("computed_at"))
    if stored["n"] != units.count():
        return True
    changed = Obligation.objects.filter(unit__path__startswith=county.path).aggregate(at=Max("updated_at"))["at"]
    found = county_findings(county).aggregate(at=Max("created_at"))["at"]
    return any(at is not None and at > stored["oldest"] for at in (changed, found))


def scorecard(county, start, end):
    """The county's rows for the period, computed afresh when stale, with their units, in tree order."""
    if is_stale(county, start, end):
        compute(county, start, end)
    rows = list(
        ScoreRow.objects.filter(unit__path__startswith=county.path, period_start=start, period_end=end)
        .select_related("unit", "section").order_by("unit__path")
    )
    for row in rows:
        row.rated = row.rank is not None
    return rows


def by_level(rows):
    """[(level, its rows by rank, the unrated last)] for the levels with units."""
    grouped = []
    for level in LEVELS:
        level_rows = [row for row in rows if row.unit.unit_type in level.unit_types]
        if level_rows:
            level_rows.sort(key=lambda row: (row.rank is None, row.rank or 0, row.unit.path))
            grouped.append((level, level_rows))
    return grouped
