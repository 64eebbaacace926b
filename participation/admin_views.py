"""The 意见办理 admin section: the queue, one opinion with its steps, offline entry, answers to approve.

Every step is a form posted to the opinion's page and handed to the matching ``handling``
function; its ``HandlingError`` is shown as the message. Who sees what is ``access``'s: an
opinion the user may not see answers exactly as a number that does not exist.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.paginator import Paginator
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.shortcuts import redirect
from django.templatetags.static import static
from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage

from . import access, handling, intake
from .admin_forms import (
    AnswerForm, AssignForm, CloseForm, HideForm, MergeForm, OfflineOpinionForm, QueueFilterForm, RejectForm, TransferForm,
)
from .choices import AnswerStatus, Moderation, State
from .models import CalendarDay, Opinion, OpinionCatalogueEntry

QUEUE_PAGE_SIZE = 30
OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS)


def with_overdue_first(opinions, today=None):
    """Overdue opinions first, then by deadline (none last), then the newest."""
    today = today or timezone.localdate()
    overdue = Case(
        When(Q(deadline__lt=today) & ~Q(state__in=State.answered()), then=Value(True)),
        default=Value(False), output_field=BooleanField(),
    )
    return opinions.annotate(overdue=overdue).order_by("-overdue", F("deadline").asc(nulls_last=True), "-created_at", "-pk")


def waiting_on(user):
    """Opinions waiting on ``user``: pending moderation in a unit they handle, or assigned to them and not answered."""
    handled = Opinion.objects.filter(unit__in=access.handled_units(user))
    return with_overdue_first(
        Opinion.objects.filter(
            Q(pk__in=handled.filter(moderation=Moderation.PENDING).values("pk"))
            | Q(assignee=user, state__in=OPEN_STATES)
        ).select_related("unit")
    )


class SectionView(WagtailAdminTemplateMixin, TemplateView):
    """A page of the section: for the users ``access.works_on_opinions`` names, Wagtail's refusal for others."""

    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not access.works_on_opinions(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("participation_admin:queue"), "label": _("意见办理")},
            {"url": "", "label": self.get_page_title()},
        ]


class QueueView(SectionView):
    """办理队列: the opinions of the user's units (every unit for the county office), overdue first."""

    template_name = "participation/admin/queue.html"
    page_title = gettext_lazy("办理队列")

    def get_context_data(self, **kwargs):
        user = self.request.user
        filters = QueueFilterForm(self.request.GET or None, user=user)
        opinions = filters.filter(access.visible_opinions(user).select_related("unit", "assignee"))
        page = Paginator(with_overdue_first(opinions), QUEUE_PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            filters=filters, page=page, opinions=page.object_list,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            county_office=access.is_county_office(user), **kwargs
        )


