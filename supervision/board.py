"""The 督办台's figures: per section (township, department, the county itself), what was owed in a
period and how it stands — 按时公开, 逾期公开, 应公开未公开 (missing), 待公开 (due).

The figures are counts of ``Obligation`` rows, one GROUP BY over the period's rows, whatever the
number of units. They are cached under supervision's figures version (``figures_version.py``).
"""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Locale

from disclosure_pages.models import UnitPage

from . import figures_version
from .choices import ObligationStatus
from .models import Obligation
from .periods import Span, add_months, span_containing, span_label


# The board's columns after the total, in the order of the stacked bar, with the bar's colours
# (the 4.5:1 contrast of text is not needed: every count is also in the table).
COLUMNS = (
    (ObligationStatus.ON_TIME, "#2e7d32"),
    (ObligationStatus.LATE, "#e0a100"),
    (ObligationStatus.MISSING, "#b2151b"),
    (ObligationStatus.DUE, "#9e9e9e"),
)
SHOWN = tuple(status for status, _colour in COLUMNS)
PERIOD_KINDS = {"month": 1, "quarter": 3, "year": 12}


# -- the period --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardPeriod:
    """A month, quarter or year: the obligations whose deadline falls in it are the board's."""

    kind: str
    year: int
    number: int  # the month (1–12) or the quarter (1–4); 1 for a year
    span: Span

    @property
    def label(self):
        return span_label(self.span.start, self.span.end)

    def params(self):
        return {"period": self.kind, "year": self.year, "n": self.number}

    def query(self):
        return f"period={self.kind}&year={self.year}&n={self.number}"

    def shifted(self, steps):
        start = add_months(self.span.start, steps * PERIOD_KINDS[self.kind])
        return period_of(self.kind, start)


def period_of(kind, day):
    months = PERIOD_KINDS[kind]
    span = span_containing(day, months)
    number = (span.start.month - 1) // months + 1
    return BoardPeriod(kind, span.start.year, number, span)


def period_from(params, today):
    """The period the GET parameters name (``period``, ``year``, ``n``); the current quarter for anything else."""
    kind = params.get("period")
    if kind not in PERIOD_KINDS:
        return period_of("quarter", today)
    try:
        year = int(params.get("year", today.year))
        number = int(params.get("n", 1))
    except (TypeError, ValueError):
        return period_of("quarter", today)
    last = {"month": 12, "quarter": 4, "year": 1}[kind]
    if not (2000 <= year <= 2100 and 1 <= number <= last):
        return period_of("quarter", today)
    return period_of(kind, datetime.date(year, (number - 1) * PERIOD_KINDS[kind] + 1, 1))


# -- the figures ------------------------------------------------------------------------------


@dataclass
class SectionRow:
    section: UnitPage
    counts: dict = field(default_factory=dict)  # status → number

    @property
    def total(self):
        return sum(self.counts.get(status, 0) for status in SHOWN)

    def cells(self):
        """(status, label, count) in the board's column order."""
        return [(status, ObligationStatus(status).label, self.counts.get(status, 0)) for status in SHOWN]


def sections_of(county):
    """The county itself, then its townships and departments (the units directly under it)."""
    children = UnitPage.objects.child_of(county).filter(locale=Locale.get_default()).order_by("path")
    return [county, *children]


def period_obligations(span):
    return Obligation.objects.filter(due_on__gte=span.start, due_on__lte=span.end, status__in=SHOWN)


def section_counts(county, span):
    """{section id: {status: count}} for the county's sections: one grouped query, cached."""
    key = f"supervision:board:{figures_version.current()}:{county.pk}:{span.start}:{span.end}"
    counts = cache.get(key)
    if counts is None:
        counts = {}
        rows = (
            period_obligations(span)
            .filter(section__path__startswith=county.path)
            .values_list("section_id", "status")
            .annotate(number=Count("pk"))
            .order_by()
        )
        for section_id, status, number in rows:
            counts.setdefault(section_id, {})[status] = number
        cache.set(key, counts, figures_version.CACHE_SECONDS)
    return counts


def board_rows(county, span):
    counts = section_counts(county, span)
    return [SectionRow(section, counts.get(section.pk, {})) for section in sections_of(county)]


def totals(rows):
    total = SectionRow(section=None)
    for row in rows:
        for status, count in row.counts.items():
            total.counts[status] = total.counts.get(status, 0) + count
    return total


# -- the chart --------------------------------------------------------------------------------

BAR_WIDTH, BAR_HEIGHT = 240, 16


def stacked_bar(row, largest):
    """One section's counts as a bar scaled to the largest section's total, with a title per part."""
    name = row.section.display_name
    if not row.total:
        return ""
    scale = BAR_WIDTH * row.total / max(largest, 1)
    parts, x = [], 0.0
    for (status, colour), (_status, label, count) in zip(COLUMNS, row.cells()):
        if not count:
            continue
        width = scale * count / row.total
        parts.append(format_html(
            '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}：{}</title></rect>',
            f"{x:.1f}", f"{width:.1f}", BAR_HEIGHT, colour, label, count,
        ))
        x += width
    description = "，".join(f"{label} {count}" for _status, label, count in row.cells())
    return format_html(
        '<svg class="board-bar" role="img" viewBox="0 0 {} {}" width="{}" height="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>",
        BAR_WIDTH, BAR_HEIGHT, BAR_WIDTH, BAR_HEIGHT, _("%(name)s：%(counts)s") % {"name": name, "counts": description},
        mark_safe("".join(parts)),
    )


def legend():
    return [(ObligationStatus(status).label, colour) for status, colour in COLUMNS]

