"""督办 in the admin: the county's 督办台 and its drill-downs, chases (催办), each unit's 公开日历,
the dashboard panel 本单位应公开, and the county's rules and exemptions (免于公开).

Who may do what is ``access``'s and ``chasing.may_chase``'s: the board, the rules and the
exemptions are the county office's (for its own county); a unit's calendar is for those who see
the unit (its officers and leading group, its supervisors, the county office, and a township's
officers for the villages they may chase). Anything else
is refused with a 403, and an id outside the user's county names nothing (404).
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Locale

from disclosure_pages.models import CatalogueEntry, UnitPage
from workflows.overview import county_of_user
from workflows.units import reach_of

from . import access, board, chasing
from .choices import ObligationStatus
from .models import Chase, Exemption, Obligation, SupervisionRules

DRILL_PAGE_SIZE = 50
MET_RECENTLY_DAYS = 90
PANEL_CHASE_DAYS = 30
PANEL_SHOWN = 5


def default_units():
    return UnitPage.objects.filter(locale=Locale.get_default())


def unit_or_404(unit_id):
    unit = default_units().filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def own_county(user):
    """The county whose office ``user`` is in; refused for anyone else."""
    county = county_of_user(user) if access.is_county_office(user) else None
    if county is None:
        raise PermissionDenied
    return county


def county_units(county):
    return default_units().filter(path__startswith=county.path)


class BoardPage(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "clipboard-list"

    def get_page_title(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]


class CountyOfficePage(BoardPage):
    def dispatch(self, request, *args, **kwargs):
        self.county = own_county(request.user)
        return super().dispatch(request, *args, **kwargs)


# -- the board and its drill-downs ----------------------------------------------------------


class BoardView(CountyOfficePage):
    """督办台: per section, what was owed in the period and how it stands, each count a drill-down."""

    template_name = "supervision/board/board.html"
    page_title = gettext_lazy("督办台")

    def get_context_data(self, **kwargs):
        period = board.period_from(self.request.GET, timezone.localdate())
        rows = board.board_rows(self.county, period.span)
        largest = max((row.total for row in rows), default=0)
        for row in rows:
            row.bar = board.stacked_bar(row, largest)
        return super().get_context_data(
            county=self.county, period=period, rows=rows, totals=board.totals(rows), legend=board.legend(),
            previous=period.shifted(-1), following=period.shifted(1),
            kinds=[("month", _("月")), ("quarter", _("季度")), ("year", _("年"))],
            statuses=[(status, ObligationStatus(status).label) for status in board.SHOWN], **kwargs
        )


class DrillView(CountyOfficePage):
    """The units and entries behind one count of the board (section × status × period)."""

    template_name = "supervision/board/drill.html"

    def dispatch(self, request, *args, **kwargs):
        self.county = own_county(request.user)
        try:
            section_id = int(request.GET.get("section", ""))
        except ValueError:
            raise Http404 from None
        self.section = next((s for s in board.sections_of(self.county) if s.pk == section_id), None)
        if self.section is None:
            raise Http404
        status = request.GET.get("status", "all")
        self.status = status if status in board.SHOWN else "all"
        self.period = board.period_from(request.GET, timezone.localdate())
        return super(CountyOfficePage, self).dispatch(request, *args, **kwargs)

    def get_page_title(self):
        what = _("应公开") if self.status == "all" else ObligationStatus(self.status).label
        return _("%(section)s · %(period)s · %(what)s") % {
            "section": self.section.display_name, "period": self.period.label, "what": what,
        }

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("supervision_board:board") + "?" + self.period.query(), "label": _("督办台")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        obligations = board.period_obligations(self.period.span).filter(section=self.section)
        if self.status != "all":
            obligations = obligations.filter(status=self.status)
        obligations = obligations.select_related("unit", "entry").order_by("unit__path", "due_on", "pk")
        page = Paginator(obligations, DRILL_PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            section=self.section, status=self.status, period=self.period, page=page, obligations=page.object_list,
            elided_page_range=page.paginator.get_elided_page_range(page.number), **kwargs
        )


# -- chases ---------------------------------------------------------------------------------


class ChaseForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("催办意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("随催办通知一并发送给该单位公开专员和领导小组"),
    )


class ChaseView(BoardPage):
    """催办 one unit: its missing obligations to tick, a message, and the send button."""

    template_name = "supervision/board/chase.html"

    def dispatch(self, request, unit_id):
        self.unit = unit_or_404(unit_id)
        if not chasing.may_chase(request.user, self.unit):
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_title(self):
        return _("催办：%(unit)s") % {"unit": self.unit.display_name}

    def get_context_data(self, form=None, chosen=None, **kwargs):
        missing = list(chasing.missing_of(self.unit))
        chosen = {o.pk for o in missing} if chosen is None else chosen
        return super().get_context_data(
            unit=self.unit, missing=missing, chosen=chosen, form=form or ChaseForm(),
            people=chasing.people_of(self.unit), **kwargs
        )

    def post(self, request):
        form = ChaseForm(request.POST)
        ids = request.POST.getlist("obligations")
        if form.is_valid():
            try:
                record = chasing.chase(self.unit, ids, form.cleaned_data["message"], request.user)
            except chasing.ChaseError as error:
                form.add_error(None, str(error))
            else:
                text = _("已向%(unit)s发出催办（%(count)s项，通知%(people)s人）。") % {
                    "unit": self.unit.display_name, "count": record.obligations.count(), "people": record.recipients,
                }
                if record.escalated_to_id:
                    text += _("已抄报%(above)s。") % {"above": record.escalated_to.display_name}
                messages.success(request, text)
                return redirect("supervision_board:calendar", self.unit.pk)
        chosen = {int(value) for value in ids if value.isdigit()}
        return self.render_to_response(self.get_context_data(form=form, chosen=chosen), status=400)


# -- the unit's calendar ----------------------------------------------------------------------


def end_of_next_month(today):
    return (today.replace(day=1) + datetime.timedelta(days=62)).replace(day=1) - datetime.timedelta(days=1)


def calendar_of(unit, today):
    """What the unit owes this month and next, what is late, what it met lately, and its chases."""
    end_of_next = end_of_next_month(today)
    owed = Obligation.objects.filter(unit=unit).select_related("entry")
    return {
        "due": owed.filter(status=ObligationStatus.DUE, due_on__lte=end_of_next).order_by("due_on", "pk"),
        "missing": owed.filter(status=ObligationStatus.MISSING).order_by("due_on", "pk"),
        "met": owed.filter(status__in=ObligationStatus.met(), met_on__gte=today - datetime.timedelta(days=MET_RECENTLY_DAYS))
        .select_related("met_by").order_by("-met_on", "-pk")[:30],
        "chases": Chase.objects.filter(unit=unit).select_related("sent_by", "escalated_to").prefetch_related("obligations__entry")[:20],
        "end_of_next": end_of_next,
    }


class CalendarView(BoardPage):
    """公开日历: one unit's obligations by due date, what is late, what was met, the chases received."""

    template_name = "supervision/calendar/calendar.html"

    def dispatch(self, request, unit_id):
        self.unit = unit_or_404(unit_id)
        # Those who may chase a unit (a township, for its villages) see what it owes too.
        if not (access.sees_unit(request.user, self.unit) or chasing.may_chase(request.user, self.unit)):
            raise PermissionDenied
        return super().dispatch(request)

    def get_page_title(self):
        return _("公开日历：%(unit)s") % {"unit": self.unit.display_name}

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            unit=self.unit, today=today, may_chase=chasing.may_chase(self.request.user, self.unit),
            **calendar_of(self.unit, today), **kwargs
        )


