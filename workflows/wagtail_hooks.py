"""Admin integration of the review workflow: log actions, dashboard panels, unit-scope guards,
and the item buttons 申请撤回/撤除 and 创建决策公开/结果公开事项."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_noop
from wagtail import hooks
from wagtail.admin.action_menu import PageActionMenu, WorkflowMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.log_actions import LogFormatter

from disclosure_pages.choices import Stage, Takedown
from disclosure_pages.models import DisclosureItemPage

from . import boundary  # noqa: F401 (the admin hooks that keep other units' pages out of sight)
from . import guards, review_outcome
from .panels import ApprovalRecordPanel, AwaitingMyReviewPanel, CountyOverviewPanel, MySubmissionsPanel
from .takedowns import REQUESTED, TOOK_EFFECT, VERBS, pending_takedown
from .units import may_see, reach_of

# -- audit log --------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    @actions.register_action("sunshine.workflow.county_review_skipped")
    class CountyReviewSkipped(LogFormatter):
        label = "县级审核：自动跳过"

        def format_message(self, log_entry):
            return f"无需县级审核：{log_entry.data.get('reason', '')}"

    @actions.register_action("sunshine.workflow.referred_to_county")
    class ReferredToCounty(LogFormatter):
        label = "本单位审核：提请县级审核"

        def format_message(self, log_entry):
            return "本单位领导小组审核通过，并提请县级审核"

        def format_comment(self, log_entry):
            return log_entry.data.get("comment", "")

    @actions.register_action("sunshine.workflow.restarted_after_edit")
    class RestartedAfterEdit(LogFormatter):
        label = "审核期间修改，重新审核"

        def format_message(self, log_entry):
            task = log_entry.data.get("task", {}).get("title", "")
            return f"在“{task}”环节审核期间内容被修改，按新内容重新开始审核；修改人不能审核本次修改"

    @actions.register_action("sunshine.workflow.self_approval")
    class SelfApproval(LogFormatter):
        label = "超级管理员审核本人提交的内容"

        def format_message(self, log_entry):
            task = log_entry.data.get("task", {}).get("title", "")
            return f"超级管理员在“{task}”环节审核了本人提交的内容（SUNSHINE_ALLOW_SUPERUSER_SELF_APPROVAL 已开启）"

    actions.register_action(REQUESTED)(TakedownRequested)
    for kind, action in TOOK_EFFECT.items():
        verb = VERBS[kind]
        formatter = type(f"Takedown{kind.title()}TookEffect", (TakedownTookEffect,), {"verb": verb, "label": f"{verb}生效"})
        actions.register_action(action)(formatter)


class TakedownRequested(LogFormatter):
    """An officer asked to withdraw, remove or restore a public item, with the reason."""

    label = "申请撤回/撤除"

    def format_message(self, log_entry):
        kind = log_entry.data.get("kind", "")
        replacement = (log_entry.data.get("replacement") or {}).get("title")
        return f"申请{VERBS.get(kind, kind)}" + (f"，撤除后原网址跳转到《{replacement}》" if replacement else "")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


class TakedownTookEffect(LogFormatter):
    """A takedown (or restoration) published after its review; ``verb`` says which."""

    verb = ""

    def format_message(self, log_entry):
        replacement = (log_entry.data.get("replacement") or {}).get("title")
        return f"经审核{self.verb}，已生效" + (f"；原网址跳转到《{replacement}》" if replacement else "")

    def format_comment(self, log_entry):
        return log_entry.data.get("reason", "")


@hooks.register("register_admin_urls")
def register_review_urls():
    from .urls import urlpatterns

    return urlpatterns


@hooks.register("register_reports_menu_item")
def register_review_audit_menu_item():
    return MenuItem("审核记录", reverse("workflows_review_audit"), name="review-audit", icon_name="tasks", order=750)


# -- dashboard --------------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def add_review_panels(request, panels):
    # Ours say the same as Wagtail's two workflow panels, in the terms of the procedure.
    replaced = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in replaced]
    panels.append(AwaitingMyReviewPanel())
    panels.append(MySubmissionsPanel())
    panels.append(CountyOverviewPanel())


# -- unit scope: officers and leading groups work in their own unit ---------------------


def _refuse(request, message, page):
    messages.error(request, message)
    if page is not None and may_see(request.user, page):
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return redirect("wagtailadmin_home")


@hooks.register("before_edit_page")
def guard_edit(request, page):
    refusal = guards.refuse_outside_own_unit(request.user, page)
    if refusal:
        return _refuse(request, refusal, page)
    if request.method == "POST":
        if request.POST.get("action-workflow-action"):
            # Wagtail would fail with a server error on a garbled action form; refuse it instead.
            if not guards.is_action_data(request.POST.get("workflow-action-extra-data", "{}")):
                messages.error(request, _("审核信息格式有误，本次操作未生效，请刷新页面后重试。"))
                return redirect("wagtailadmin_pages:edit", page.pk)
        lock = page.get_lock()
        menu = PageActionMenu(request, view="edit", page=page, lock=lock,
                              locked_for_user=lock is not None and lock.for_user(request.user))
        refusal = refuse_unoffered_action(request, menu, page, redirect("wagtailadmin_pages:edit", page.pk))
        if refusal is None and request.POST.get("action-workflow-action"):
            review_outcome.expect(request)
        return refusal
    notice = guards.four_eyes_notice(request.user, page)
    if notice:
        messages.info(request, notice)
    takedown = pending_takedown(page.specific)
    if takedown:
        messages.warning(request, takedown_notice(takedown))
    notice = submission_refusal(request, page) if page.permissions_for_user(request.user).can_submit_for_moderation() else None
    if notice:
        messages.warning(request, notice)
    return None


def takedown_notice(takedown):
    """What an editor or approver of an item must know: its latest version asks to take it down (or back)."""
    replacement = _("，撤除后原网址跳转到《%(title)s》") % {"title": takedown.replacement.title} if takedown.replacement else ""
    reason = _("原因：%(reason)s") % {"reason": takedown.reason} if takedown.reason else ""
    return _("此版本是%(verb)s申请%(replacement)s。%(reason)s审核通过并发布后生效。") % {
        "verb": _(takedown.verb), "replacement": replacement, "reason": reason
    }


@hooks.register("after_edit_page")
def tell_the_outcome_of_a_review_in_the_editor(request, page):
    """Approving or rejecting from the editor's action menu: say what happened, as the dialog does."""
    url = review_outcome.take(request)
    return redirect(url) if url else None


