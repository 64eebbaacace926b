"""The figures of the public 绩效评估 page: what the county publishes of its assessment.

- 按时公开率: each unit's on-time rate for a year or a quarter, from its obligations
  (应公开事项) due in it: on time ÷ (on time + late + not published). Obligations whose deadline
  has not passed (待公开) and those that do not apply are not counted.
- 评议结果: the results of closed evaluation rounds whose results are 向社会公开.
- 责任追究: the findings the county chose to disclose.

Units are grouped by their section (the township or department they are counted under:
``Obligation.section``; the county for its own). The obligation figures come from one grouped
query over ``Obligation`` and are cached under a version moved on by every change to
obligations, results and findings (``figures_version.py``). The rounds and findings are read on every
request: they decide what may be shown, so they are never served from a cache.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from wagtail.models import Locale

from disclosure_pages.models import UnitPage
from disclosure_pages.templatetags.portal_tags import in_script
from disclosure_pages.visibility import ANONYMOUS, visible_pages

from . import figures_version
from .choices import ObligationStatus
from .models import EvaluationRound, Finding, Obligation, RoundResult, SupervisionRules
from .periods import Span, span_containing

# -- the reader's period and scope --------------------------------------------------------------


def county_unit():
    """The county: the top unit of the tree, in the default locale."""
    return UnitPage.objects.filter(locale=Locale.get_default()).order_by("depth", "path").first()


def years_of(county, today=None):
    """The years a reader may choose: from the year tracking began to this one, newest first."""
    today = today or timezone.localdate()
    first = SupervisionRules.for_county(county).tracking_start.year if county else today.year
    return list(range(today.year, min(first, today.year) - 1, -1))


def period_span(year, quarter):
    """The quarter (1–4) of ``year``, or the whole year when ``quarter`` is None."""
    return span_containing(date(year, 3 * quarter - 2 if quarter else 1, 1), 3 if quarter else 12)


def rate(part, whole):
    """A percentage with one decimal, or None when nothing was counted."""
    return round(100 * part / whole, 1) if whole else None


# -- obligations: one grouped query --------------------------------------------------------------


@dataclass
class Counts:
    on_time: int = 0
    late: int = 0
    missing: int = 0
    due: int = 0  # not yet past its deadline: shown, not counted

    def add(self, other):
        self.on_time += other.on_time
        self.late += other.late
        self.missing += other.missing
        self.due += other.due

    @property
    def counted(self):
        return self.on_time + self.late + self.missing

    @property
    def on_time_rate(self):
        return rate(self.on_time, self.counted)

    def shares(self):
        """On time, late and missing as fractions of the counted (for the stacked bars)."""
        counted = self.counted or 1
        return self.on_time / counted, self.late / counted, self.missing / counted


@dataclass
class UnitRow:
    pk: int
    title: str
    short: str
    counts: Counts = field(default_factory=Counts)
    own: bool = False  # the section's own unit (本级)


@dataclass
class SectionRow:
    pk: int
    title: str
    short: str
    counts: Counts = field(default_factory=Counts)
    units: list = field(default_factory=list)  # UnitRow, the section's own first, then tree order


@dataclass
class ObligationFigures:
    span: Span
    totals: Counts
    sections: list  # SectionRow in tree order, the county's own first
    section_of: dict  # unit id → its section's id, for every unit of the county

    def section(self, pk):
        return next((section for section in self.sections if section.pk == pk), None)


def obligation_figures(county, span):
    """The county's obligation figures for ``span`` in the reader's script, cached under the version."""
    language = "zh-hant" if get_language() == "zh-hant" else "zh-hans"
    key = f"supervision:performance:{figures_version.current()}:{county.pk}:{span.start}:{span.end}:{language}"
    figures = cache.get(key)
    if figures is None:
        figures = _obligation_figures(county, span, language)
        cache.set(key, figures, figures_version.CACHE_SECONDS)
    return figures


def public_units(county):
    """The county's live public units (default locale), in tree order: (pk, path, translation key, title, short name)."""
    return list(
        visible_pages(UnitPage.objects.filter(locale_id=county.locale_id, path__startswith=county.path), ANONYMOUS)
        .order_by("path").values_list("pk", "path", "translation_key", "title", "short_name")
    )


