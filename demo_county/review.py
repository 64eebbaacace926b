"""The review workflow's part of the demo county: items waiting at each tier, one sent back, one approved.

Runs when ``seed_demo`` has built the county, with the demo logins
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


# -- every unit's own people, and the approvals of its published items ------------------------

PEOPLE_ROLES = (("officer", "officers_group_id"), ("leader1", "leading_group_id"), ("leader2", "leading_group_id"))


def seed_unit_people(builder, tree):
    """Every unit gets a disclosure officer and two leading-group members (approvers).

    Names only: they have no usable password (the demo logins of development are separate).
    Returns ``{unit pk: {"officer": user, "leader1": user, "leader2": user}}``.
    """
    import random

    from django.contrib.auth.hashers import make_password

    from .writers import Ctx

    User = get_user_model()
    rng = random.Random(f"{builder.options.seed}-people")
    today = timezone.localdate()
    taken = set(User.objects.values_list("username", flat=True))
    unusable = make_password(None)
    planned = []
    for spec, unit in tree:
        for role, group_field in PEOPLE_ROLES:
            username = f"{spec.code.lower()}-{role}"
            if username in taken or getattr(unit, group_field) is None:
                continue
            name = Ctx(rng, None, today, today).person()
            user = User(username=username, first_name=name, email=f"{username}@dangwu.yunxi.example", password=unusable)
            planned.append((unit.pk, role, getattr(unit, group_field), user))
    User.objects.bulk_create([user for *_, user in planned], batch_size=500)
    created = {user.username: user for user in User.objects.filter(username__in=[user.username for *_, user in planned])}
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=created[user.username].pk, group_id=group_id) for _, _, group_id, user in planned], batch_size=500
    )
    people = {}
    for unit_pk, role, _group, user in planned:
        people.setdefault(unit_pk, {})[role] = created[user.username]
    return people


def seed_approval_records(tree, people):
    """Each live demo item was approved by its own unit's leading group (and the county's for
    important items): a revision, the approved workflow state, its task states and the audit log
    entries, written in bulk. Only items that were published without a revision (the seed's)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from wagtail.models import Page, PageLogEntry, Revision, WorkflowState

    from workflows.models import CountyReviewTaskState, UnitApprovalTaskState
    from workflows.rules import county_review_skip_reason
    from workflows.units import county_unit

    if not tree:
        return 0
    workflow = tree[0][1].get_workflow()
    if workflow is None:
        return 0
    tasks = [workflow_task.task.specific for workflow_task in workflow.workflow_tasks.select_related("task").order_by("sort_order")]
    unit_task, county_task = tasks[0], tasks[1] if len(tasks) > 1 else None
    units = {unit.pk: unit for _, unit in tree}
    county = county_unit(tree[0][1])
    county_people = people.get(county.pk, {}) if county else {}
    items = list(
        DisclosureItemPage.objects.filter(unit_id__in=list(units), live=True, live_revision=None).order_by("pk")
    )
    items = [item for item in items if people.get(item.unit_id, {}).get("leader1")]
    if not items:
        return 0
    page_type = ContentType.objects.get_for_model(Page)
    item_type = ContentType.objects.get_for_model(DisclosureItemPage)
    decided = {}
    for item in items:
        published = item.last_published_at or item.first_published_at or timezone.now()
        decided[item.pk] = published
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=item_type, base_content_type=page_type, object_id=str(item.pk), object_str=item.title,
                content=item.serializable_data(), user=people[item.unit_id].get("officer"),
                created_at=decided[item.pk] - datetime.timedelta(days=1),
            )
            for item in items
        ],
        batch_size=200,
    )
    for item, revision in zip(items, revisions):
        item.latest_revision_id = item.live_revision_id = revision.pk
        item.latest_revision_created_at = revision.created_at
    Page.objects.bulk_update(items, ["latest_revision", "live_revision", "latest_revision_created_at"], batch_size=500)

    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type=item_type, base_content_type=page_type, object_id=str(item.pk), workflow=workflow,
                status=WorkflowState.STATUS_APPROVED, requested_by=people[item.unit_id].get("officer"),
            )
            for item in items
        ],
        batch_size=500,
    )
    unit_parents, county_parents, county_rows, logs = [], [], [], []
    for item, revision, state in zip(items, revisions, states):
        own = people[item.unit_id]
        unit = units[item.unit_id]
        at = decided[item.pk]
        unit_parents.append(TaskState(
            workflow_state=state, revision=revision, task=unit_task, status=TaskState.STATUS_APPROVED,
            finished_at=at, finished_by=own["leader1"], comment="同意公开",
            content_type=ContentType.objects.get_for_model(UnitApprovalTaskState),
        ))
        skip = county_review_skip_reason(item, unit, county) if county_task else "no county tier"
        if county_task:
            reviewer = county_people.get("leader1")
            approved = skip is None and reviewer is not None
            county_parents.append(TaskState(
                workflow_state=state, revision=revision, task=county_task,
                status=TaskState.STATUS_APPROVED if approved else TaskState.STATUS_SKIPPED,
                finished_at=at, finished_by=reviewer if approved else None, comment="同意公开" if approved else (skip or ""),
                content_type=ContentType.objects.get_for_model(CountyReviewTaskState),
            ))
            county_rows.append(None if approved else skip)
        task_data = {"id": unit_task.pk, "title": unit_task.name}
        logs.append(PageLogEntry(
            content_type=item_type, page_id=item.pk, revision=revision, action="wagtail.workflow.approve",
            label=item.title, user=own["leader1"], timestamp=at,
            data={"workflow": {"id": workflow.pk, "title": workflow.name, "status": "approved", "task": task_data, "next": None},
                  "comment": "同意公开", "sunshine": {"confidentiality_confirmed": True}},
        ))
    parents = TaskState.objects.bulk_create(unit_parents + county_parents, batch_size=500)
    unit_rows = [UnitApprovalTaskState(taskstate_ptr_id=parent.pk, confidentiality_confirmed=True) for parent in parents[: len(unit_parents)]]
    county_children = [
        CountyReviewTaskState(taskstate_ptr_id=parent.pk, confidentiality_confirmed=skip is None, required_because="重要事项" if skip is None else "")
        for parent, skip in zip(parents[len(unit_parents):], county_rows)
    ]
    for model, rows in ((UnitApprovalTaskState, unit_rows), (CountyReviewTaskState, county_children)):
        if rows:
            model._base_manager._insert(rows, fields=model._meta.local_concrete_fields)
    # started_at is auto_now_add: the review began the day before it ended.
    TaskState.objects.filter(pk__in=[parent.pk for parent in parents]).update(started_at=F("finished_at") - datetime.timedelta(hours=20))
    PageLogEntry.objects.bulk_create(logs, batch_size=500)
    return len(items)


def seed_review(builder, tree):
    """The people of every unit, their approvals of the page-by-page seed's items, and the review demo."""
    with transaction.atomic():
        people = seed_unit_people(builder, list(tree))
        # The bulk seed (benchmarks) writes no revisions, so no approvals either.
        approved = 0 if builder.options.bulk_items else seed_approval_records(list(tree), people)
    builder.log(f"演示：{len(people)} 个单位各有公开专员和两名领导小组成员；{approved} 条事项由本单位领导小组审核通过。")
    seed_review_demo(log=builder.log)
