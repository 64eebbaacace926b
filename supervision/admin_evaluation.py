"""评议 in the admin, for the county office only: questionnaires (评议问卷) and rounds (评议轮次).

Each office sees and edits its own county's questionnaires and rounds; anyone else is refused
(Wagtail's refusal), and another county's objects answer as missing ones. A questionnaire a
round has been voted on is no longer edited or deleted: its ballots answer its questions.
While a round is open the office sees turnout only; scores appear when it closes.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage
from workflows.overview import county_of_user

from . import access, evaluation
from .admin_pages import CountyOfficePage
from .choices import RoundState
from .forms_evaluation import RoundForm
from .models import EvaluationRound, Questionnaire
from .views_evaluation import results_context, scores_chart, titles_in_script

# -- questionnaires ---------------------------------------------------------------------------


class CountyOfficePolicy(BasePermissionPolicy):
    """The county office decides; group permissions would mislead, so none are offered."""

    def user_has_permission(self, user, action):
        return access.is_county_office(user)

    def users_with_any_permission(self, actions):
        groups = [
            group_id
            for pair in UnitPage.objects.filter(unit_type=UnitType.COUNTY).values_list("officers_group", "leading_group")
            for group_id in pair if group_id is not None
        ]
        return get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__in=groups), is_active=True).distinct()


register_permission_policy(Questionnaire, CountyOfficePolicy(Questionnaire))


def in_use(questionnaire):
    """Voted on (a round past its draft): its questions must stay as the ballots answered them."""
    return questionnaire.rounds.exclude(state=RoundState.DRAFT).exists()


class QuestionnaireIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(county=county_of_user(self.request.user))


class QuestionnaireCreateView(CreateView):
    def dispatch(self, request, *args, **kwargs):
        if county_of_user(request.user) is None:
            return permission_denied(request)  # not a county office (or a superuser of a site without a county)
        return super().dispatch(request, *args, **kwargs)

    def get_initial_form_instance(self):
        return Questionnaire(county=county_of_user(self.request.user))


class OwnUnusedQuestionnaireMixin:
    """Edit or delete: the office's own county's questionnaire (another county's is refused as a
    missing one), and only while no round has been voted on with it."""

    refusal = ""

    def dispatch(self, request, *args, **kwargs):
        if not access.is_county_office(request.user):
            return permission_denied(request)
        questionnaire = Questionnaire.objects.filter(pk=kwargs.get("pk"), county=county_of_user(request.user)).first()
        if questionnaire is None:
            return permission_denied(request)
        if self.frozen(questionnaire):
            messages.error(request, self.refusal)
            return redirect(questionnaire_viewset.get_url_name("index"))
        return super().dispatch(request, *args, **kwargs)


class QuestionnaireEditView(OwnUnusedQuestionnaireMixin, EditView):
    refusal = gettext_lazy("该问卷已用于评议，不能再修改；如需调整请新建问卷。")

    def frozen(self, questionnaire):
        return in_use(questionnaire)


class QuestionnaireDeleteView(OwnUnusedQuestionnaireMixin, DeleteView):
    refusal = gettext_lazy("该问卷已用于评议轮次，不能删除。")

    def frozen(self, questionnaire):
        return questionnaire.rounds.exists()


class QuestionnaireViewSet(ModelViewSet):
    model = Questionnaire
    icon = "list-ul"
    menu_label = gettext_lazy("评议问卷")
    name = "evaluation_questionnaires"
    url_prefix = "supervision/evaluation/questionnaires"
    add_to_admin_menu = False
    copy_view_enabled = False
    list_display = ["name", "scale"]
    index_view_class = QuestionnaireIndexView
    add_view_class = QuestionnaireCreateView
    edit_view_class = QuestionnaireEditView
    delete_view_class = QuestionnaireDeleteView

    def get_permissions_to_register(self):
        return Permission.objects.none()


questionnaire_viewset = QuestionnaireViewSet()


@hooks.register("register_admin_viewset")
def register_questionnaires():
    return questionnaire_viewset


# -- rounds ------------------------------------------------------------------------------------


class RoundsSection(CountyOfficePage):
    """A page of 评议轮次."""

    section = ("supervision_evaluation:rounds", gettext_lazy("评议轮次"))

    def own_round(self, round_id):
        """A round of the office's county, or None (another county's is refused as a missing one)."""
        return EvaluationRound.objects.select_related("questionnaire__county").filter(
            pk=round_id, questionnaire__county=self.county,
        ).first()


class RoundsView(RoundsSection):
    template_name = "supervision/admin/evaluation/rounds.html"
    page_title = gettext_lazy("评议轮次")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        rounds = EvaluationRound.objects.filter(questionnaire__county=self.county).select_related("questionnaire")
        return super().get_context_data(rounds=rounds, **kwargs)


class RoundFormView(RoundsSection):
    """Create a round, or change one that has not opened."""

    template_name = "supervision/admin/evaluation/round_form.html"

    def get_page_title(self):
        return _("修改评议轮次") if self.round_id else _("新建评议轮次")

    def dispatch(self, request, *args, round_id=None, **kwargs):
        self.round_id = round_id
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.editable():
            return permission_denied(request)
        return super().get(request, *args, **kwargs)

    def editable(self):
        """A new round, or one of the county's still in draft (an opened round's settings are what its voters saw)."""
        self.instance = None if self.round_id is None else self.own_round(self.round_id)
        return self.round_id is None or (self.instance is not None and self.instance.state == RoundState.DRAFT)

    def get_context_data(self, form=None, **kwargs):
        form = form or RoundForm(instance=self.instance, county=self.county)
        return super().get_context_data(form=form, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.editable():
            return permission_denied(request)
        form = RoundForm(request.POST, instance=self.instance, county=self.county)
        if not form.is_valid():
            messages.error(request, _("请更正下面标出的错误。"))
            return self.render_to_response(self.get_context_data(form=form))
        evaluation_round = form.save()
        messages.success(request, _("评议轮次“%(name)s”已保存。") % {"name": evaluation_round.name})
        return redirect("supervision_evaluation:round", evaluation_round.pk)


class RoundView(RoundsSection):
    """One round: its settings, open/close, per unit turnout while open and results once closed."""

    template_name = "supervision/admin/evaluation/round.html"

    def dispatch(self, request, *args, round_id, **kwargs):
        self.round_id = round_id
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.round.name

    def get(self, request, *args, **kwargs):
        self.round = self.own_round(self.round_id)
        if self.round is None:
            return permission_denied(request)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.round = self.own_round(self.round_id)
        if self.round is None:
            return permission_denied(request)
        action = request.POST.get("action")
        if action == "delete":
            try:
                evaluation.delete_round(self.round)
            except evaluation.EvaluationError as refusal:
                messages.error(request, str(refusal))
                return redirect("supervision_evaluation:round", self.round.pk)
            messages.success(request, _("评议轮次已删除。"))
            return redirect("supervision_evaluation:rounds")
        steps = {"open": (evaluation.open_round, _("评议已开始。")), "close": (evaluation.close_round, _("评议已结束，结果已计算。"))}
        if action not in steps:
            messages.error(request, _("未知的操作。"))
        else:
            step, done = steps[action]
            try:
                step(self.round)
            except evaluation.EvaluationError as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, done)
        return redirect("supervision_evaluation:round", self.round.pk)

    def get_context_data(self, **kwargs):
        context = {"round": self.round, "closed": self.round.state == RoundState.CLOSED}
        if context["closed"]:
            context.update(results_context(evaluation.RoundResults(self.round, evaluation.result_rows(self.round))))
        else:
            rows = evaluation.turnout(self.round)
            titles = titles_in_script(row.unit for row in rows)
            context["turnout"] = [(titles[row.unit.pk], row) for row in rows]
            context["chart"] = scores_chart(
                f"turnout-{self.round.pk}", _("%(name)s：各单位参评率") % {"name": self.round.name},
                _("横条为各单位已参评人数占应参评人数的百分比，数据见下表。"),
                [(titles[row.unit.pk], row.rate) for row in rows if row.rate is not None], suffix="%",
            )
        return super().get_context_data(**context, **kwargs)


urlpatterns = [
    path("", RoundsView.as_view(), name="rounds"),
    path("new/", RoundFormView.as_view(), name="round_new"),
    path("<int:round_id>/", RoundView.as_view(), name="round"),
    path("<int:round_id>/edit/", RoundFormView.as_view(), name="round_edit"),
]


@hooks.register("register_admin_urls")
def register_round_urls():
    return [path("supervision/evaluation/rounds/", include((urlpatterns, "supervision_evaluation"), namespace="supervision_evaluation"))]


class CountyOfficeMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_county_office(request.user)


@hooks.register("register_supervision_menu_item")
def register_questionnaires_menu_item():
    return CountyOfficeMenuItem(_("评议问卷"), reverse(questionnaire_viewset.get_url_name("index")),
                                name="evaluation-questionnaires", icon_name="list-ul", order=300)


@hooks.register("register_supervision_menu_item")
def register_rounds_menu_item():
    return CountyOfficeMenuItem(_("评议轮次"), reverse("supervision_evaluation:rounds"), name="evaluation-rounds",
                                icon_name="clipboard-list", order=310)