def unit_names(units, language):
    """Unit id → (title, short name) in the reader's script: its page in that script, else converted."""
    variants = {}
    if language != Locale.get_default().language_code:
        variants = {
            key: (title, short)
            for key, title, short in UnitPage.objects.filter(locale__language_code=language, translation_key__in=[u[2] for u in units])
            .values_list("translation_key", "title", "short_name")
        }
    names = {}
    for pk, _path, key, title, short in units:
        names[pk] = variants.get(key) or (in_script(title), in_script(short))
    return names


def _obligation_figures(county, span, language):
    units = public_units(county)
    names = unit_names(units, language)
    paths = {pk: path for pk, path, *_ in units}
    prefix = len(county.path) + county.steplen

    # The one query: counts by unit, section and status of what fell due in the period.
    counts, section_of = {}, {}
    rows = (
        Obligation.objects.filter(due_on__gte=span.start, due_on__lte=span.end)
        .exclude(status=ObligationStatus.NOT_APPLICABLE)
        .values_list("unit_id", "section_id", "status").annotate(number=Count("pk")).order_by()
    )
    field_of = {ObligationStatus.ON_TIME: "on_time", ObligationStatus.LATE: "late", ObligationStatus.MISSING: "missing", ObligationStatus.DUE: "due"}
    for unit_id, section_id, status, number in rows:
        if unit_id not in paths or section_id not in paths:
            continue  # another county's, or a unit the public does not see
        unit_counts = counts.setdefault(unit_id, Counts())
        setattr(unit_counts, field_of[status], getattr(unit_counts, field_of[status]) + number)
        section_of[unit_id] = section_id
    # Units with nothing due yet are counted under the township or department above them.
    by_path = {path: pk for pk, path in paths.items()}
    for pk, path in paths.items():
        section_of.setdefault(pk, by_path.get(path[:prefix], county.pk) if len(path) > len(county.path) else county.pk)

    sections = {}
    for pk, _path, *_rest in units:
        section_pk = section_of[pk]
        if section_pk not in sections:
            sections[section_pk] = SectionRow(section_pk, *names[section_pk])
    totals = Counts()
    for pk, _path, *_rest in units:
        section = sections[section_of[pk]]
        row = UnitRow(pk, *names[pk], counts=counts.get(pk, Counts()), own=pk == section.pk)
        section.units.append(row)
        section.counts.add(row.counts)
        totals.add(row.counts)
    ordered = sorted(sections.values(), key=lambda section: (section.pk != county.pk, paths[section.pk]))
    for section in ordered:
        section.units.sort(key=lambda row: (not row.own, paths[row.pk]))
    return ObligationFigures(span=span, totals=totals, sections=ordered, section_of=section_of)


# -- evaluation results and findings: read as stored -------------------------------------------


@dataclass
class RoundView:
    round: EvaluationRound
    label: str
    rows: list  # (title, votes, score) of units, or of sections with their units' totals
    by_section: bool


def public_rounds(county, span, figures, section=None):
    """Closed rounds of ``county`` with results 向社会公开 whose period meets ``span``, newest first.

    County-wide, a round's rows are its sections (units evaluated, votes, the vote-weighted
    average score); within a section, its units."""
    rounds = list(
        EvaluationRound.objects.public().filter(
            questionnaire__county=county, period_start__lte=span.end, period_end__gte=span.start,
        ).order_by("-period_start", "-pk")
    )
    if not rounds:
        return []
    names = {row.pk: row for sec in figures.sections for row in sec.units}
    results = {}
    for round_id, unit_id, votes, score in RoundResult.objects.filter(round__in=rounds).values_list("round_id", "unit_id", "votes", "score"):
        if unit_id in names:
            results.setdefault(round_id, []).append((unit_id, votes, score))
    views = []
    for evaluation in rounds:
        rows = results.get(evaluation.pk, [])
        if section is not None:
            unit_rows = [(names[unit_id].title, votes, score) for unit_id, votes, score in rows if figures.section_of.get(unit_id) == section.pk]
            unit_rows.sort(key=lambda row: (row[2] is None, -(row[2] or 0)))
            views.append(RoundView(evaluation, in_script(evaluation.name), unit_rows, by_section=False))
            continue
        grouped = {}
        for unit_id, votes, score in rows:
            entry = grouped.setdefault(figures.section_of.get(unit_id), [0, 0, 0.0, 0])  # units, votes, weighted sum, weight
            entry[0] += 1
            entry[1] += votes
            if score is not None and votes:
                entry[2] += float(score) * votes
                entry[3] += votes
        section_rows = [
            (sec, grouped[sec.pk][0], grouped[sec.pk][1], round(grouped[sec.pk][2] / grouped[sec.pk][3], 1) if grouped[sec.pk][3] else None)
            for sec in figures.sections if sec.pk in grouped
        ]
        views.append(RoundView(evaluation, in_script(evaluation.name), section_rows, by_section=True))
    return views


