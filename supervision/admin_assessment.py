"""The admin's 考核 pages: findings (责任追究), the ranking (考核排名) with each unit's drill-down
and its XLSX, and the annual report (年度报告) as DOCX or XLSX.

The county office sees all of it for its county; a unit's officers and leading group get only
their own unit's annual report. Everyone else is refused, as Wagtail refuses.
"""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from disclosure_pages.charts import horizontal_bars
from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage
from workflows.overview import county_of_user

from . import access, annual_report, scorecard
from .admin_pages import CountyOfficePage
from .choices import ObligationStatus
from .models import Finding, Obligation

LATE_OR_MISSING = (ObligationStatus.LATE, ObligationStatus.MISSING)


def county_units(county):
    return UnitPage.objects.filter(path__startswith=county.path, locale=Locale.get_default())


# -- findings (责任追究) ------------------------------------------------------------------------


class FindingForm(WagtailAdminModelForm):
    """A finding against one of the county's units, about one of that unit's late or missing obligations (optional)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        county = county_of_user(self.for_user) if self.for_user is not None else None
        units = county_units(county).order_by("path") if county else UnitPage.objects.none()
        self.fields["unit"].queryset = units
        self.fields["obligation"].queryset = (
            Obligation.objects.filter(unit__in=units, status__in=LATE_OR_MISSING).select_related("unit", "entry").order_by("unit__path", "due_on")
        )
        self.fields["obligation"].label_from_instance = lambda o: f"{o.unit.display_name} · {o.entry.name} · {o.period_label}（{o.get_status_display()}）"
        self.fields["obligation"].help_text = _("只能选择被追究单位逾期公开或应公开未公开的事项")

    def clean(self):
        cleaned = super().clean()
        unit, obligation = cleaned.get("unit"), cleaned.get("obligation")
        if obligation is not None and unit is not None and obligation.unit_id != unit.pk:
            self.add_error("obligation", ValidationError(_("所选事项不属于被追究单位，请重新选择。")))
        return cleaned

    class Meta:
        model = Finding
        fields = ["unit", "obligation", "found_on", "description", "decision", "decision_text", "decided_by", "disclosed"]


class CountyOfficePolicy(BasePermissionPolicy):
    """Only the county office (and superusers) record and read findings."""

    def user_has_permission(self, user, action):
        return access.is_county_office(user)

    def users_with_any_permission(self, actions):
        groups = [
            group_id
            for pair in UnitPage.objects.filter(unit_type=UnitType.COUNTY).values_list("officers_group", "leading_group")
            for group_id in pair if group_id is not None
        ]
        return get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__in=groups), is_active=True).distinct()


register_permission_policy(Finding, CountyOfficePolicy(Finding))


class InCountyMixin:
    """Findings of the user's own county only: another county's answer as if they did not exist."""

    def county_findings(self):
        county = county_of_user(self.request.user)
        return scorecard.county_findings(county) if county else Finding.objects.none()


class FindingIndexView(InCountyMixin, IndexView):
    def get_base_queryset(self):
        return self.county_findings()


class FindingCreateView(CreateView):
    def save_instance(self):
        instance = self.form.save(commit=False)
        instance.recorded_by = self.request.user
        instance.save()
        return instance


class FindingEditView(InCountyMixin, EditView):
    def get_queryset(self):
        return self.county_findings()


class FindingDeleteView(InCountyMixin, DeleteView):
    def get_queryset(self):
        return self.county_findings()


class FindingViewSet(ModelViewSet):
    model = Finding
    icon = "warning"
    menu_label = gettext_lazy("责任追究")
    name = "supervision_findings"
    url_prefix = "supervision/findings"
    add_to_admin_menu = False
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["unit", "found_on", "decision", "decided_by", "disclosed"]
    list_filter = ["decision", "disclosed"]
    index_view_class = FindingIndexView
    add_view_class = FindingCreateView
    edit_view_class = FindingEditView
    delete_view_class = FindingDeleteView

    def get_form_class(self, for_update=False):
        return FindingForm

    def get_permissions_to_register(self):
        return Permission.objects.none()


findings_viewset = FindingViewSet()


@hooks.register("register_admin_viewset")
def register_findings():
    return findings_viewset


# -- the ranking (考核排名) ---------------------------------------------------------------------


class CountyOfficeView(CountyOfficePage):
    """A page of the ranking's, for a period from the query."""

    section = ("supervision_assessment:ranking", gettext_lazy("考核排名"))

    def dispatch(self, request, *args, **kwargs):
        self.period = scorecard.AssessmentPeriod.from_params(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def period_choices(self):
        this_year = timezone.localdate().year
        return {
            "years": list(range(this_year + 1, this_year - 6, -1)),
            "quarters": [(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))],
        }


