"""The public ledger's figures (台帐统计) for a unit's section and a period.

What is counted: ``Opinion.objects.counted()`` — never members-only opinions, and a merged
duplicate once (in the opinion it joined). Hidden opinions are counted, and their number is
shown by reason.

The period is of ``received_on``, the date an opinion was received (an offline opinion's too,
which an officer may enter days later): the figures follow the opinions received in it to
where their handling stands today.

Everything comes from four grouped aggregate queries (by unit; by date received; by date
answered; the hidden ones by unit and reason), whatever the number of opinions; Python adds up
groups, never opinions.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Prefetch, Q, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from disclosure_pages.models import UnitPage

from .choices import AnswerStatus, HiddenReason, Moderation, Satisfaction, State
from .models import Answer, LedgerVersion, Opinion
from .working_days import working_day_numbers

PRESETS = ("month", "quarter", "year")
# Months a chart shows at most (the latest).
MAX_MONTHS = 36


@dataclass(frozen=True)
class Period:
    """Dates received, both included; ``None`` leaves that end open."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def preset(cls, name, today=None):
        """This month, quarter or year, up to today."""
        today = today or timezone.localdate()
        if name == "month":
            return cls(today.replace(day=1), today)
        if name == "quarter":
            return cls(today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today)
        if name == "year":
            return cls(today.replace(month=1, day=1), today)
        raise ValueError(name)

    def filter(self, opinions):
        if self.start:
            opinions = opinions.filter(received_on__gte=self.start)
        if self.end:
            opinions = opinions.filter(received_on__lte=self.end)
        return opinions


def fixed_utc_offset():
    """The current time zone's offset from UTC in seconds if it is the same all year (no
    daylight saving, as in China), else None."""
    zone = timezone.get_current_timezone()
    year = timezone.now().year
    offsets = {zone.utcoffset(timezone.datetime(year, month, 1)) for month in (1, 7)}
    return int(offsets.pop().total_seconds()) if len(offsets) == 1 else None


def local_date(name):
    """The local calendar date of the datetime column ``name``.

    Django's ``TruncDate`` does it on SQLite with a Python function called for each row (a
    second for 100,000 opinions); SQLite's own ``date()`` shifted by a fixed offset is exact
    where the offset is fixed. Elsewhere (PostgreSQL), the database's own conversion.
    """
    offset = fixed_utc_offset() if connection.vendor == "sqlite" else None
    if offset is None:
        return TruncDate(name)
    return Func(F(name), Value(f"{offset:+d} seconds"), function="date", output_field=DateField())


def counts(today):
    """The counts of one group of opinions, as aggregate expressions."""
    answered = State.answered()
    conditions = {
        "received": Q(),
        "published": Q(moderation=Moderation.PUBLISHED),
        "closed": Q(state=State.CLOSED),
        "answered": Q(state=State.ANSWERED),
        "in_progress": ~Q(state__in=State.ended()),
        "not_adopted": Q(state=State.NOT_ADOPTED),
        "not_feasible": Q(state=State.NOT_FEASIBLE),
        "satisfied": Q(satisfaction=Satisfaction.SATISFIED),
        "basic": Q(satisfaction=Satisfaction.BASIC),
        "unsatisfied": Q(satisfaction=Satisfaction.UNSATISFIED),
        "ever_answered": Q(answered_at__isnull=False),
        "sent_back": Q(returned_count__gt=0),
        # Due: a deadline that has come (answered, or past it unanswered); on time: answered by it.
        "due": Q(deadline__isnull=False) & (Q(state__in=answered) | Q(deadline__lt=today)),
        "on_time": Q(deadline__isnull=False, state__in=answered) & Q(LessThanOrEqual(local_date("answered_at"), F("deadline"))),
    }
    return {name: Count("pk", filter=condition) if condition else Count("pk") for name, condition in conditions.items()}