class OpinionView(SectionView):
    """One opinion: its text, the timeline of its steps, its answers, and the steps the user may take."""

    template_name = "participation/admin/opinion.html"
    STEPS = {"publish", "hide", "merge", "assign", "transfer", "start", "answer", "approve", "reject", "close"}

    def dispatch(self, request, opinion_id):
        self.opinion = (
            Opinion.objects.select_related("unit", "received_by", "item", "assignee", "merged_into")
            .filter(pk=opinion_id).first()
        )
        if self.opinion is None or not access.sees(request.user, self.opinion):
            # Someone else's opinion is refused exactly like a missing one: its existence is not told.
            return permission_denied(request)
        return super().dispatch(request)

    def get_page_title(self):
        return _("意见 %(number)s") % {"number": self.opinion.number}

    # -- the steps -------------------------------------------------------------------------

    def offered(self):
        """The steps shown to this user now. The handling functions check again whatever is posted."""
        user, opinion = self.request.user, self.opinion
        handles = access.handles(user, opinion)
        directs = handles or access.is_county_office(user)
        merged = opinion.moderation == Moderation.MERGED
        pending = opinion.pending_answer
        steps = set()
        if handles and not merged:
            if opinion.moderation != Moderation.PUBLISHED:
                steps.add("publish")
            if opinion.moderation != Moderation.HIDDEN:
                steps.add("hide")
            steps.add("merge")
        if directs and not merged and opinion.state in OPEN_STATES:
            steps.add("assign")
            if pending is None:
                steps.add("transfer")
        if handles and opinion.state in (State.RECEIVED, State.ASSIGNED):
            steps.add("start")
        if handles and not merged and opinion.state in OPEN_STATES and pending is None:
            steps.add("answer")
        if pending is not None and self.may_decide(pending):
            steps.update({"approve", "reject"})
        if handles and opinion.state == State.ANSWERED:
            steps.add("close")
        return steps

    def may_decide(self, answer):
        user = self.request.user
        if user.pk in (answer.author_id, answer.unit_approver_id):
            return False
        if answer.status == AnswerStatus.PENDING_UNIT:
            return access.approves_for_unit(user, self.opinion.unit)
        return access.approves_for_county(user, self.opinion.unit)

    def build_forms(self, data=None, action=None):
        user, opinion = self.request.user, self.opinion
        kinds = {
            "hide": lambda bound: HideForm(bound, prefix="hide"),
            "merge": lambda bound: MergeForm(bound, prefix="merge", user=user, opinion=opinion),
            "assign": lambda bound: AssignForm(bound, prefix="assign", user=user, opinion=opinion, initial=self.assign_initial()),
            "transfer": lambda bound: TransferForm(bound, prefix="transfer", user=user, opinion=opinion),
            "answer": lambda bound: AnswerForm(bound, prefix="answer", initial={"important": opinion.important}),
            "reject": lambda bound: RejectForm(bound, prefix="reject"),
            "close": lambda bound: CloseForm(bound, prefix="close"),
        }
        return {kind: make(data if kind == action else None) for kind, make in kinds.items()}

    def assign_initial(self):
        return {"assignee": self.opinion.assignee_id} if self.opinion.assignee_id else {}

    def post(self, request):
        action = request.POST.get("action", "")
        if action == "contact":
            return self.show_contact()
        forms = self.build_forms(request.POST, action)
        form = forms.get(action)
        if action not in self.STEPS:
            messages.error(request, _("未知的操作。"))
            return redirect("participation_admin:opinion", self.opinion.pk)
        if form is not None and not form.is_valid():
            messages.error(request, _("请更正下面标出的错误。"))
            return self.render_to_response(self.get_context_data(forms=forms, open_action=action))
        try:
            done = getattr(self, f"step_{action}")(form.cleaned_data if form is not None else {})
        except handling.HandlingError as refusal:
            messages.error(request, str(refusal))
            return self.render_to_response(self.get_context_data(forms=forms, open_action=action))
        messages.success(request, done)
        return redirect("participation_admin:opinion", self.opinion.pk)

    def step_publish(self, data):
        handling.publish(self.opinion, self.request.user)
        return _("意见已公开（不含提交人身份）。")

    def step_hide(self, data):
        handling.hide(self.opinion, self.request.user, data["reason"], data["note"])
        return _("已设为不予公开。")

    def step_merge(self, data):
        handling.merge(self.opinion, self.request.user, data["number"])
        return _("已合并到意见 %(number)s。") % {"number": data["number"].number}

    def step_assign(self, data):
        opinion = handling.assign(self.opinion, self.request.user, data["assignee"], data.get("working_days"))
        return _("已交办，办理期限至 %(deadline)s。") % {"deadline": f"{opinion.deadline:%Y-%m-%d}"}

    def step_transfer(self, data):
        handling.transfer(self.opinion, self.request.user, data["to_unit"], data["note"])
        return _("已转办给%(unit)s。") % {"unit": data["to_unit"].display_name}

    def step_start(self, data):
        handling.start(self.opinion, self.request.user)
        return _("已开始办理。")

    def step_answer(self, data):
        handling.submit_answer(self.opinion, self.request.user, data["body"], data["outcome"], important=data["important"])
        return _("答复已提交，待本单位领导小组审核。")

    def pending_or_refuse(self):
        answer = self.opinion.pending_answer
        if answer is None:
            raise handling.HandlingError(_("该意见没有待审核的答复。"))
        return answer

    def step_approve(self, data):
        answer = handling.approve_answer(self.pending_or_refuse(), self.request.user)
        if answer.status == AnswerStatus.PENDING_COUNTY:
            return _("审核通过，已提请县级审核。")
        return _("审核通过，答复已公开。")

    def step_reject(self, data):
        handling.reject_answer(self.pending_or_refuse(), self.request.user, data["reason"])
        return _("答复已退回修改。")

    def step_close(self, data):
        handling.close(self.opinion, self.request.user, data["note"])
        return _("已销号。")

    def show_contact(self):
        try:
            contact = handling.contact_for(self.opinion, self.request.user)
        except handling.HandlingError as refusal:
            messages.error(self.request, str(refusal))
            return redirect("participation_admin:opinion", self.opinion.pk)
        return self.render_to_response(self.get_context_data(contact=contact, contact_shown=True))

    # -- the page ----------------------------------------------------------------------------

    def get_context_data(self, forms=None, open_action=None, **kwargs):
        user, opinion = self.request.user, self.opinion
        return super().get_context_data(
            opinion=opinion,
            forms=forms or self.build_forms(),
            offered=self.offered(),
            open_action=open_action,
            events=opinion.events.select_related("actor", "from_unit", "to_unit").order_by("at", "pk"),
            answers=opinion.answers.select_related("author", "unit_approver", "county_approver").order_by("submitted_at", "pk"),
            duplicates=opinion.duplicates.all(),
            reads_contact=access.reads_contact(user, opinion),
            days_editable=access.is_county_office(user),
            **kwargs,
        )


