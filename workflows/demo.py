"""The review workflow's part of the demo county: items waiting at each tier, one sent back, one approved.

Runs when ``seed_demo`` has built the county (``demo_county_built``), with the demo logins
of development (officer, approver, reviewer): a new user logs in and sees the workflow at
once — 待我审核 for the approver and reviewer, 我的提交 for the officer.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from wagtail.models import TaskState

from disclosure_pages.choices import Importance, Scope, UnitType
from disclosure_pages.models import DisclosureItemPage, UnitPage

# title, summary, importance, scope, what happens to it, days it has waited
DEMO_ITEMS = [
    ("关于2024年第四季度党费收缴情况的公示", "公示本季度党员党费交纳情况。", Importance.GENERAL, Scope.ALL_MEMBERS, "unit", 1),
    ("2025年主题党日活动安排", "全年每月主题党日的时间、地点和内容。", Importance.GENERAL, Scope.PUBLIC, "unit", 4),
    ("关于调整党委领导班子成员分工的通知", "因人事变动，对党委领导班子成员分工作相应调整。", Importance.IMPORTANT, Scope.PUBLIC, "county", 2),
    ("集体资产发包招租结果公示", "镇集体门面房公开招租的方案和结果。", Importance.GENERAL, Scope.PUBLIC, "referred", 3),
    ("2025年理论学习中心组学习计划", "党委理论学习中心组年度学习专题安排。", Importance.GENERAL, Scope.PUBLIC, "rejected", 2),
    ("关于表彰2024年度优秀共产党员的决定", "表彰在乡村振兴和基层治理中表现突出的党员。", Importance.GENERAL, Scope.PUBLIC, "approved", 6),
]


def _user(username):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def seed_review_demo(log=None):
    """Create the demo items of the review workflow; does nothing without the demo logins."""
    officer, approver, reviewer = _user("officer"), _user("approver"), _user("reviewer")
    if officer is None or approver is None or reviewer is None:
        return 0
    township = UnitPage.objects.filter(officers_group__user=officer, unit_type=UnitType.TOWNSHIP).first()
    if township is None or township.get_workflow() is None:
        return 0
    # The seed is not the place to send the notification emails (console backend in development).
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
        for number, (title, summary, importance, scope, fate, days) in enumerate(DEMO_ITEMS, start=1):
            _demo_item(township, number, title, summary, importance, scope, fate, days, officer, approver, reviewer)
    if log:
        log(f"审核流程演示：{township.title}有 {len(DEMO_ITEMS)} 条事项处于各审核环节（officer 提交，approver、reviewer 审核）。")
    return len(DEMO_ITEMS)


def _demo_item(township, number, title, summary, importance, scope, fate, days, officer, approver, reviewer):
    today = timezone.localdate()
    item = DisclosureItemPage(
        title=title,
        slug="",  # the index number's, as every new item (DisclosureItemPage.save)
        summary=summary,
        body=[("rich_text", f"<p>{summary}</p><p>（演示内容）</p>")],
        scope=scope,
        importance=importance,
        document_date=today - datetime.timedelta(days=days + 1),
        catalogue_entry=township.catalogue_entries().filter(default_scope=scope).first(),
        live=False,
        owner=officer,
        locale=township.locale,
    )
    item.unit = township
    township.add_child(instance=item)
    item.save_revision(user=officer)
    item.get_workflow().start(item, officer)

    def act(user, action, **data):
        state = item.current_workflow_task_state
        state.task.specific.on_action(state, user, action, **data)

    if fate in ("county", "approved"):
        act(approver, "approve", confidentiality_confirmed=True, comment="同意")
    if fate == "referred":
        act(approver, "refer_up", confidentiality_confirmed=True, comment="涉及集体资产处置，群众关注度高，提请县级审核。")
    if fate == "rejected":
        act(approver, "reject", comment="请补充各月学习专题和领学人，并注明学习形式。")
    # Back-date the waiting so the dashboard shows ages.
    started = timezone.now() - datetime.timedelta(days=days)
    TaskState.objects.filter(workflow_state__object_id=str(item.pk), status=TaskState.STATUS_IN_PROGRESS).update(
        started_at=started
    )
    return DisclosureItemPage.objects.get(pk=item.pk)
