"""The workflow's admin views: what happened after a review action; asking to take a public item
down (申请撤回/撤除); creating the next stage of a pre-disclosure or decision item."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.timezone import localtime
from django.views import View
from django.views.generic import FormView, TemplateView
from django.utils.translation import gettext as _, gettext_lazy
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.create import CreateView
from wagtail.models import TaskState, WorkflowState

from disclosure_pages.choices import Takedown
from disclosure_pages.models import DisclosureItemPage

from . import guards
from . import models as outcomes
from .boundary import NOT_YOURS, may_read
from .forms import TakedownRequestForm
from .panels import review_rows, waiting_reviews
from .takedowns import VERBS, request_takedown
from .units import may_see


def describe_position(workflow_state):
    """Where the item stands now, in a short phrase."""
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        page = workflow_state.content_object.specific
        if getattr(page, "takedown", Takedown.NONE) != Takedown.NONE and page.live:
            return _("审核已全部完成，事项%(state)s") % {"state": page.get_takedown_display()}
        return _("审核已全部完成，事项已发布") if page.live else _("审核已全部完成")
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return _("事项已退回提交人修改")
    if workflow_state.status == WorkflowState.STATUS_CANCELLED:
        return _("审核已被撤回")
    current = workflow_state.current_task_state
    return _("事项当前处于“%(task)s”环节") % {"task": _(current.task.name)} if current else _("事项正在审核中")


def status_word(task_state):
    return {
        TaskState.STATUS_APPROVED: _("审核通过"),
        TaskState.STATUS_REJECTED: _("退回修改"),
        TaskState.STATUS_SKIPPED: _("自动跳过"),
        TaskState.STATUS_CANCELLED: _("撤回"),
    }.get(task_state.status, _("处理"))


class ActionOutcomeView(View):
    """Where ``DisclosureReviewTask.on_action`` sends the approver after any action."""

    def get(self, request, task_state_id):
        task_state = get_object_or_404(TaskState, pk=task_state_id).specific
        workflow_state = task_state.workflow_state
        page = workflow_state.content_object.specific
        if not may_read(request.user, page):
            # Anyone in the admin may type any id here: tell them nothing about another unit's item.
            messages.error(request, NOT_YOURS)
            return redirect("wagtailadmin_home")
        title = page.get_admin_display_title()
        outcome = request.GET.get("outcome", "")
        where = describe_position(workflow_state)

        if outcome == outcomes.APPROVED:
            skipped = workflow_state.task_states.filter(status=TaskState.STATUS_SKIPPED, pk__gt=task_state.pk).first()
            note = _("（无需县级审核：%(reason)s）") % {"reason": _(skipped.comment)} if skipped else ""
            messages.success(
                request,
                _("您已在“%(task)s”环节审核通过《%(title)s》%(note)s。%(where)s。")
                % {"task": _(task_state.task.name), "title": title, "note": note, "where": where},
            )
        elif outcome == outcomes.REJECTED:
            messages.success(request, _("已将《%(title)s》退回修改，退回理由已通知提交人。") % {"title": title})
        elif outcome == outcomes.ALREADY_DONE:
            who = task_state.finished_by.get_full_name() or task_state.finished_by.get_username() if task_state.finished_by else _("系统")
            when = localtime(task_state.finished_at).strftime("%Y-%m-%d %H:%M") if task_state.finished_at else ""
            messages.warning(
                request,
                _("《%(title)s》的“%(task)s”环节已由%(who)s于%(when)s%(status)s，无需重复操作。%(where)s。")
                % {"title": title, "task": _(task_state.task.name), "who": who, "when": when, "status": status_word(task_state), "where": where},
            )
        elif outcome == outcomes.MOVED_ON:
            messages.warning(request, _("您操作的审核环节已经结束，页面内容可能已过期，本次操作未生效。%(where)s，请刷新后再处理。") % {"where": where})
        elif outcome == outcomes.OWN_SUBMISSION:
            messages.error(request, _("《%(title)s》包含您本人提交或修改的内容，按照“四眼原则”须由其他审核人审核，本次操作未生效。") % {"title": title})
        elif outcome == outcomes.RESTARTED:
            messages.warning(request, _("《%(title)s》在审核期间被修改，已按新内容重新开始审核，本次操作未生效。%(where)s。") % {"title": title, "where": where})
        elif outcome == outcomes.INVALID:
            messages.error(request, _("审核信息不完整（审核通过须勾选保密审查确认，退回须填写理由），本次操作未生效。"))
        else:
            messages.error(request, _("您不是《%(title)s》当前环节的审核人，本次操作未生效。") % {"title": title})

        if page.permissions_for_user(request.user).can_edit():
            return redirect("wagtailadmin_pages:edit", page.pk)
        return redirect("wagtailadmin_home")


def back_to_the_unit(request, item):
    """Where a refused or finished request about ``item`` leads: its unit in the explorer, if the user may see it."""
    if may_see(request.user, item):
        return redirect("wagtailadmin_explore", item.get_parent().pk)
    return redirect("wagtailadmin_home")


class TakedownRequestView(WagtailAdminTemplateMixin, FormView):
    """申请撤回/撤除 (or 恢复公开) of a live item: a revision with the takedown, submitted for review."""

    template_name = "workflows/takedown_request.html"
    form_class = TakedownRequestForm
    page_title = "申请撤回或撤除"
    header_icon = "warning"

    def dispatch(self, request, page_id):
        # The page row is the live version (drafts are revisions): the request starts from it.
        self.item = get_object_or_404(DisclosureItemPage, pk=page_id)
        refusal = guards.refuse_takedown_request(request.user, self.item)
        if refusal:
            messages.error(request, refusal)
            return back_to_the_unit(request, self.item)
        return super().dispatch(request)

    def get_page_subtitle(self):
        return self.item.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_explore", args=[self.item.get_parent().pk]), "label": self.item.get_parent().title},
            {"url": "", "label": "申请撤回或撤除"},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "item": self.item}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            item=self.item,
            action_url=self.request.path,
            submit_button_label="提交审核",
            submit_button_active_label="正在提交…",
            **kwargs,
        )

    def form_valid(self, form):
        kind, reason = form.cleaned_data["kind"], form.cleaned_data["reason"]
        try:
            requested = request_takedown(self.item, self.request.user, kind, reason, form.cleaned_data.get("replacement"))
        except ValidationError as error:
            # The live content no longer passes validation (e.g. its catalogue entry was retired).
            problems = "；".join(error.messages)
            messages.error(self.request, f"《{self.item.title}》当前内容未通过校验，请先在编辑页面修正后再申请：{problems}")
            return redirect("wagtailadmin_pages:edit", self.item.pk)
        if requested is None:
            messages.error(self.request, f"《{self.item.title}》刚刚已有一次提交进入审核，本次申请未提交。")
            return back_to_the_unit(self.request, self.item)
        messages.success(
            self.request,
            f"已提交《{self.item.title}》的{VERBS[kind]}申请，审核通过后生效；在此之前，门户网站上的事项保持不变。",
        )
        return back_to_the_unit(self.request, self.item)


class NextStageCreateView(CreateView):
    """The add-item form of the item's unit, prefilled as the next stage (决策公开, 结果公开) of a live item."""

    # Only showing the form differs from Wagtail's add view: the form posts to the ordinary add URL.
    http_method_names = ["get"]

    def dispatch(self, request, page_id):
        self.source = get_object_or_404(DisclosureItemPage, pk=page_id)
        refusal = guards.refuse_next_stage(request.user, self.source, self.source.next_stage)
        if refusal:
            messages.error(request, refusal)
            return back_to_the_unit(request, self.source)
        options = DisclosureItemPage._meta
        return super().dispatch(request, options.app_label, options.model_name, self.source.get_parent().pk)

    def get(self, request):
        self.source.prefill_next_stage(self.page)
        messages.info(
            request,
            f"已按《{self.source.title}》（{self.source.get_stage_display()}）预填标题、所属目录、公开范围和事项类别，"
            f"并关联为上一阶段；请补充{self.page.get_stage_display()}的内容后提交审核。",
        )
        return super().get(request)


class AwaitingReviewView(WagtailAdminTemplateMixin, TemplateView):
    """待我审核 in full: every item waiting at a tier the user approves, oldest first, paginated."""

    template_name = "workflows/awaiting_review.html"
    page_title = gettext_lazy("待我审核")
    header_icon = "tasks"
    paginate_by = 50

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        page = Paginator(waiting_reviews(self.request.user), self.paginate_by).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            page=page, rows=review_rows(page.object_list),
            elided_page_range=page.paginator.get_elided_page_range(page.number), **kwargs
        )