def part_values(row):
    return [getattr(row, name) for name, _weight, _label in scorecard.PARTS]


class RankingView(CountyOfficeView):
    template_name = "supervision/admin/assessment/ranking.html"
    page_title = gettext_lazy("考核排名")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        rows = scorecard.scorecard(self.county, self.period.start, self.period.end)
        levels = []
        for level, level_rows in scorecard.by_level(rows):
            rated = [row for row in level_rows if row.rated]
            chart = horizontal_bars(
                f"ranking-{level.key}", _("%(level)s考核总分") % {"level": level.label},
                _("各单位总分的条形图，数值见上表。"),
                [(row.unit.display_name, float(row.total)) for row in rated],
            ) if rated else ""
            levels.append({"level": level, "rows": [(row, part_values(row)) for row in level_rows], "chart": chart})
        return super().get_context_data(
            county=self.county, period=self.period, levels=levels, parts=[label for _n, _w, label in scorecard.PARTS],
            **self.period_choices(), **kwargs,
        )


class UnitScoreView(CountyOfficeView):
    """One unit's scorecard for the period: its parts, its late and missing obligations, its findings."""

    template_name = "supervision/admin/assessment/unit.html"

    def dispatch(self, request, unit_id, *args, **kwargs):
        self.unit_id = unit_id
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.unit.display_name

    def get(self, request, *args, **kwargs):
        self.unit = county_units(self.county).filter(pk=self.unit_id, depth__gt=self.county.depth).first()
        if self.unit is None:
            raise Http404(_("未找到该单位"))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        period = self.period
        row = next(row for row in scorecard.scorecard(self.county, period.start, period.end) if row.unit_id == self.unit.pk)
        obligations = (
            Obligation.objects.filter(unit=self.unit, due_on__range=(period.start, period.end), status__in=LATE_OR_MISSING)
            .select_related("entry").order_by("due_on", "pk")
        )
        findings = Finding.objects.filter(unit=self.unit, found_on__range=(period.start, period.end)).select_related("obligation__entry")
        parts = [(label, getattr(row, name)) for name, _weight, label in scorecard.PARTS]
        return super().get_context_data(
            unit=self.unit, row=row, parts=parts, obligations=obligations, findings=findings, period=period,
            level=scorecard.level_of(self.unit.unit_type), **self.period_choices(), **kwargs,
        )


class RankingExportView(CountyOfficeView):
    def get(self, request, *args, **kwargs):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        rows = scorecard.scorecard(self.county, self.period.start, self.period.end)
        workbook = Workbook()
        workbook.remove(workbook.active)
        header = [_("排名"), _("单位"), _("所属乡镇/部门"), _("应公开事项"), _("按时公开"), _("逾期公开"), _("应公开未公开"),
                  *(str(label) for _n, _w, label in scorecard.PARTS), _("责任追究"), _("总分")]
        for level, level_rows in scorecard.by_level(rows):
            sheet = workbook.create_sheet(str(level.label)[:31])
            sheet.append(header)
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for row in level_rows:
                sheet.append([
                    row.rank, row.unit.display_name, row.section.display_name, row.obligations, row.on_time, row.late, row.missing,
                    *(None if value is None else float(value) for value in part_values(row)), row.findings,
                    float(row.total) if row.rated else None,
                ])
        if not workbook.sheetnames:
            workbook.create_sheet(_("考核排名")).append(header)
        out = io.BytesIO()
        workbook.save(out)
        name = f"ranking-{self.period.year}" + (f"-q{self.period.quarter}" if self.period.quarter else "") + ".xlsx"
        response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


# -- the annual report (年度报告) ---------------------------------------------------------------


def county_of_unit(unit):
    return UnitPage.objects.ancestor_of(unit, inclusive=True).filter(unit_type=UnitType.COUNTY).first()


