"""Refusals the admin hooks give, with the Chinese message each one shows.

Each function returns ``None`` when the action may go ahead, else the message saying why
not and whom to ask.
"""

import json

from .models import DisclosureReviewTask, requester_of, self_approval_allowed
from .units import (
    active_members,
    county_unit,
    in_group,
    may_manage,
    owning_unit,
    reach_of,
)


def _unit_name(unit):
    return unit.display_name if unit is not None else "门户"


def is_current_reviewer(user, page):
    """Is ``user`` an approver of the step ``page`` is waiting at? (Reviewers may edit it.)"""
    task = page.current_workflow_task if page.pk else None
    return isinstance(task, DisclosureReviewTask) and task.user_can_access_editor(page, user)


def refuse_outside_own_unit(user, page, verb="修改"):
    """Officers and leading groups work in their own unit only (the county office sees all)."""
    if may_manage(user, page) or is_current_reviewer(user, page):
        return None
    unit = owning_unit(page)
    if reach_of(user).sees_everything:
        return f"“{page.get_admin_display_title()}”属于{_unit_name(unit)}。县委党务公开办可以查看各单位的内容，但只能由本单位{verb}；如需修改，请在县级审核时退回。"
    return f"“{page.get_admin_display_title()}”属于{_unit_name(unit)}，您只能{verb}本单位的内容。"


def _whom_to_ask(page):
    county = county_unit(page)
    if county is not None and (county.contact_person or county.phone):
        contact = "，".join(part for part in (county.contact_person, county.phone) if part)
        return f"请联系县委党务公开办（{contact}）或系统管理员为该用户组添加审核人。"
    return "请联系县委党务公开办或系统管理员为该用户组添加审核人。"


def refuse_submission(user, page, importance=None):
    """Submitting needs someone other than the submitter to approve at each tier it will reach."""
    unit = owning_unit(page)
    if unit is None:
        return None
    excluded = None if self_approval_allowed(user) else user
    group = unit.leading_group
    if not active_members(group, exclude=excluded).exists():
        yourself = "除您本人外" if in_group(user, group) else ""
        group_name = f"（用户组“{group.name}”）" if group else ""
        return (
            f"{unit.display_name}领导小组{group_name}{yourself}没有可以审核的成员，暂不能提交审核，内容已保存为草稿。"
            + _whom_to_ask(page)
        )
    county = county_unit(page)
    county_needed = importance == "important" and county is not None and county.pk != unit.pk
    if county_needed and not active_members(county.leading_group, exclude=excluded).exists():
        return f"重要事项须经县级审核，但{county.display_name}领导小组没有可以审核的成员，暂不能提交审核，内容已保存为草稿。" + _whom_to_ask(page)
    return None


def four_eyes_notice(user, page):
    """Tell an approver who submitted this item why there is nothing for them to approve."""
    task = page.current_workflow_task if page.pk else None
    if not isinstance(task, DisclosureReviewTask) or not task.is_approver(page, user):
        return None
    requester = requester_of(page)
    if requester is None or requester.pk != user.pk or self_approval_allowed(user):
        return None
    return f"此内容由您本人提交，按照“四眼原则”，“{task.name}”须由{_unit_name(task.approvers_unit(page))}领导小组的其他成员审核。"


def is_action_data(text):
    """Is ``text`` what Wagtail's action dialog posts to the editor: a JSON object of named values?"""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and all(isinstance(key, str) and key.isidentifier() for key in data)
