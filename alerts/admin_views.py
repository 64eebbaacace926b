"""订阅提醒 in the admin (under Reports): confirmed subscribers per unit and per catalogue entry,
the messages of the last 7 and 30 days by outcome, the suspended addresses, and the delivery
check's state (also as JSON for monitors).

For the county office only — superusers and the county unit's officers and leading group, the
rule supervision uses (``supervision.access.is_county_office``): the counts are of every unit,
and the suspended addresses are residents' personal data. A unit's officers, approvers, members
and supervisors are refused as Wagtail refuses. Addresses are shown masked and never exported,
and every view of the page is written to Wagtail's audit log (``sunshine.alerts.subscribers_viewed``,
on the county unit's page) with the viewer and the subscribers whose masked address it showed.
"""

import json
from datetime import timedelta

from django.db.models import Count
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log
from wagtail.models import Page

from disclosure_pages.charts import bar_chart, horizontal_bars
from disclosure_pages.models import CatalogueEntry, UnitPage
from supervision.access import is_county_office
from workflows.overview import county_of_user

from . import checks
from .models import Delivery, DeliveryStatus, Subscriber, Subscription
from .views import masked

VIEWED = "sunshine.alerts.subscribers_viewed"
WINDOWS = (7, 30)
# The outcomes counted, with the colours of the chart (sending counts as pending: not out yet).
OUTCOMES = (
    (DeliveryStatus.SENT, gettext_lazy("已发送"), "#2e6b3a"),
    (DeliveryStatus.FAILED, gettext_lazy("发送失败"), "#b2151b"),
    (DeliveryStatus.WITHHELD, gettext_lazy("不再公开"), "#777777"),  # withheld: short, for the legend
    (DeliveryStatus.PENDING, gettext_lazy("待发送"), "#c98a00"),
)
SUSPENDED_SHOWN = 100


def short(label, characters=7):
    """A unit's name as the chart's left margin holds it (seven of its 16-unit characters in 130;
    the table below has the name in full)."""
    return label if len(label) <= characters else label[: characters - 1] + "…"


def may_view(user):
    return is_county_office(user)


def unit_counts():
    """[(unit, with sub-units, only the unit)]: distinct confirmed subscribers of active subscriptions."""
    rows = (
        Subscription.objects.active().filter(unit__isnull=False)
        .values("unit", "with_sub_units").annotate(subscribers=Count("subscriber", distinct=True))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["unit"], [0, 0])[0 if row["with_sub_units"] else 1] = row["subscribers"]
    units = UnitPage.objects.filter(pk__in=counts).order_by("path")
    return [(unit, *counts[unit.pk]) for unit in units]


def entry_counts():
    rows = dict(
        Subscription.objects.active().filter(entry__isnull=False)
        .values_list("entry").annotate(subscribers=Count("subscriber", distinct=True))
    )
    entries = CatalogueEntry.objects.filter(pk__in=rows).select_related("area").order_by("area__sort_order", "sort_order", "pk")
    return [(entry, rows[entry.pk]) for entry in entries]


def outcome_counts(now):
    """{days: {status: messages}} for the deliveries made in the last ``days``."""
    result = {}
    for days in WINDOWS:
        rows = dict(
            Delivery.objects.filter(created_at__gte=now - timedelta(days=days))
            .values_list("status").annotate(number=Count("pk"))
        )
        rows[DeliveryStatus.PENDING] = rows.get(DeliveryStatus.PENDING, 0) + rows.pop(DeliveryStatus.SENDING, 0)
        result[days] = {status: rows.get(status, 0) for status, _label, _colour in OUTCOMES}
    return result


def log_view(request, shown):
    """One audit log entry per view: who saw the subscriber figures, and whose masked address
    (``shown``: the subscribers' ids). Logged on the county unit's page (the figures are the
    county's; Wagtail's log wants one object), so it is in that page's history and the site history."""
    page = county_of_user(request.user) or Page.get_first_root_node()
    log(instance=page, action=VIEWED, user=request.user, data={"path": request.path, "shown": shown})


class CountyOfficeOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_view(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class AlertsOverviewView(CountyOfficeOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "alerts/admin/overview.html"
    page_title = gettext_lazy("订阅提醒")
    header_icon = "mail"

    def get_page_title(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        # The header names its page (with Wagtail's home alone, it would say 首页).
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        now = timezone.now()
        outcomes = outcome_counts(now)
        units, entries = unit_counts(), entry_counts()
        suspended_all = Subscriber.objects.filter(suspended=True).order_by("-failure_count", "pk")
        suspended = [
            {"pk": subscriber.pk, "kind": subscriber.get_kind_display(), "address": masked(subscriber.kind, subscriber.address),
             "failures": subscriber.failure_count}
            for subscriber in suspended_all[:SUSPENDED_SHOWN]
        ]
        log_view(self.request, [row["pk"] for row in suspended])
        labels = [_("近%(days)s天") % {"days": days} for days in WINDOWS]
        chart = bar_chart(
            "alerts-outcomes", _("近7天、近30天的提醒发送情况"), _("图中数字见下表。"), labels,
            [(str(label), colour, [outcomes[days][status] for days in WINDOWS]) for status, label, colour in OUTCOMES],
        )
        unit_chart = horizontal_bars(
            "alerts-units", _("各单位的订阅人数"), _("图中数字见下表。"),
            [(short(unit.title), with_sub_units + only_unit) for unit, with_sub_units, only_unit in units],
            colour="#2e6b3a",
        ) if units else ""
        return super().get_context_data(
            units=units, entries=entries, item_subscribers=Subscription.objects.active().filter(item__isnull=False)
            .values("subscriber").distinct().count(),
            confirmed_subscribers=Subscriber.objects.filter(confirmed_at__isnull=False, suspended=False).count(),
            outcome_rows=[(label, [outcomes[days][status] for days in WINDOWS]) for status, label, _colour in OUTCOMES],
            windows=WINDOWS, outcome_chart=chart, unit_chart=unit_chart,
            suspended=suspended, suspended_total=suspended_all.count(), suspended_shown=SUSPENDED_SHOWN,
            check=json.dumps(checks.status(), ensure_ascii=False, indent=2), **kwargs,
        )


def check_status(request):
    """The delivery check's state as JSON (like /readyz): 200 unless failing (503)."""
    if not may_view(request.user):
        return permission_denied(request)
    state = checks.status()
    return JsonResponse(state, status=503 if state["status"] == "failing" else 200, json_dumps_params={"ensure_ascii": False})