@hooks.register("before_create_page")
def guard_create(request, parent_page, page_class):
    refusal = guards.refuse_outside_own_unit(request.user, parent_page, verb="添加")
    if refusal:
        return _refuse(request, refusal, parent_page)
    if request.method == "POST":
        menu = PageActionMenu(request, view="create", parent_page=parent_page, lock=None, locked_for_user=False)
        return refuse_unoffered_action(request, menu, parent_page, redirect(request.get_full_path()))
    notice = submission_refusal(request, parent_page) if parent_page.has_workflow else None
    if notice:
        messages.warning(request, notice)
    return None


# -- the editor's actions: only those its menu offers ------------------------------------


# The POST key of each action of the editor's menu (a review action posts its name apart).
ACTION_KEYS = {
    "action-publish": gettext_noop("发布"),
    "action-submit": gettext_noop("提交审核"),
    "action-restart-workflow": gettext_noop("重新提交审核"),
    "action-cancel-workflow": gettext_noop("撤回审核"),
}


def posted_action(request):
    """The name of the menu item a POST of the page editor says was pressed (None: save a draft)."""
    if request.POST.get("action-workflow-action"):
        return request.POST.get("workflow-action-name", "")
    return next((key for key in ACTION_KEYS if request.POST.get(key)), None)


def refuse_unoffered_action(request, menu, page, back):
    """A post naming an action the editor's ``menu`` does not offer the user (a forged or stale
    form) is refused whole, nothing saved; ``back``: where the user is sent."""
    action = posted_action(request)
    offered = {item.name for item in [menu.default_item, *menu.menu_items] if item is not None}
    if action is None or action in offered:
        return None
    reason = submission_refusal(request, page) if action == "action-submit" else None
    verb = _(ACTION_KEYS[action]) if action in ACTION_KEYS else _("审核")
    messages.error(request, (reason or _("您不能对此内容进行“%(verb)s”操作。") % {"verb": verb})
                   + _("本次操作未生效，内容未保存。"))
    return back


def submission_refusal(request, page):
    """Why ``request.user`` may not submit ``page`` (or a new page under it), or None: said on
    the editor that does not offer 提交审核 for that reason, and when such a post is refused. The
    importance is the form's when it is posted (the county's reviewers are needed for an
    important item), else the page's."""
    importance = request.POST.get("importance") if request.method == "POST" else getattr(page, "importance", None)
    return guards.refuse_submission(request.user, page, importance)


