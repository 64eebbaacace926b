"""The admin's 督查意见 pages: the queue of the notes on the user's units, one note with its
answer form (整改答复), the dashboard panel 待答复督查意见, and the menu entry.

The unit's officers and leading group answer; the county office reads every unit's notes and
answers only those of a unit it manages. A note of another unit is refused like a missing one.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from workflows.units import reach_of

from . import access, inspections
from .admin_pages import SupervisionPage
from .choices import InspectionState
from .models import Inspection

app_name = "supervision_inspections"
QUEUE_PAGE_SIZE = 30


def works_on_inspections(user):
    """Those who manage a unit, and the county office."""
    return access.is_active(user) and (access.is_county_office(user) or bool(reach_of(user).managed))


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("整改答复"), widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Inspection._meta.get_field("answer").max_length,
        error_messages={"required": gettext_lazy("请填写整改答复。"), "max_length": gettext_lazy("整改答复不能超过 %(limit_value)d 字。")},
    )


class SectionView(SupervisionPage):
    section = ("supervision_inspections:queue", gettext_lazy("督查意见"))

    def may_open(self, user):
        return works_on_inspections(user)


class QueueView(SectionView):
    """The notes of the user's units (every unit's for the county office), overdue first."""

    template_name = "supervision/admin/inspections/queue.html"
    page_title = gettext_lazy("督查意见")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        user = self.request.user
        notes = inspections.with_overdue_first(inspections.for_admin(user)).select_related("unit", "filed_by")
        state = self.request.GET.get("state", "")
        if state in InspectionState.values:
            notes = notes.filter(state=state)
        page = Paginator(notes, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            page=page, notes=page.object_list, states=InspectionState.choices, state=state,
            county_office=access.is_county_office(user), **kwargs
        )


class DetailView(SectionView):
    """One note: its text, the item it is about, its steps, and the answer form for the unit."""

    template_name = "supervision/admin/inspections/detail.html"

    def dispatch(self, request, inspection_id):
        self.note = Inspection.objects.select_related("unit", "item", "obligation__entry", "filed_by", "answered_by").filter(pk=inspection_id).first()
        if self.note is None or not inspections.may_see_in_admin(request.user, self.note):
            # Another unit's note is refused exactly like a missing one: its existence is not told.
            # (Wagtail's refusal, not a 404: the i18n middleware would turn an admin 404 into a
            # redirect to a portal address.)
            return permission_denied(request)
        return super().dispatch(request)

    def get_page_title(self):
        return _("督查意见 %(number)s") % {"number": self.note.number}

    def answers(self):
        return self.note.state in inspections.OPEN_STATES and access.manages(self.request.user, self.note.unit)

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(
            note=self.note, steps=self.note.steps.select_related("by"),
            form=form or (AnswerForm() if self.answers() else None), **kwargs
        )

    def post(self, request):
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            inspections.answer(self.note, request.user, form.cleaned_data["answer"])
        except inspections.InspectionError as refusal:
            messages.error(request, refusal.message)
            return redirect("supervision_inspections:detail", self.note.pk)
        messages.success(request, _("整改答复已提交，已通知监督员。"))
        return redirect("supervision_inspections:detail", self.note.pk)


urlpatterns = [
    path("", QueueView.as_view(), name="queue"),
    path("<int:inspection_id>/", DetailView.as_view(), name="detail"),
]


@hooks.register("register_admin_urls")
def register_inspection_urls():
    return [path("supervision/inspections/", include((urlpatterns, app_name), namespace=app_name))]


class InspectionsMenuItem(MenuItem):
    def is_shown(self, request):
        return works_on_inspections(request.user)


@hooks.register("register_supervision_menu_item")
def inspections_menu_item():
    return InspectionsMenuItem(_("督查意见"), reverse("supervision_inspections:queue"), name="inspections", icon_name="clipboard-list", order=200)


class WaitingInspectionsPanel(Component):
    """待答复督查意见: open or returned notes of the units the user manages, overdue first."""

    name = "sunshine_waiting_inspections"
    template_name = "supervision/admin/inspections/panel.html"
    order = 97
    shown = 8

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        notes = inspections.waiting_on(self.user).select_related("unit")
        count = notes.count()
        if not count:
            return ""
        return render_to_string(self.template_name, {
            "notes": notes[: self.shown], "count": count,
            "overdue_count": notes.filter(is_late=True).count(), "queue_url": reverse("supervision_inspections:queue"),
        })


@hooks.register("construct_homepage_panels")
def add_inspections_panel(request, panels):
    if access.is_active(request.user) and reach_of(request.user).managed:
        panels.append(WaitingInspectionsPanel(request.user))