def calendar_units(user):
    """The units whose calendar ``user`` opens from the menu: those they manage, then those they supervise."""
    if not access.is_active(user):
        return []
    managed = sorted(reach_of(user).managed.values(), key=lambda unit: unit.path)
    seen = {unit.pk for unit in managed}
    return managed + [unit for unit in access.supervised_units(user) if unit.pk not in seen]


class CalendarChooserView(BoardPage):
    """公开日历 from the menu: the user's unit at once, or a choice when there are several."""

    template_name = "supervision/calendar/choose.html"
    page_title = gettext_lazy("公开日历")

    def get(self, request):
        units = calendar_units(request.user)
        if not units:
            raise PermissionDenied
        if len(units) == 1:
            return redirect("supervision_board:calendar", units[0].pk)
        return self.render_to_response(self.get_context_data(units=units))


# -- rules and exemptions ---------------------------------------------------------------------


class RulesForm(forms.ModelForm):
    class Meta:
        model = SupervisionRules
        exclude = ["county"]
        widgets = {"tracking_start": AdminDateInput}


class RulesView(CountyOfficePage):
    """督办规则: the county's rules, from the settings' defaults until first saved."""

    template_name = "supervision/board/rules.html"
    page_title = gettext_lazy("督办规则")

    def rules(self):
        return SupervisionRules.for_county(self.county)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(county=self.county, form=form or RulesForm(instance=self.rules()), **kwargs)

    def post(self, request):
        form = RulesForm(request.POST, instance=self.rules())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, _("督办规则已保存，自下次重新计算应公开事项起生效。"))
        return redirect("supervision_board:rules")


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = Exemption
        fields = ["unit", "entry", "starts_on", "ends_on", "reason"]
        widgets = {"starts_on": AdminDateInput, "ends_on": AdminDateInput, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        units = county_units(county).order_by("path")
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.title
        catalogues = units.exclude(catalogue=None).values("catalogue")
        self.fields["entry"].queryset = CatalogueEntry.objects.filter(
            Q(area__catalogue__in=catalogues, unit__isnull=True) | Q(unit__in=units)
        ).select_related("area").order_by("area__sort_order", "sort_order", "pk")
        self.fields["entry"].label_from_instance = lambda entry: f"{entry.area.name} · {entry.name}"

    def clean(self):
        data = super().clean()
        unit, entry = data.get("unit"), data.get("entry")
        if unit and entry and not unit.catalogue_entries().filter(pk=entry.pk).exists():
            self.add_error("entry", _("该目录条目不在所选单位的公开目录中。"))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("截止日期不能早于起始日期。"))
        return data