@hooks.register("construct_page_action_menu")
def offer_submission_only_when_someone_can_approve(menu_items, request, context):
    """No 提交审核 while nobody but the authors could approve (``guards.refuse_submission``)."""
    if not any(item.name == "action-submit" for item in menu_items):
        return
    if submission_refusal(request, context.get("page") or context["parent_page"]):
        menu_items[:] = [item for item in menu_items if item.name != "action-submit"]


@hooks.register("before_delete_page")
def guard_delete(request, page):
    refusal = guards.refuse_outside_own_unit(request.user, page, verb="删除")
    return _refuse(request, refusal, page) if refusal else None


@hooks.register("before_copy_page")
def guard_copy(request, page):
    refusal = guards.refuse_outside_own_unit(request.user, page, verb="复制")
    return _refuse(request, refusal, page) if refusal else None


@hooks.register("before_move_page")
def guard_move(request, page, destination):
    refusal = guards.refuse_outside_own_unit(request.user, page, verb="移动") or guards.refuse_outside_own_unit(
        request.user, destination, verb="移入"
    )
    return _refuse(request, refusal, page) if refusal else None


@hooks.register("before_unpublish_page")
def guard_unpublish(request, page):
    refusal = guards.refuse_outside_own_unit(request.user, page, verb="撤下")
    return _refuse(request, refusal, page) if refusal else None



# -- buttons on a live item: take it down, or create its next stage -------------------------


# Shown on live items of the units the user works in; the views check the rest (an item
# already under review, an empty leading group...) and say why when they refuse. The check
# is cheap because it runs for every row of the explorer.


class TakedownRequestButton(PageMenuItem):
    """申请撤回/撤除 on a live item of the user's own unit."""

    label = "申请撤回/撤除"
    icon_name = "warning"
    url_name = "workflows_takedown_request"

    def is_shown(self, user):
        return reach_of(user).manages_unit_id(self.page.unit_id)


class NextStageButton(PageMenuItem):
    """创建决策公开事项 / 创建结果公开事项 on a live pre-disclosure or decision item of the user's own unit."""

    icon_name = "plus"
    url_name = "workflows_next_stage"

    def __init__(self, *, page, priority):
        super().__init__(label=f"创建{Stage(page.next_stage).label}事项", page=page, priority=priority)

    def is_shown(self, user):
        return reach_of(user).manages_unit_id(self.page.unit_id)


def item_buttons(page):
    item = page.specific_deferred
    if not isinstance(item, DisclosureItemPage) or not item.live:
        return []
    buttons = [TakedownRequestButton(page=item, priority=45)]
    if item.next_stage and item.takedown == Takedown.NONE:
        buttons.append(NextStageButton(page=item, priority=46))
    return buttons


@hooks.register("register_page_header_buttons")
def item_header_buttons(page, user, view_name, next_url=None):
    return item_buttons(page)


@hooks.register("register_page_listing_more_buttons")
def item_listing_buttons(page, user, next_url=None):
    return item_buttons(page)


# The review actions first: the first item of the editor's action menu is its primary button.
REVIEW_ACTION_ORDER = ("approve", "refer_up", "reject")


@hooks.register("construct_page_action_menu")
def review_actions_first(menu_items, request, context):
    """An approver whose step the item waits at gets 审核通过 as the primary button (Wagtail puts
    保存草稿 first), 退回修改 and the rest of the review actions next in the menu."""
    review = [item for item in menu_items if isinstance(item, WorkflowMenuItem)]
    if not review:
        return
    rank = {name: position for position, name in enumerate(REVIEW_ACTION_ORDER)}
    review.sort(key=lambda item: rank.get(item.name, len(rank)))
    menu_items[:] = review + [item for item in menu_items if not isinstance(item, WorkflowMenuItem)]


# -- the public item page ---------------------------------------------------------------


@hooks.register("register_item_panel")
def approval_record_panel(page, request):
    return ApprovalRecordPanel(page)


# -- officers' reminders ------------------------------------------------------------------------


@hooks.register("register_officer_reminders")
def approvals_waiting(user):
    """待我审核 by e-mail (alerts' daily summary): the same rows as the dashboard panel, each
    due when it becomes overdue (``SUNSHINE_REVIEW_OVERDUE_DAYS`` after it started waiting)."""
    from datetime import timedelta

    from django.utils import timezone

    from .conf import app_settings as workflow_settings
    from .panels import awaiting_review

    days = timedelta(days=workflow_settings.SUNSHINE_REVIEW_OVERDUE_DAYS)
    items = [
        (row["title"], reverse("wagtailadmin_pages:edit", args=[row["page"].pk]), timezone.localdate(row["started_at"] + days))
        for row in awaiting_review(user)
    ]
    return _("待我审核"), items
