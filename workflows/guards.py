"""Refusals the admin hooks give, with the Chinese message each one shows.

Each function returns ``None`` when the action may go ahead, else the message saying why
not and whom to ask.
"""

import json

from django.utils.translation import gettext as _, gettext_noop

from disclosure_pages.choices import Takedown

from .boundary import may_read
from .models import DisclosureReviewTask, authors_of_pending_change, self_approval_allowed
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


def refuse_unseen(user, page, verb="修改"):
    """Someone who may not read ``page`` (another unit's) is told nothing about it: not even its title."""
    if may_read(user, page):
        return None
    return _("该内容不存在或不属于您所在的单位，您只能%(verb)s本单位的内容。") % {"verb": _(verb)}


def refuse_outside_own_unit(user, page, verb="修改"):
    """Officers and leading groups work in their own unit only (the county office sees all)."""
    if may_manage(user, page) or is_current_reviewer(user, page):
        return None
    unseen = refuse_unseen(user, page, verb)
    if unseen:
        return unseen
    unit = owning_unit(page)
    if reach_of(user).sees_everything:
        return f"“{page.get_admin_display_title()}”属于{_unit_name(unit)}。县委党务公开办可以查看各单位的内容，但只能由本单位{verb}；如需修改，请在县级审核时退回。"
    return _("“%(title)s”属于%(unit)s，您只能%(verb)s本单位的内容。") % {
        "title": page.get_admin_display_title(), "unit": _unit_name(unit), "verb": _(verb)
    }


def _whom_to_ask(page):
    county = county_unit(page)
    if county is not None and (county.contact_person or county.phone):
        contact = "，".join(part for part in (county.contact_person, county.phone) if part)
        return _("请联系县委党务公开办（%(contact)s）或系统管理员为该用户组添加审核人。") % {"contact": contact}
    return _("请联系县委党务公开办或系统管理员为该用户组添加审核人。")


def refuse_submission(user, page, importance=None):
    """Submitting needs someone other than the submitter to approve at each tier it will reach."""
    unit = owning_unit(page)
    if unit is None:
        return None
    # Four-eyes: someone who wrote none of it must be there to approve it.
    authors = set() if self_approval_allowed(user) else {user.pk} | (
        authors_of_pending_change(page) if page.pk != unit.pk else set()
    )
    group = unit.leading_group
    if not active_members(group).exclude(pk__in=authors).exists():
        writers = active_members(group).filter(pk__in=authors).exclude(pk=user.pk).exists()
        yourself = _("除编写本内容的人员外") if writers else (_("除您本人外") if in_group(user, group) else "")
        group_name = _("（用户组“%(group)s”）") % {"group": group.name} if group else ""
        return (
            _("%(unit)s领导小组%(group)s%(yourself)s没有可以审核的成员，暂不能提交审核。")
            % {"unit": unit.display_name, "group": group_name, "yourself": yourself}
            + _whom_to_ask(page)
        )
    county = county_unit(page)
    county_needed = importance == "important" and county is not None and county.pk != unit.pk
    if county_needed and not active_members(county.leading_group).exclude(pk__in=authors).exists():
        return _("重要事项须经县级审核，但%(county)s领导小组没有可以审核的成员，暂不能提交审核。") % {
            "county": county.display_name
        } + _whom_to_ask(page)
    return None


def four_eyes_notice(user, page):
    """Tell an approver who submitted this item why there is nothing for them to approve."""
    task = page.current_workflow_task if page.pk else None
    if not isinstance(task, DisclosureReviewTask) or not task.is_approver(page, user):
        return None
    if not task.refuses_author(page, user):
        return None
    return (
        _(
            "此内容由您本人提交或修改，按照“四眼原则”，“%(task)s”须由%(unit)s"
            "领导小组的其他成员审核；您在审核期间修改后，将按新内容重新开始审核。"
        )
        % {"task": _(task.name), "unit": _unit_name(task.approvers_unit(page))}
    )


def is_action_data(text):
    """Is ``text`` what Wagtail's action dialog posts to the editor: a JSON object of named values?"""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and all(isinstance(key, str) and key.isidentifier() for key in data)



def refuse_takedown_request(user, item):
    """申请撤回/撤除: a live item of the user's own unit, not already under review."""
    unseen = refuse_unseen(user, item, verb="申请撤回或撤除")
    if unseen:
        return unseen
    title = item.get_admin_display_title()
    if not item.live:
        return f"《{title}》尚未公开，无需申请撤回或撤除；未公开的草稿可以直接修改或删除。"
    refusal = refuse_outside_own_unit(user, item, verb="申请撤回或撤除")
    if refusal:
        return refusal
    if not item.permissions_for_user(user).can_edit():
        return f"您没有申请撤回或撤除《{title}》的权限。"
    if item.workflow_in_progress:
        return (
            f"《{title}》有一次提交尚未审核完毕（审核中或已退回修改）。请先处理完这次提交（修改后重新提交，"
            "或在编辑页面取消这次提交），再申请撤回或撤除。"
        )
    lock = item.get_lock()
    if lock and lock.for_user(user):
        return f"《{title}》已被锁定，暂不能申请撤回或撤除。"
    return refuse_submission(user, item, importance=item.importance)


def refuse_next_stage(user, item, next_stage):
    """创建下一阶段: from a live pre-disclosure (or decision) item still public, in the user's own unit."""
    unseen = refuse_unseen(user, item, verb="添加")
    if unseen:
        return unseen
    title = item.get_admin_display_title()
    if next_stage is None:
        return f"《{title}》不是预公开或决策公开事项，没有可创建的下一阶段。"
    if not item.live:
        return f"《{title}》尚未审核通过并公开，公开后才能创建下一阶段事项。"
    if item.takedown != Takedown.NONE:
        return f"《{title}》{item.get_takedown_display()}，不能再创建下一阶段事项。"
    unit = item.get_parent()
    refusal = refuse_outside_own_unit(user, unit, verb="添加")
    if refusal:
        return refusal
    if not unit.permissions_for_user(user).can_add_subpage():
        return f"您没有在{unit.get_admin_display_title()}添加事项的权限。"
    return None


# The verbs the refusals above put into their sentences (translated with them).
VERBS_IN_REFUSALS = [
    gettext_noop("修改"), gettext_noop("添加"), gettext_noop("删除"), gettext_noop("复制"), gettext_noop("移动"),
    gettext_noop("移入"), gettext_noop("撤下"), gettext_noop("申请撤回或撤除"), gettext_noop("撤回"), gettext_noop("撤除"),
    gettext_noop("恢复公开"),
]