def reckon(unit, entry):
    """The unit's obligations under the entry, counted again with the exemption (or without it)."""
    from . import obligations

    obligations.reckon_unit_entry(unit, entry)


class ExemptionsView(CountyOfficePage):
    """免于公开: the county's approved exemptions."""

    template_name = "supervision/board/exemptions.html"
    page_title = gettext_lazy("免于公开")

    def get_context_data(self, **kwargs):
        exemptions = (
            Exemption.objects.filter(unit__path__startswith=self.county.path)
            .select_related("unit", "entry", "granted_by").order_by("unit__path", "-starts_on", "-pk")
        )
        page = Paginator(exemptions, DRILL_PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(page=page, exemptions=page.object_list, **kwargs)


class ExemptionAddView(CountyOfficePage):
    template_name = "supervision/board/exemption_form.html"
    page_title = gettext_lazy("登记免于公开")

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or ExemptionForm(county=self.county), **kwargs)

    def post(self, request):
        form = ExemptionForm(request.POST, county=self.county)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        exemption = form.save(commit=False)
        exemption.granted_by = request.user
        exemption.save()
        reckon(exemption.unit, exemption.entry)
        messages.success(request, _("已登记%(unit)s“%(entry)s”免于公开。") % {"unit": exemption.unit.display_name, "entry": exemption.entry.name})
        return redirect("supervision_board:exemptions")


