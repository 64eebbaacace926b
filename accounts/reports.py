"""登录日志 under Reports: the sign-in log for superusers, filtered and exported (CSV, XLSX)."""

import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.views.reports import ReportView

from .models import SignInEvent


class SignInEventFilterSet(WagtailFilterSet):
    username = django_filters.CharFilter(label=_("用户名"), lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("结果"), choices=SignInEvent.Kind.choices, empty_label=_("全部"))
    area = django_filters.ChoiceFilter(label=_("入口"), choices=SignInEvent.Area.choices, empty_label=_("全部"))
    time = django_filters.DateFromToRangeFilter(label=_("时间"), widget=DateRangePickerWidget)
    address = django_filters.CharFilter(label=_("IP 地址"), lookup_expr="startswith")

    class Meta:
        model = SignInEvent
        fields = []


class SignInLogReportView(ReportView):
    """Newest first; superusers only (the log names every account and where it signs in from)."""

    page_title = _("登录日志")
    header_icon = "key"
    results_template_name = "accounts/reports/sign_in_log_results.html"
    filterset_class = SignInEventFilterSet
    index_url_name = "accounts_sign_in_log"
    index_results_url_name = "accounts_sign_in_log_results"
    export_headings = {
        "local_time": _("时间"),
        "kind_label": _("结果"),
        "area_label": _("入口"),
        "username": _("用户名"),
        "address": _("IP 地址"),
        "user_agent": _("浏览器"),
    }
    list_export = list(export_headings)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return SignInEvent.objects.order_by("-time", "-pk")

    def get_filename(self):
        return f"sign-in-log-{datetime.date.today():%Y-%m-%d}"

    def decorate_paginated_queryset(self, events):
        events = list(events)
        for event in events:
            event.local_time = localtime(event.time).strftime("%Y-%m-%d %H:%M:%S")
            event.kind_label = event.get_kind_display()
            event.area_label = event.get_area_display()
        return events