def reportable_units(user):
    """The units whose annual report ``user`` may read apart from the county office's: those they manage."""
    if not access.is_active(user):
        return []
    # The group ids as values: as subqueries (OR-ed, with DISTINCT) PostgreSQL read every page of
    # a province to find the user's two units, twice on every admin page (the menu asks).
    group_ids = list(user.groups.values_list("pk", flat=True))
    return [unit for unit in UnitPage.objects.filter(locale=Locale.get_default()).filter(
        Q(officers_group_id__in=group_ids) | Q(leading_group_id__in=group_ids)
    ).order_by("path") if access.manages(user, unit)]


def may_read_reports(user):
    return access.is_county_office(user) or bool(reportable_units(user))


class ReportsView(WagtailAdminTemplateMixin, TemplateView):
    """年度报告: the years and the units whose report the user may download."""

    template_name = "supervision/admin/assessment/reports.html"
    page_title = gettext_lazy("年度报告")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not may_read_reports(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.page_title

    def get_context_data(self, **kwargs):
        user = self.request.user
        this_year = timezone.localdate().year
        county = county_of_user(user) if access.is_county_office(user) else None
        units = list(county_units(county).exclude(pk=county.pk).order_by("path")) if county else reportable_units(user)
        return super().get_context_data(county=county, units=units, years=list(range(this_year, this_year - 5, -1)), **kwargs)


def refused():
    return HttpResponseForbidden(_("您无权下载该报告。").encode(), content_type="text/plain; charset=utf-8")


def report_file(request, year, extension):
    """/report/<year>.<docx|xlsx>?unit=<id>&script=hant: the county's report (county office) or one unit's.
    A file, so a refusal is a plain 403 rather than the admin's redirect to its home page."""
    user = request.user
    if not may_read_reports(user):
        return refused()
    if extension not in ("docx", "xlsx"):
        raise Http404(_("只提供 DOCX 和 XLSX 格式"))
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404(_("没有该年度的报告"))
    unit = None
    if request.GET.get("unit"):
        try:
            unit_id = int(request.GET["unit"])
        except ValueError:
            return HttpResponseBadRequest(_("单位编号无效").encode(), content_type="text/plain; charset=utf-8")
        unit = UnitPage.objects.filter(pk=unit_id, locale=Locale.get_default()).first()
        if unit is None:
            raise Http404(_("未找到该单位"))
        county = county_of_unit(unit)
        office_county = county_of_user(user) if access.is_county_office(user) else None
        allowed = (office_county is not None and county is not None and county.pk == office_county.pk) or access.manages(user, unit)
        if not allowed or county is None:
            return refused()
    else:
        if not access.is_county_office(user):
            return refused()
        county = county_of_user(user)
        if county is None:
            return refused()
    script = "hant" if request.GET.get("script") == "hant" else "hans"
    report = annual_report.in_script(annual_report.build(county, year, unit), script)
    if extension == "docx":
        content = annual_report.to_docx(report)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = annual_report.to_xlsx(report)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"annual-report-{year}" + (f"-{unit.code or unit.pk}" if unit else "") + ("-hant" if script == "hant" else "") + f".{extension}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- menu and URLs ---------------------------------------------------------------------------

app_name = "supervision_assessment"

urlpatterns = [
    path("", RankingView.as_view(), name="ranking"),
    path("unit/<int:unit_id>/", UnitScoreView.as_view(), name="unit"),
    path("ranking.xlsx", RankingExportView.as_view(), name="export"),
    path("report/", ReportsView.as_view(), name="reports"),
    path("report/<int:year>.<str:extension>", report_file, name="report"),
]


@hooks.register("register_admin_urls")
def register_assessment_urls():
    return [path("supervision/assessment/", include((urlpatterns, app_name), namespace=app_name))]


class CountyOfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_county_office(request.user)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_read_reports(request.user)


@hooks.register("register_supervision_menu_item")
def ranking_menu_item():
    return CountyOfficeMenuItem(_("考核排名"), reverse("supervision_assessment:ranking"), name="assessment-ranking", icon_name="list-ol", order=600)


@hooks.register("register_supervision_menu_item")
def findings_menu_item():
    return CountyOfficeMenuItem(_("责任追究"), reverse(findings_viewset.get_url_name("index")), name="assessment-findings", icon_name="warning", order=610)


@hooks.register("register_supervision_menu_item")
def reports_menu_item():
    return ReportsMenuItem(_("年度报告"), reverse("supervision_assessment:reports"), name="assessment-reports", icon_name="doc-full", order=620)
