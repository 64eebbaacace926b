"""The portal's 绩效评估 page (/zh-hans/performance/, /zh-hant/performance/): for everyone, the
published part of the county's assessment of disclosure work (see ``performance``).

The query (``year``, ``quarter``, ``section``: default-locale unit ids, the same in both
scripts) is read leniently: anything not understood falls back to its default, with a note,
never an error page. The page shows nothing that depends on who reads it.
"""

from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_noop
from django.views.decorators.http import require_GET

from disclosure_pages.accounts import portal_for
from disclosure_pages.params import positive_int

from . import performance
from .periods import span_label

QUARTERS = {1: gettext_noop("第一季度"), 2: gettext_noop("第二季度"), 3: gettext_noop("第三季度"), 4: gettext_noop("第四季度")}


def read_query(request, county, figures_for):
    """(year, quarter or None, the chosen section row or None, whether a value was ignored)."""
    years = performance.years_of(county)
    ignored = False
    year = positive_int(request.GET.get("year", ""), maximum=9999)
    if year not in years:
        ignored |= bool(request.GET.get("year"))
        year = years[0]
    quarter = positive_int(request.GET.get("quarter", ""), maximum=4)
    if quarter is None:
        ignored |= bool(request.GET.get("quarter"))
    figures = figures_for(performance.period_span(year, quarter))
    section = None
    if request.GET.get("section"):
        section = figures.section(positive_int(request.GET["section"]))
        ignored |= section is None
    return year, quarter, figures, section, ignored, years


@require_GET
def performance_page(request):
    """绩效评估: on-time rates by township/department and unit, public evaluation results, disclosed findings."""
    county = performance.county_unit()
    context = {"page": portal_for(request), "page_heading": _("绩效评估"), "keep_query_on_switch": True}
    if county is None:
        return _respond(request, context)
    year, quarter, figures, section, ignored, years = read_query(request, county, lambda span: performance.obligation_figures(county, span))
    span = figures.span
    period_label = span_label(span.start, span.end)
    counted_up_to = min(span.end, timezone.localdate())
    shown = section.units if section else figures.sections
    chart_rows = [(row.short or row.title, row.counts) for row in shown]
    if section:
        chart_title = _("%(section)s所属单位按时公开情况") % {"section": section.title}
    else:
        chart_title = _("各乡镇、部门按时公开情况")
    context.update(
        county_title=next((sec.title for sec in figures.sections if sec.pk == county.pk), county.title),
        year=year, quarter=quarter, years=years, quarters=[(number, _(label)) for number, label in QUARTERS.items()],
        section=section, sections=figures.sections, ignored=ignored,
        period_label=period_label, span=span, counted_up_to=counted_up_to,
        totals=section.counts if section else figures.totals,
        rows=shown,
        chart=performance.rate_chart(
            "chart-rates", chart_title, _("条形图：按时公开、逾期公开、应公开未公开所占比例及按时公开率，数据见下表。"), chart_rows,
        ),
        chart_title=chart_title,
        rounds=performance.public_rounds(county, span, figures, section),
        findings=performance.disclosed_findings(county, span, figures, section),
        query_period=f"year={year}" + (f"&quarter={quarter}" if quarter else ""),
    )
    return _respond(request, context)


def _respond(request, context):
    response = TemplateResponse(request, "supervision/public/performance.html", context)
    # The same for every reader; a signed-in reader's page carries their name in the header.
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
    response["Vary"] = "Cookie, Accept-Language"
    return response
