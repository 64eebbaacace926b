"""A small county with obligations, opinions, findings and items, for the assessment (考核) tests.

Third quarter of 2026, with the default weights (按时 40, 完整 20, 意见按时 15, 满意 10, 评议 15;
5 points a finding), no evaluation yet:

- 城关镇 (township): 3 on time, 1 late; 2 opinions, one answered on time and satisfied, one late and
  unsatisfied → (40×75 + 20×100 + 15×50 + 10×50) / 85 = 73.5
- 石桥镇 (township2): 1 on time, 1 missing, 1 finding → (40×50 + 20×50) / 60 − 5 = 45.0
- 县财政局 (department): 2 on time → 100.0
- 东关村 (village1): 1 on time, 1 missing (and one due, one not applicable: not counted) → 50.0
- 西关村 (village2): nothing to rate
"""

import datetime
import itertools
from types import SimpleNamespace

from django.utils import timezone

from disclosure_pages.choices import Importance, Scope, Stage
from participation.choices import Moderation, Satisfaction, State
from participation.models import Opinion
from supervision.choices import FindingDecision, ObligationStatus
from supervision.models import Finding, Obligation
from tests.factories import build_tree, d, make_item, make_member, make_user

_days = itertools.count()


def obligation(tree, unit, status, due_on, entry="党费收缴使用", met_on=None):
    """An obligation of ``unit`` (each with its own period start: rows are plain)."""
    start = datetime.date(2020, 1, 1) + datetime.timedelta(days=next(_days))
    return Obligation.objects.create(
        unit=unit, section=unit, entry=tree.entries[entry], timing=tree.entries[entry].timing,
        period_start=start, period_end=start, due_on=d(due_on), status=status, met_on=met_on,
    )


def opinion(unit, received_on, deadline, answered_on, satisfaction):
    answered_at = timezone.make_aware(datetime.datetime.combine(d(answered_on), datetime.time(10)))
    return Opinion.objects.create(
        tracking_code_hash=f"hash-{next(_days)}", received_by=unit, unit=unit, body="建议增加便民服务窗口。",
        received_on=d(received_on), deadline=d(deadline), answered_at=answered_at, state=State.CLOSED,
        moderation=Moderation.PUBLISHED, satisfaction=satisfaction,
    )


def build_assessment():
    tree = build_tree()
    # Items of 2026: 城关镇 two (a public pre-disclosure, a members-only important result), 财政局 one; one of 2025.
    entries = tree.entries
    make_item(tree.township, "关于集贸市场改造的预公开", stage=Stage.PRE_DISCLOSURE, catalogue_entry=entries["重大决策部署"],
              publish_date=d("2026-03-01"))
    make_item(tree.township, "发展党员工作情况（党内）", scope=Scope.UNIT_MEMBERS, stage=Stage.RESULT, importance=Importance.IMPORTANT,
              catalogue_entry=entries["发展党员"], publish_date=d("2026-06-01"))
    make_item(tree.department, "县财政局2026年工作要点", catalogue_entry=entries["任期目标和年度计划"], publish_date=d("2026-02-01"))
    make_item(tree.department, "县财政局2025年工作总结", catalogue_entry=entries["任期目标和年度计划"], publish_date=d("2025-12-30"))
    # The figures below are the obligations as written here, not those the engine reckons from the items.
    Obligation.objects.all().delete()
    on, late, missing = ObligationStatus.ON_TIME, ObligationStatus.LATE, ObligationStatus.MISSING
    for due in ("2026-07-10", "2026-08-10", "2026-09-10"):
        obligation(tree, tree.township, on, due)
    tree.township_late = obligation(tree, tree.township, late, "2026-09-20", "发展党员", met_on=d("2026-10-02"))
    obligation(tree, tree.township, late, "2026-10-05")  # the fourth quarter's
    obligation(tree, tree.township2, on, "2026-07-15")
    tree.township2_missing = obligation(tree, tree.township2, missing, "2026-08-15", "述职述廉报告")
    obligation(tree, tree.department, on, "2026-07-01")
    obligation(tree, tree.department, on, "2026-09-30")
    obligation(tree, tree.village1, on, "2026-07-05")
    tree.village1_missing = obligation(tree, tree.village1, missing, "2026-08-05")
    obligation(tree, tree.village1, ObligationStatus.DUE, "2026-09-29")
    obligation(tree, tree.village1, ObligationStatus.NOT_APPLICABLE, "2026-09-28")

    opinion(tree.township, "2026-07-01", "2026-07-20", "2026-07-15", Satisfaction.SATISFIED)
    opinion(tree.township, "2026-08-01", "2026-08-10", "2026-08-20", Satisfaction.UNSATISFIED)

    tree.people = SimpleNamespace(
        county_officer=make_user("qx_officer", tree.county.officers_group),
        county_leader=make_user("qx_leader", tree.county.leading_group),
        officer=make_user("cgz_officer", tree.township.officers_group),
        other_officer=make_user("sqz_officer", tree.township2.officers_group),
        supervisor=make_user("cgz_supervisor", tree.township.supervisors_group),
        member=make_member(tree.township, "cgz_member"),
    )
    tree.finding = Finding.objects.create(
        unit=tree.township2, obligation=tree.township2_missing, found_on=d("2026-09-01"), description="述职述廉报告逾期未公开。",
        decision=FindingDecision.CRITICISM, decision_text="予以通报批评", decided_by="县纪委", disclosed=True,
    )
    Finding.objects.create(
        unit=tree.village1, found_on=d("2026-11-20"), description="党费收缴情况未按时公开。", decision=FindingDecision.REMINDER,
        decided_by="城关镇纪委",
    )

    return tree