class OfflineEntryView(SectionView):
    """录入线下意见: the officer's record of an opinion taken at a hearing, meeting, box, visit or hotline."""

    template_name = "participation/admin/offline_entry.html"
    page_title = gettext_lazy("录入线下意见")

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or OfflineOpinionForm(user=self.request.user), **kwargs)

    def post(self, request):
        form = OfflineOpinionForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                opinion, _code = intake.enter_offline(
                    request.user, unit=data["unit"], channel=data["channel"], received_on=data["received_on"],
                    body=data["body"], subject=data["subject"], place=data["place"], name=data["name"],
                    contact_kind=data["contact_kind"], contact=data["contact"], item=data["item"],
                )
            except intake.IntakeError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("已录入，受理编号 %(number)s。") % {"number": opinion.number})
                return redirect("participation_admin:opinion", opinion.pk)
        return self.render_to_response(self.get_context_data(form=form))


class AnswersAwaitingView(SectionView):
    """待审核答复: the answers this user approves now (never their own)."""

    template_name = "participation/admin/answers_awaiting.html"
    page_title = gettext_lazy("待审核答复")

    def get_context_data(self, **kwargs):
        answers = access.answers_awaiting(self.request.user).select_related("opinion__unit", "author").order_by("submitted_at", "pk")
        return super().get_context_data(answers=answers, **kwargs)


app_name = "participation_admin"

urlpatterns = [
    path("", QueueView.as_view(), name="queue"),
    path("<int:opinion_id>/", OpinionView.as_view(), name="opinion"),
    path("offline/", OfflineEntryView.as_view(), name="offline"),
    path("answers/", AnswersAwaitingView.as_view(), name="answers"),
]


# -- the county office's settings: which catalogue entries take opinions, holidays --------------


