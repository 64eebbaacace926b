"""年度报告: a county's (or one unit's) year of disclosure, as DOCX and XLSX, in either script.

Tables of counts, one row per unit: items published in the year by catalogue area, scope,
stage and importance (live items of the default locale: the other script's pages are
variants of the same items), obligations due in the year by outcome, opinions received and
how they ended (participation, when installed), accountability findings by decision; then the
year's scorecard (评议得分 and total) and the list of findings.

Each count table is checked: its 合计 row is counted afresh over the whole scope, and must
equal the sum of the unit rows in every column. Where it does not, the report prints the
mismatch (核对不符) instead of the table, never figures that do not add up.

The text is written in Simplified and converted as a whole for Traditional (``chinese.conversion``).
"""

import datetime
import io
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from chinese.conversion import convert, profile_for
from disclosure_pages.choices import Importance, Scope, Stage
from disclosure_pages.models import DisclosureItemPage, UnitPage

from . import scorecard
from .choices import FindingDecision, ObligationStatus
from .models import Finding, Obligation


@dataclass
class Table:
    """A count table: ``rows`` are (unit name, [counts]); ``total`` counted afresh; ``mismatches`` its failed checks."""

    title: str
    columns: list
    rows: list
    total: list
    mismatches: list = field(default_factory=list)

    def check(self, total_label):
        for index, column in enumerate(self.columns):
            summed = sum(counts[index] for _name, counts in self.rows)
            if summed != self.total[index]:
                self.mismatches.append(
                    _("核对不符（%(column)s）：%(total_label)s %(total)s，各单位之和 %(sum)s")
                    % {"column": column, "total_label": total_label, "total": self.total[index], "sum": summed}
                )


@dataclass
class Report:
    title: str
    subtitle: str
    total_label: str
    tables: list
    scores_title: str = ""
    scores_columns: list = field(default_factory=list)
    scores: list = field(default_factory=list)
    findings_title: str = ""
    findings_columns: list = field(default_factory=list)
    findings: list = field(default_factory=list)
    no_findings: str = ""


# -- counting ------------------------------------------------------------------------------


def grouped(queryset, key):
    """{(unit id, value of ``key``): count}: one grouped query."""
    return {(unit_id, value): n for unit_id, value, n in queryset.order_by().values_list("unit_id", key).annotate(n=Count("pk"))}


def overall(queryset, key):
    """{value of ``key``: count} over the whole scope: the check's independent count."""
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk")))


def count_table(title, units, queryset, key, choices, total_label):
    """A table of ``queryset`` counted by unit and by ``key`` (``choices``: (value, column name)), with 合计."""
    counts = grouped(queryset, key)
    totals = overall(queryset, key)
    columns = [str(label) for _value, label in choices] + [_("合计")]
    rows = []
    for unit in units:
        values = [counts.get((unit.pk, value), 0) for value, _label in choices]
        rows.append((unit.display_name, values + [sum(values)]))
    column_totals = [totals.get(value, 0) for value, _label in choices]
    table = Table(title, columns, rows, column_totals + [sum(totals.values())])
    table.check(total_label)
    return table


def items_of(units, year):
    return DisclosureItemPage.objects.live().filter(
        locale=Locale.get_default(), unit__in=units, publish_date__year=year
    )


def opinion_table(units, year, total_label):
    from participation.choices import Satisfaction, State
    from participation.figures import Figures, counts
    from participation.models import Opinion

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    opinions = Opinion.objects.counted().filter(unit__in=units, received_on__range=(start, end)).order_by()
    names = ("received", "ever_answered", "on_time", "closed", "not_adopted", "not_feasible", "satisfied", "basic", "unsatisfied")
    columns = [_("收到"), _("已答复"), _("按时答复"), *(str(label) for label in (
        State.CLOSED.label, State.NOT_ADOPTED.label, State.NOT_FEASIBLE.label,
        Satisfaction.SATISFIED.label, Satisfaction.BASIC.label, Satisfaction.UNSATISFIED.label,
    ))]
    by_unit = {}
    for row in opinions.values("unit_id").annotate(**counts(end)):
        by_unit.setdefault(row.pop("unit_id"), Figures()).add(row)
    whole = Figures()
    whole.add(opinions.aggregate(**counts(end)))
    rows = [(unit.display_name, [getattr(by_unit.get(unit.pk, Figures()), name) for name in names]) for unit in units]
    table = Table(_("意见建议收到及办理情况"), columns, rows, [getattr(whole, name) for name in names])
    table.check(total_label)
    return table


# -- the report ------------------------------------------------------------------------------


def build(county, year, unit=None):
    """The report of ``county`` for ``year`` (of ``unit`` alone when given), in Simplified."""
    with translation.override("zh-hans"):
        return _build(county, year, unit)


