"""审核记录: every review transition from Wagtail's audit log, filtered and exported (CSV, XLSX).

Submitted, approved or rejected at each tier (with the reason), skipped, referred upward,
withdrawn by the submitter, published and scheduled, takedowns requested and taking effect
(with the reason) — one row each, filtered by unit (and
the units under it), tier, person and period. Each user sees the entries of the pages
they may see (Wagtail's ``viewable_by_user`` and the unit-scoped permission policy).
"""

from django.utils.translation import gettext_lazy as _
import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.timezone import localtime
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.reports import ReportView
from wagtail.models import PageLogEntry

from disclosure_pages.models import UnitPage

from .models import CountyReviewTask, UnitApprovalTask
from .units import owning_units

REVIEW_ACTIONS = {
    "wagtail.workflow.start": "提交审核",
    "wagtail.workflow.approve": "审核通过",
    "wagtail.workflow.reject": "退回修改",
    "wagtail.workflow.resume": "重新提交",
    "wagtail.workflow.cancel": "撤回审核",
    "sunshine.workflow.county_review_skipped": "无需县级审核（自动跳过）",
    "sunshine.workflow.referred_to_county": "提请县级审核",
    "sunshine.workflow.self_approval": "超级管理员审核本人提交",
    "wagtail.publish": "发布",
    "wagtail.publish.schedule": "定时发布",
    "wagtail.publish.scheduled": "按计划发布",
    "wagtail.unpublish": "撤下",
    "sunshine.takedown.requested": "申请撤回/撤除",
    "sunshine.takedown.withdrawn": "撤回生效",
    "sunshine.takedown.removed": "撤除生效",
    "sunshine.takedown.restored": "恢复公开生效",
}
TIERS = [("unit", "本单位审核"), ("county", "县级审核")]


def task_of(entry):
    data = entry.data or {}
    task = (data.get("workflow") or {}).get("task") or data.get("task") or {}
    return task.get("id")


def note_of(entry):
    data = entry.data or {}
    return data.get("reason") or data.get("comment") or ""


class ReviewAuditFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("单位（含下级单位）"), queryset=UnitPage.objects.order_by("path"), method="filter_unit"
    )
    tier = django_filters.ChoiceFilter(label=_("审核环节"), choices=TIERS, method="filter_tier", widget=forms.RadioSelect, empty_label="全部")
    user = django_filters.ModelChoiceFilter(label=_("操作人"), queryset=get_user_model().objects.filter(is_active=True), field_name="user")
    timestamp = django_filters.DateFromToRangeFilter(label=_("时间"), widget=DateRangePickerWidget)

    class Meta:
        model = PageLogEntry
        fields = []

    def filter_unit(self, queryset, name, unit):
        return queryset.filter(page__path__startswith=unit.path) if unit else queryset

    def filter_tier(self, queryset, name, value):
        task_model = {"unit": UnitApprovalTask, "county": CountyReviewTask}.get(value)
        if task_model is None:
            return queryset
        ids = list(task_model.objects.values_list("pk", flat=True))
        return queryset.filter(Q(data__workflow__task__id__in=ids) | Q(data__task__id__in=ids))


class ReviewAuditReportView(ReportView):
    """The review record of the pages the user may see, newest first."""

    page_title = "审核记录"
    header_icon = "tasks"
    results_template_name = "workflows/reports/review_audit_results.html"
    filterset_class = ReviewAuditFilterSet
    index_url_name = "workflows_review_audit"
    index_results_url_name = "workflows_review_audit_results"
    export_headings = {
        "time": "时间",
        "label": "事项",
        "unit_name": "单位",
        "tier": "审核环节",
        "action_label": "动作",
        "user_name": "操作人",
        "note": "意见或理由",
    }
    list_export = list(export_headings)

    def get_queryset(self):
        return (
            PageLogEntry.objects.viewable_by_user(self.request.user)
            .filter(action__in=REVIEW_ACTIONS)
            .select_related("user", "page")
            .order_by("-timestamp", "-pk")
        )

    def get_filename(self):
        return f"review-audit-{datetime.date.today():%Y-%m-%d}"

    def decorate_paginated_queryset(self, entries):
        tiers = {pk: name for pk, name in UnitApprovalTask.objects.values_list("pk", "name")}
        tiers.update(CountyReviewTask.objects.values_list("pk", "name"))
        entries = list(entries)
        units = owning_units({entry.page_id: entry.page for entry in entries if entry.page}.values())
        for entry in entries:
            unit = units.get(entry.page_id)
            entry.time = localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M")
            entry.unit_name = unit.display_name if unit else ""
            entry.tier = tiers.get(task_of(entry), "")
            entry.action_label = REVIEW_ACTIONS.get(entry.action, entry.action)
            entry.user_name = (entry.user.get_full_name() or entry.user.get_username()) if entry.user else "系统"
            entry.note = note_of(entry)
        return entries