class CountyOfficePolicy(BasePermissionPolicy):
    """Only the county office (and superusers) set what takes opinions and which days are worked."""

    def user_has_permission(self, user, action):
        return access.is_county_office(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        groups = [
            group_id
            for pair in UnitPage.objects.filter(unit_type=UnitType.COUNTY).values_list("officers_group", "leading_group")
            for group_id in pair if group_id is not None
        ]
        return User.objects.filter(Q(is_superuser=True) | Q(groups__in=groups), is_active=True).distinct()


register_permission_policy(OpinionCatalogueEntry, CountyOfficePolicy(OpinionCatalogueEntry))
register_permission_policy(CalendarDay, CountyOfficePolicy(CalendarDay))


class CountyOfficeViewSet(ModelViewSet):
    """A county office's setting: its policy decides, so group permissions for it would mislead (none offered)."""

    add_to_admin_menu = False
    copy_view_enabled = False  # one row per entry or date: a copy could only clash

    def get_permissions_to_register(self):
        return Permission.objects.none()


class OpinionCatalogueEntryViewSet(CountyOfficeViewSet):
    model = OpinionCatalogueEntry
    icon = "list-ul"
    menu_label = gettext_lazy("征求意见目录")
    name = "opinion_catalogue_entries"
    url_prefix = "opinions/catalogue-entries"
    form_fields = ["entry", "open_days"]
    list_display = ["entry", "open_days"]


class CalendarDayViewSet(CountyOfficeViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = gettext_lazy("节假日与调休")
    name = "opinion_calendar_days"
    url_prefix = "opinions/calendar"
    form_fields = ["date", "working", "name"]
    list_display = ["date", "name", "working"]
    list_filter = ["working"]


catalogue_entries_viewset = OpinionCatalogueEntryViewSet()
calendar_viewset = CalendarDayViewSet()


@hooks.register("register_admin_viewset")
def register_county_settings():
    return [catalogue_entries_viewset, calendar_viewset]


# -- the menu, the URLs, the dashboard ----------------------------------------------------------


class SectionMenuItem(MenuItem):
    def is_shown(self, request):
        return access.works_on_opinions(request.user)


class CountyOfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_county_office(request.user)


@hooks.register("register_admin_urls")
def register_section_urls():
    return [path("opinions/", include((urlpatterns, app_name), namespace=app_name))]


@hooks.register("register_admin_menu_item")
def register_section_menu():
    menu = Menu(items=[
        SectionMenuItem(_("办理队列"), reverse("participation_admin:queue"), name="opinion-queue", icon_name="list-ul", order=100),
        SectionMenuItem(_("待审核答复"), reverse("participation_admin:answers"), name="opinion-answers", icon_name="tasks", order=200),
        SectionMenuItem(_("录入线下意见"), reverse("participation_admin:offline"), name="opinion-offline", icon_name="plus", order=300),
        CountyOfficeMenuItem(_("征求意见目录"), reverse(catalogue_entries_viewset.get_url_name("index")),
                             name="opinion-catalogue", icon_name="list-ul", order=400),
        CountyOfficeMenuItem(_("节假日与调休"), reverse(calendar_viewset.get_url_name("index")),
                             name="opinion-calendar", icon_name="date", order=500),
    ])
    return SubmenuMenuItem(_("意见办理"), menu, name="opinions", icon_name="comment", order=260)


class WaitingOpinionsPanel(Component):
    """待办意见: to moderate in the user's units, or assigned to them; overdue first."""

    name = "sunshine_waiting_opinions"
    template_name = "participation/admin/panels/waiting_opinions.html"
    order = 95
    shown = 8

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        opinions = waiting_on(self.user)
        count = opinions.count()
        if not count:
            return ""
        return render_to_string(self.template_name, {
            "opinions": opinions[: self.shown], "count": count,
            "overdue_count": opinions.overdue().count(), "queue_url": reverse("participation_admin:queue"),
        })


class AnswersAwaitingPanel(Component):
    """待审核答复: the answers waiting on this user's approval."""

    name = "sunshine_answers_awaiting"
    template_name = "participation/admin/panels/answers_awaiting.html"
    order = 96
    shown = 8

    def __init__(self, user):
        self.user = user

    def render_html(self, parent_context=None):
        answers = access.answers_awaiting(self.user).select_related("opinion__unit", "author").order_by("submitted_at", "pk")
        count = answers.count()
        if not count:
            return ""
        return render_to_string(self.template_name, {
            "answers": answers[: self.shown], "count": count, "list_url": reverse("participation_admin:answers"),
        })


@hooks.register("insert_global_admin_css")
def section_css():
    # Everywhere in the admin: the dashboard's panels use it as well as the section's pages.
    return format_html('<link rel="stylesheet" href="{}">', static("participation/admin.css"))


@hooks.register("construct_homepage_panels")
def add_opinion_panels(request, panels):
    if access.works_on_opinions(request.user):
        panels.append(WaitingOpinionsPanel(request.user))
        panels.append(AnswersAwaitingPanel(request.user))