def _build(county, year, unit):
    default = Locale.get_default()
    if unit is None:
        units = list(UnitPage.objects.filter(path__startswith=county.path, locale=default).order_by("path"))
        scope_name, total_label = county.display_name, _("全县合计")
    else:
        units, scope_name, total_label = [unit], unit.display_name, _("合计")
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    items = items_of(units, year)
    # Areas by name, in catalogue order (two catalogues' areas of one name are one column).
    areas = dict.fromkeys(
        items.exclude(catalogue_entry=None).order_by("catalogue_entry__area__sort_order", "catalogue_entry__area__name")
        .values_list("catalogue_entry__area__name", flat=True)
    )
    area_choices = [(name, name) for name in areas]
    if items.filter(catalogue_entry=None).exists():
        area_choices.append((None, _("未归入目录")))
    tables = [
        count_table(_("公开事项（按目录板块）"), units, items, "catalogue_entry__area__name", area_choices, total_label),
        count_table(_("公开事项（按公开范围）"), units, items, "scope", Scope.choices, total_label),
        count_table(_("公开事项（按公开阶段）"), units, items, "stage", Stage.choices, total_label),
        count_table(_("公开事项（按事项类别）"), units, items, "importance", Importance.choices, total_label),
        count_table(
            _("应公开事项完成情况"), units,
            Obligation.objects.filter(unit__in=units, due_on__range=(start, end), status__in=ObligationStatus.counted()),
            "status", [(status, ObligationStatus(status).label) for status in ObligationStatus.counted()], total_label,
        ),
    ]
    if apps.is_installed("participation"):
        tables.append(opinion_table(units, year, total_label))
    findings = Finding.objects.filter(unit__in=units, found_on__range=(start, end))
    tables.append(count_table(_("责任追究情况"), units, findings, "decision", FindingDecision.choices, total_label))

    report = Report(
        title=_("%(name)s%(year)s年度党务公开工作报告") % {"name": scope_name, "year": year},
        subtitle=_("统计期间：%(start)s至%(end)s") % {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
        total_label=total_label,
        tables=tables,
    )
    rows = [row for row in scorecard.scorecard(county, start, end) if unit is None or row.unit_id == unit.pk]
    report.scores_title = _("年度考核和评议结果")
    report.scores_columns = [_("单位"), _("按时公开率"), _("公开完整率"), _("意见按时办结率"), _("意见满意率"), _("评议得分"), _("责任追究"), _("总分"), _("同类排名")]
    report.scores = [
        [row.unit.display_name, *(_number(getattr(row, name)) for name, _weight, _label in scorecard.PARTS), row.findings,
         _number(row.total) if row.rated else "—", row.rank or "—"]
        for row in rows
    ]
    report.findings_title = _("责任追究事项")
    report.no_findings = _("本年度无责任追究事项。")
    report.findings_columns = [_("单位"), _("认定日期"), _("问题情况"), _("处理决定"), _("作出决定的机关")]
    report.findings = [
        [finding.unit.display_name, f"{finding.found_on:%Y-%m-%d}", finding.description, finding.get_decision_display(), finding.decided_by or "—"]
        for finding in findings.select_related("unit").order_by("found_on", "pk")
    ]
    return report


def _number(value):
    return "—" if value is None else float(value)


# -- scripts ---------------------------------------------------------------------------------


def in_script(report, script):
    """``report`` with every text converted to Traditional for ``script == "hant"`` (numbers untouched)."""
    if script != "hant":
        return report
    profile = profile_for("zh-hant")

    def c(value):
        return convert(str(value), profile) if isinstance(value, str) else value

    def rows(values):
        return [[c(value) for value in row] for row in values]

    return Report(
        title=c(report.title), subtitle=c(report.subtitle), total_label=c(report.total_label), no_findings=c(report.no_findings),
        tables=[
            Table(c(t.title), [c(col) for col in t.columns], [(c(name), counts) for name, counts in t.rows], t.total, [c(m) for m in t.mismatches])
            for t in report.tables
        ],
        scores_title=c(report.scores_title), scores_columns=[c(col) for col in report.scores_columns], scores=rows(report.scores),
        findings_title=c(report.findings_title), findings_columns=[c(col) for col in report.findings_columns], findings=rows(report.findings),
    )


# -- files -----------------------------------------------------------------------------------


def to_docx(report):
    from docx import Document
    from docx.oxml.ns import qn

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    document.add_heading(report.title, 0)
    document.add_paragraph(report.subtitle)

    def table(columns, rows):
        grid = document.add_table(rows=1, cols=len(columns))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, columns):
            cell.text = str(text)
        for row in rows:
            for cell, value in zip(grid.add_row().cells, row):
                cell.text = _cell_text(value)

    for t in report.tables:
        document.add_heading(t.title, 1)
        if t.mismatches:
            for message in t.mismatches:
                document.add_paragraph(message)
            continue
        rows = [[name, *counts] for name, counts in t.rows]
        if len(t.rows) > 1:
            rows.append([report.total_label, *t.total])
        table(["", *t.columns], rows)
    document.add_heading(report.scores_title, 1)
    table(report.scores_columns, report.scores)
    document.add_heading(report.findings_title, 1)
    if report.findings:
        table(report.findings_columns, report.findings)
    else:
        document.add_paragraph(report.no_findings)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_xlsx(report):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(report.title, 0)
    sheet.append([report.title])
    sheet.append([report.subtitle])
    sheet["A1"].font = Font(bold=True, size=14)

    def add_sheet(index, title, columns, rows, messages=()):
        ws = workbook.create_sheet(_sheet_name(title, index))
        ws.append([title])
        ws["A1"].font = Font(bold=True)
        if messages:
            for message in messages:
                ws.append([message])
            return
        ws.append(list(columns))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(list(row))

    for index, t in enumerate(report.tables, start=1):
        rows = [[name, *counts] for name, counts in t.rows]
        if len(t.rows) > 1:
            rows.append([report.total_label, *t.total])
        add_sheet(index, t.title, ["", *t.columns], rows, t.mismatches)
    add_sheet(len(report.tables) + 1, report.scores_title, report.scores_columns, report.scores)
    add_sheet(len(report.tables) + 2, report.findings_title, report.findings_columns, report.findings)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell_text(value):
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _sheet_name(title, index):
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique by its number."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).replace("（", "-").replace("）", "")
    return f"{index}-{cleaned}"[:31]
