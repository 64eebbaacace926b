"""After a review action: tell the approver, in Chinese, what happened and where the item is now."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.timezone import localtime
from django.views import View
from wagtail.admin import messages
from wagtail.models import TaskState, WorkflowState

from . import models as outcomes


def describe_position(workflow_state):
    """Where the item stands now, in a short phrase."""
    if workflow_state.status == WorkflowState.STATUS_APPROVED:
        return "审核已全部完成，事项已发布" if workflow_state.content_object.live else "审核已全部完成"
    if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "事项已退回提交人修改"
    if workflow_state.status == WorkflowState.STATUS_CANCELLED:
        return "审核已被撤回"
    current = workflow_state.current_task_state
    return f"事项当前处于“{current.task.name}”环节" if current else "事项正在审核中"


def status_word(task_state):
    return {
        TaskState.STATUS_APPROVED: "审核通过",
        TaskState.STATUS_REJECTED: "退回修改",
        TaskState.STATUS_SKIPPED: "自动跳过",
        TaskState.STATUS_CANCELLED: "撤回",
    }.get(task_state.status, "处理")


class ActionOutcomeView(View):
    """Where ``DisclosureReviewTask.on_action`` sends the approver after any action."""

    def get(self, request, task_state_id):
        task_state = get_object_or_404(TaskState, pk=task_state_id).specific
        workflow_state = task_state.workflow_state
        page = workflow_state.content_object.specific
        title = page.get_admin_display_title()
        outcome = request.GET.get("outcome", "")
        where = describe_position(workflow_state)

        if outcome == outcomes.APPROVED:
            skipped = workflow_state.task_states.filter(status=TaskState.STATUS_SKIPPED, pk__gt=task_state.pk).first()
            note = f"（无需县级审核：{skipped.comment}）" if skipped else ""
            messages.success(request, f"您已在“{task_state.task.name}”环节审核通过《{title}》{note}。{where}。")
        elif outcome == outcomes.REJECTED:
            messages.success(request, f"已将《{title}》退回修改，退回理由已通知提交人。")
        elif outcome == outcomes.ALREADY_DONE:
            who = task_state.finished_by.get_full_name() or task_state.finished_by.get_username() if task_state.finished_by else "系统"
            when = localtime(task_state.finished_at).strftime("%Y-%m-%d %H:%M") if task_state.finished_at else ""
            messages.warning(
                request,
                f"《{title}》的“{task_state.task.name}”环节已由{who}于{when}{status_word(task_state)}，无需重复操作。{where}。",
            )
        elif outcome == outcomes.MOVED_ON:
            messages.warning(request, f"您操作的审核环节已经结束，页面内容可能已过期，本次操作未生效。{where}，请刷新后再处理。")
        elif outcome == outcomes.OWN_SUBMISSION:
            messages.error(request, f"《{title}》是您本人提交的，按照“四眼原则”须由其他审核人审核，本次操作未生效。")
        elif outcome == outcomes.INVALID:
            messages.error(request, "审核信息不完整（审核通过须勾选保密审查确认，退回须填写理由），本次操作未生效。")
        else:
            messages.error(request, f"您不是《{title}》当前环节的审核人，本次操作未生效。")

        if page.permissions_for_user(request.user).can_edit():
            return redirect("wagtailadmin_pages:edit", page.pk)
        return redirect("wagtailadmin_home")