def rate(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Figures:
    """The counts of a section (or one sub-unit's) and the rates derived from them."""

    received: int = 0
    published: int = 0  # the public list's length, unfiltered
    closed: int = 0
    answered: int = 0
    in_progress: int = 0
    not_adopted: int = 0
    not_feasible: int = 0
    satisfied: int = 0
    basic: int = 0
    unsatisfied: int = 0
    ever_answered: int = 0
    sent_back: int = 0
    due: int = 0
    on_time: int = 0
    hidden: dict = field(default_factory=lambda: dict.fromkeys(HiddenReason.values, 0))
    # Average working days from receipt to the (first approved) answer; set for a whole section.
    average_days: float | None = None

    def add(self, row):
        for name, value in row.items():
            if name.startswith("hidden_"):
                reason = name.removeprefix("hidden_")
                self.hidden[reason] = self.hidden.get(reason, 0) + value
            elif hasattr(self, name) and name != "hidden":
                setattr(self, name, getattr(self, name) + value)

    @property
    def ended(self):
        return self.closed + self.not_adopted + self.not_feasible

    @property
    def rated(self):
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def on_time_rate(self):
        return rate(self.on_time, self.due)

    @property
    def satisfaction_rate(self):
        """满意 and 基本满意 among the rated answers."""
        return rate(self.satisfied + self.basic, self.rated)

    @property
    def sent_back_rate(self):
        """发回重办: sent back once or more, among those ever answered."""
        return rate(self.sent_back, self.ever_answered)

    @property
    def hidden_total(self):
        return sum(self.hidden.values())

    def hidden_by_reason(self):
        return [(HiddenReason(reason).label, count) for reason, count in self.hidden.items() if count]


@dataclass
class Month:
    month: date
    received: int = 0
    published: int = 0  # the public list's length, unfiltered
    closed: int = 0


@dataclass
class Ledger:
    unit: UnitPage
    period: Period
    totals: Figures
    # (child unit, its section's figures), in tree order; ``own`` counts the unit's own opinions.
    breakdown: list
    own: Figures
    months: list
    states: list = field(default_factory=list)


def section_units(unit):
    """Paths of the units in ``unit``'s section, by id (the unit included)."""
    return dict(UnitPage.objects.filter(path__startswith=unit.path, locale_id=unit.locale_id).values_list("pk", "path"))


def in_section(opinions, unit, paths):
    """``opinions`` handled in ``unit``'s section (``paths``: ``section_units``). The whole tree
    needs no filter, and without one the public list reads its index in its order."""
    if not UnitPage.objects.filter(locale_id=unit.locale_id).exclude(path__startswith=unit.path).exists():
        return opinions
    return opinions.filter(unit_id__in=list(paths))


# Seconds cached figures are kept at most (any change to opinions makes them obsolete at once: LedgerVersion).
CACHE_SECONDS = 3600


def ledger(unit, period=Period(), today=None):
    """The figures of ``unit``'s section (a default-locale unit) for opinions received in ``period``.

    Cached under the ledger's version: a county-wide count over 100,000 opinions takes some
    hundred milliseconds, and the figures change only when an opinion or answer does.
    """
    today = today or timezone.localdate()
    key = f"participation:ledger:{LedgerVersion.current()}:{unit.pk}:{period.start}:{period.end}:{today}"
    figures = cache.get(key)
    if figures is None:
        figures = _ledger(unit, period, today)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _ledger(unit, period, today):
    paths = section_units(unit)
    # By unit, always: the figures' index leads with the unit, then the date received.
    opinions = period.filter(Opinion.objects.counted().filter(unit_id__in=list(paths))).order_by()

    children = list(UnitPage.objects.child_of(unit).filter(locale_id=unit.locale_id).order_by("path"))
    by_path = {child.path: Figures() for child in children}
    totals, own = Figures(), Figures()
    def add(unit_id, row):
        path = paths[unit_id]
        totals.add(row)
        (by_path.get(path[: len(unit.path) + unit.steplen]) or own).add(row)

    for row in opinions.values("unit_id").annotate(**counts(today)):
        add(row.pop("unit_id"), row)
    # Hidden ones apart: few, found through the moderation index.
    hidden = opinions.filter(moderation=Moderation.HIDDEN).values_list("unit_id", "hidden_reason").annotate(count=Count("pk"))
    for unit_id, reason, count in hidden:
        add(unit_id, {f"hidden_{reason}": count})

    # By date received: the months' bars; with the answered ones by date answered, the handling times.
    months, received_days = {}, {}
    by_day = opinions.values("received_on").annotate(
        received=Count("pk"), closed=Count("pk", filter=Q(state=State.CLOSED)), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    for row in by_day:
        day = row["received_on"]
        month = months.setdefault(day.replace(day=1), Month(day.replace(day=1)))
        month.received += row["received"]
        month.closed += row["closed"]
        if row["answered"]:
            received_days[day] = row["answered"]
    answered_days = (
        dict(opinions.filter(answered_at__isnull=False).values_list(local_date("answered_at")).annotate(count=Count("pk")))
        if received_days else {}
    )
    totals.average_days = average_working_days(received_days, answered_days)

    return Ledger(
        unit=unit,
        period=period,
        totals=totals,
        breakdown=[(child, by_path[child.path]) for child in children],
        own=own,
        months=filled_months(months, period),
        states=state_shares(totals),
    )


def state_shares(figures):
    """How the opinions received stand now, for the chart: (label, count) — not yet answered
    (受理, 交办, 办理中 together), answered, and the three ends."""
    return [
        (State.IN_PROGRESS.label, figures.in_progress - figures.answered),
        (State.ANSWERED.label, figures.answered),
        (State.CLOSED.label, figures.closed),
        (State.NOT_ADOPTED.label, figures.not_adopted),
        (State.NOT_FEASIBLE.label, figures.not_feasible),
    ]


def average_working_days(received_days, answered_days):
    """Average working days from receipt to answer, from the answered opinions counted by the
    date they were received and by the date they were answered: a sum of differences of
    working-day numbers is the difference of the sums."""
    if not answered_days:
        return None
    numbers = working_day_numbers(min(received_days), max(max(answered_days), max(received_days)))
    total = sum(numbers[day] * count for day, count in answered_days.items()) - sum(
        numbers[day] * count for day, count in received_days.items()
    )
    return round(max(total, 0) / sum(answered_days.values()), 1)


def filled_months(months, period):
    """The months of the period in order, the empty ones too (a chart's gaps are information);
    the last ``MAX_MONTHS`` of them at most."""
    if not months:
        return []
    first, last = min(months), max(months)
    if period.start:
        first = min(first, period.start.replace(day=1))
    if period.end:
        last = max(last, min(period.end, timezone.localdate()).replace(day=1))
    filled, month = [], last
    while month >= first and len(filled) < MAX_MONTHS:
        filled.append(months.get(month) or Month(month))
        month = (month - timedelta(days=1)).replace(day=1)
    return filled[::-1]


# -- the public list ---------------------------------------------------------------------------


def approved_answers():
    """For ``prefetch_related``: each opinion's approved answer, newest first (``opinion.approved``)."""
    return Prefetch(
        "answers", queryset=Answer.objects.filter(status=AnswerStatus.APPROVED).order_by("-decided_at", "-pk"), to_attr="approved"
    )


def public_opinions(unit, period=Period(), state=None, channel=None, item=None):
    """The public opinions of ``unit``'s section received in ``period``, newest first, with their
    units, items and approved answers (``Opinion.objects.public()``: the one rule for public surfaces)."""
    opinions = period.filter(in_section(Opinion.objects.public(), unit, section_units(unit)))
    if state:
        opinions = opinions.filter(state=state)
    if channel:
        opinions = opinions.filter(channel=channel)
    if item is not None:
        opinions = opinions.filter(item=item)
    return opinions.select_related("unit", "item").prefetch_related(approved_answers()).order_by("-received_on", "-pk")


def public_opinion(number):
    """The public opinion with this 受理编号, or None."""
    return Opinion.objects.public().filter(number=number).select_related("unit", "item").prefetch_related(approved_answers()).first()


def publicly_answered(opinions):
    """Those of ``opinions`` (a queryset) whose answer anyone may read now, as an opinion's public
    page shows it: public opinions with an approved answer, each with ``approved`` (newest first)."""
    return (
        opinions.public().filter(Exists(Answer.objects.filter(opinion=OuterRef("pk"), status=AnswerStatus.APPROVED)))
        .select_related("unit", "received_by", "item", "item__locale").prefetch_related(approved_answers())
    )