@dataclass
class FindingView:
    unit: str
    found_on: date
    description: str
    decision: str
    decision_text: str
    decided_by: str


def disclosed_findings(county, span, figures, section=None):
    """Findings of the county's units the county disclosed, made in ``span``, newest first."""
    names = {row.pk: row.title for sec in figures.sections for row in sec.units}
    findings = Finding.objects.disclosed().filter(unit_id__in=list(names), found_on__gte=span.start, found_on__lte=span.end)
    views = []
    for finding in findings.order_by("-found_on", "-pk"):
        if section is not None and figures.section_of.get(finding.unit_id) != section.pk:
            continue
        views.append(FindingView(
            names[finding.unit_id], finding.found_on, in_script(finding.description), finding.get_decision_display(),
            in_script(finding.decision_text), in_script(finding.decided_by),
        ))
    return views


# -- the chart ------------------------------------------------------------------------------------

CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW_HEIGHT = 640, 190, 64, 30
COLOURS = {"on_time": "#2e6b3a", "late": "#c98a00", "missing": "#b2151b"}
INK, MUTED = "#1f1f1f", "#555"
LABEL_CHARACTERS = 12


def _n(value):
    return f"{value:.1f}".removesuffix(".0")


def rate_chart(chart_id, title, description, rows):
    """One stacked bar per ``(label, counts)`` row: on time, late, not published, as shares of
    the counted obligations, the on-time rate at its end. Inline SVG, no script."""
    names = {"on_time": gettext("按时公开"), "late": gettext("逾期公开"), "missing": gettext("应公开未公开")}
    top = 30
    height = top + ROW_HEIGHT * max(len(rows), 1) + 6
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = []
    for index, (key, colour) in enumerate(COLOURS.items()):
        x, name = LABEL_WIDTH + index * 130, names[key]
        parts.append(format_html('<rect x="{}" y="6" width="12" height="12" fill="{}"/>', x, colour))
        parts.append(format_html('<text x="{}" y="17" fill="{}" font-family="sans-serif" font-size="13">{}</text>', x + 18, INK, name))
    for index, (label, counts) in enumerate(rows):
        y = top + index * ROW_HEIGHT
        short = label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" fill="{}" font-family="sans-serif" font-size="14"><title>{}</title>{}</text>',
            LABEL_WIDTH - 8, y + 18, INK, label, short,
        ))
        x = LABEL_WIDTH
        if counts.counted:
            for (key, colour), share, number in zip(COLOURS.items(), counts.shares(), (counts.on_time, counts.late, counts.missing)):
                width = plot * share
                if width:
                    tip = f"{label} {names[key]}：{number}"
                    parts.append(format_html('<rect x="{}" y="{}" width="{}" height="20" fill="{}"><title>{}</title></rect>',
                                             _n(x), y + 4, _n(width), colour, tip))
                x += width
            value = f"{counts.on_time_rate}%"
        else:
            parts.append(format_html('<rect x="{}" y="{}" width="{}" height="20" fill="#eee"/>', LABEL_WIDTH, y + 4, plot))
            value = "—"
        parts.append(format_html('<text x="{}" y="{}" fill="{}" font-family="sans-serif" font-size="14">{}</text>',
                                 CHART_WIDTH - VALUE_WIDTH + 6, y + 18, INK if counts.counted else MUTED, value))
    return format_html(
        '<svg class="chart {0}" role="img" aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>{5}</svg>',
        chart_id, CHART_WIDTH, height, title, description, mark_safe("".join(parts)),
    )