class ExemptionDeleteView(CountyOfficePage):
    template_name = "supervision/board/exemption_delete.html"
    page_title = gettext_lazy("删除免于公开")

    def dispatch(self, request, exemption_id):
        self.county = own_county(request.user)
        self.exemption = (
            Exemption.objects.filter(pk=exemption_id, unit__path__startswith=self.county.path).select_related("unit", "entry").first()
        )
        if self.exemption is None:
            raise Http404
        return super(CountyOfficePage, self).dispatch(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(exemption=self.exemption, **kwargs)

    def post(self, request):
        unit, entry = self.exemption.unit, self.exemption.entry
        self.exemption.delete()
        reckon(unit, entry)
        messages.success(request, _("已删除%(unit)s“%(entry)s”的免于公开。") % {"unit": unit.display_name, "entry": entry.name})
        return redirect("supervision_board:exemptions")


# -- URLs, menu, dashboard ---------------------------------------------------------------------

app_name = "supervision_board"
urlpatterns = [
    path("board/", BoardView.as_view(), name="board"),
    path("board/drill/", DrillView.as_view(), name="drill"),
    path("chase/<int:unit_id>/", ChaseView.as_view(), name="chase"),
    path("calendar/", CalendarChooserView.as_view(), name="calendar_chooser"),
    path("calendar/<int:unit_id>/", CalendarView.as_view(), name="calendar"),
    path("rules/", RulesView.as_view(), name="rules"),
    path("exemptions/", ExemptionsView.as_view(), name="exemptions"),
    path("exemptions/add/", ExemptionAddView.as_view(), name="exemption_add"),
    path("exemptions/<int:exemption_id>/delete/", ExemptionDeleteView.as_view(), name="exemption_delete"),
]


@hooks.register("register_admin_urls")
def register_board_urls():
    return [path("supervision/", include((urlpatterns, app_name), namespace=app_name))]


class CountyOfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_county_office(request.user)


class CalendarMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(calendar_units(request.user))


@hooks.register("register_supervision_menu_item")
def board_menu_item():
    return CountyOfficeMenuItem(_("督办台"), reverse("supervision_board:board"), name="supervision-board", icon_name="table", order=100)


@hooks.register("register_supervision_menu_item")
def calendar_menu_item():
    return CalendarMenuItem(_("公开日历"), reverse("supervision_board:calendar_chooser"), name="supervision-calendar", icon_name="date", order=110)


@hooks.register("register_supervision_menu_item")
def rules_menu_item():
    return CountyOfficeMenuItem(_("督办规则"), reverse("supervision_board:rules"), name="supervision-rules", icon_name="cog", order=900)


@hooks.register("register_supervision_menu_item")
def exemptions_menu_item():
    return CountyOfficeMenuItem(_("免于公开"), reverse("supervision_board:exemptions"), name="supervision-exemptions", icon_name="form", order=910)


def own_units(user):
    """The units whose officers or leading group ``user`` is in."""
    groups = list(user.groups.values_list("pk", flat=True))  # values: see access.group_ids
    return list(default_units().filter(Q(officers_group__in=groups) | Q(leading_group__in=groups)).order_by("path"))


class UnitObligationsPanel(Component):
    """本单位应公开: the user's units' counts, the next obligations due or late, the latest chase."""

    name = "sunshine_unit_obligations"
    template_name = "supervision/calendar/panel.html"
    order = 90

    def __init__(self, user, units):
        self.user, self.units = user, units

    def render_html(self, parent_context=None):
        today = timezone.localdate()
        end_of_next = end_of_next_month(today)
        owed = Obligation.objects.filter(unit__in=self.units)
        # One grouped count and one list of chases for all the user's units.
        counts = {row["unit"]: row for row in owed.order_by().values("unit").annotate(
            due=Count("pk", filter=Q(status=ObligationStatus.DUE, due_on__lte=end_of_next)),
            missing=Count("pk", filter=Q(status=ObligationStatus.MISSING)),
        )}
        latest_chase = {}
        recent = timezone.now() - datetime.timedelta(days=PANEL_CHASE_DAYS)
        for chase in Chase.objects.filter(unit__in=self.units, sent_at__gte=recent).select_related("sent_by"):
            latest_chase.setdefault(chase.unit_id, chase)  # newest first (the model's ordering)
        rows = [
            {
                "unit": unit,
                "due": counts.get(unit.pk, {}).get("due", 0),
                "missing": counts.get(unit.pk, {}).get("missing", 0),
                "chase": latest_chase.get(unit.pk),
            }
            for unit in self.units
        ]
        if not any(row["due"] or row["missing"] or row["chase"] for row in rows):
            return ""
        upcoming = (
            owed.filter(Q(status=ObligationStatus.MISSING) | Q(status=ObligationStatus.DUE, due_on__lte=end_of_next))
            .select_related("unit", "entry").order_by("due_on", "pk")[:PANEL_SHOWN]
        )
        return render_to_string(self.template_name, {"rows": rows, "upcoming": upcoming})


@hooks.register("construct_homepage_panels")
def add_unit_obligations_panel(request, panels):
    if access.is_active(request.user):
        units = own_units(request.user)[:PANEL_SHOWN]
        if units:
            panels.append(UnitObligationsPanel(request.user, units))

