"""The two review tiers driven through the admin: officer submits, leading group and county approve."""

from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import PageLogEntry, TaskState, WorkflowState

from disclosure_pages.models import DisclosureItemPage
from tests.factories import build_tree, make_user, reload
from workflows.models import CountyReviewTask, UnitApprovalTask

from .helpers import (
    act,
    action_buttons,
    add_url,
    approve,
    current_state,
    edit_form,
    edit_url,
    item_form,
    people,
    reject,
    resubmit,
    submit_new_item,
    task_states,
)


class ReviewTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)

    def login(self, name):
        self.client.force_login(self.p[name])

    def submit(self, **fields):
        self.login("officer")
        return submit_new_item(self.client, self.t.township, **fields)

    def logs(self, item, action):
        return list(PageLogEntry.objects.filter(page_id=item.pk, action=action).order_by("pk"))


class GeneralItemTests(ReviewTestCase):
    def test_a_general_item_is_published_on_the_unit_approval_and_the_county_skip_is_logged_with_its_reason(self):
        item = self.submit(title="城关镇2024年第一季度党费收缴情况")
        state = current_state(item)
        self.assertIsInstance(state.task.specific, UnitApprovalTask)
        self.assertFalse(reload(item).live)
        # The unit's approvers are told, the submitter is not.
        self.assertEqual(sorted(m.to[0] for m in mail.outbox), ["approver2@cgz.example", "approver@cgz.example"])
        self.assertIn("待审核", mail.outbox[0].subject)
        self.assertIn("城关镇2024年第一季度党费收缴情况", mail.outbox[0].body)
        mail.outbox.clear()

        self.login("approver")
        payload, shown = approve(self.client, item, comment="同意公开")
        self.assertEqual(payload["step"], "success")

        item = reload(item)
        self.assertTrue(item.live)
        skipped = task_states(item, status=TaskState.STATUS_SKIPPED).get()
        self.assertIsInstance(skipped.task.specific, CountyReviewTask)
        self.assertEqual(skipped.comment, "一般事项，由本单位领导小组审核即可")
        [skip_log] = self.logs(item, "sunshine.workflow.county_review_skipped")
        self.assertEqual(skip_log.data["reason"], "一般事项，由本单位领导小组审核即可")
        self.assertEqual(skip_log.message, "无需县级审核：一般事项，由本单位领导小组审核即可")
        [approval] = self.logs(item, "wagtail.workflow.approve")
        self.assertEqual(approval.user, self.p["approver"])
        self.assertTrue(approval.data["sunshine"]["confidentiality_confirmed"])
        self.assertEqual(approval.data["comment"], "同意公开")
        self.assertEqual(self.logs(item, "wagtail.publish")[0].user, self.p["approver"])
        self.assertTrue(any("审核通过" in message and "无需县级审核" in message for message in shown), shown)
        # The submitter hears of it, in Chinese.
        self.assertEqual([m.to for m in mail.outbox], [["officer@cgz.example"]])
        self.assertIn("已审核通过", mail.outbox[0].subject)

    def test_approval_requires_the_confidentiality_check(self):
        item = self.submit()
        self.login("approver")
        payload, _ = act(self.client, item, "approve", comment="同意")
        self.assertEqual(payload["step"], "action")
        self.assertIn("审核通过前须完成保密审查并勾选确认。", payload["html"])
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(reload(item).live)

    def test_the_leading_group_cannot_publish_directly(self):
        self.login("approver")
        data = item_form()
        response = self.client.post(add_url(self.t.township), {**data, "action-publish": "发布"}, follow=True)
        self.assertContains(response, "您不能对此内容进行“发布”操作。本次操作未生效，内容未保存。")
        self.assertFalse(DisclosureItemPage.objects.filter(slug=data["slug"]).exists())
        self.client.post(add_url(self.t.township), data)  # saved as a draft
        item = DisclosureItemPage.objects.get(slug=data["slug"])
        self.assertFalse(item.live)
        self.client.post(edit_url(item), {**edit_form(item), "action-publish": "发布"})
        self.assertFalse(reload(item).live)
        self.assertFalse(item.permissions_for_user(self.p["approver"]).can_publish())
        self.assertFalse(item.permissions_for_user(self.p["officer"]).can_publish())


class ImportantItemTests(ReviewTestCase):
    def test_an_important_item_goes_through_both_tiers(self):
        item = self.submit(title="城关镇党委关于调整领导班子成员分工的决定", importance="important")
        mail.outbox.clear()
        self.login("approver")
        _, shown = approve(self.client, item)
        self.assertFalse(reload(item).live)
        state = current_state(item)
        self.assertIsInstance(state.task.specific, CountyReviewTask)
        self.assertEqual(state.required_because, "重要事项")
        self.assertTrue(any("县级审核" in message for message in shown), shown)
        self.assertEqual([m.to for m in mail.outbox], [["reviewer@county.example"]])
        self.assertIn("需要县级审核的原因：重要事项", mail.outbox[0].body)

        self.login("reviewer")
        _, shown = approve(self.client, item, comment="同意")
        item = reload(item)
        self.assertTrue(item.live)
        self.assertEqual(
            [(type(s.task.specific), s.status, s.finished_by) for s in task_states(item)],
            [
                (UnitApprovalTask, TaskState.STATUS_APPROVED, self.p["approver"]),
                (CountyReviewTask, TaskState.STATUS_APPROVED, self.p["reviewer"]),
            ],
        )
        self.assertTrue(any("已发布" in message for message in shown), shown)

    def test_a_listed_catalogue_entry_needs_the_county_too(self):
        entry = self.t.entries["发展党员"]
        entry.code = "D04"
        entry.save()
        item = self.submit(catalogue_entry=str(entry.pk))
        self.login("approver")
        approve(self.client, item)
        self.assertEqual(current_state(item).required_because, "目录条目“D04 发展党员”须经县级审核")

    def test_the_unit_can_refer_a_general_item_to_the_county(self):
        item = self.submit()
        self.login("approver")
        payload, _ = act(self.client, item, "refer_up", confidentiality_confirmed="on", comment="")
        self.assertIn("请填写提请县级审核的理由。", payload["html"])
        act(self.client, item, "refer_up", confidentiality_confirmed="on", comment="涉及群众切身利益，请县里把关")
        state = current_state(item)
        self.assertIsInstance(state.task.specific, CountyReviewTask)
        self.assertEqual(state.required_because, "本单位领导小组提请县级审核")
        [referral] = self.logs(item, "sunshine.workflow.referred_to_county")
        self.assertEqual(referral.data["comment"], "涉及群众切身利益，请县里把关")
        self.assertTrue(task_states(item, status=TaskState.STATUS_APPROVED).get().specific.referred_to_county)

        self.login("reviewer")
        approve(self.client, item)
        self.assertTrue(reload(item).live)

    def test_referring_is_offered_only_where_the_county_would_be_skipped(self):
        general, important = self.submit(), self.submit(importance="important")
        task = current_state(general).task.specific

        def names(item):
            return [name for name, _, _ in task.get_actions(reload(item), self.p["approver"])]

        self.assertEqual(names(general), ["reject", "approve", "refer_up"])
        self.assertEqual(names(important), ["reject", "approve"])


class RejectionTests(ReviewTestCase):
    def test_rejection_needs_a_reason_and_the_resubmission_resumes_at_the_rejecting_tier(self):
        item = self.submit(title="城关镇党委理论学习中心组2024年学习计划", importance="important")
        self.login("approver")
        approve(self.client, item)

        self.login("reviewer")
        payload, _ = reject(self.client, item, comment="  ")
        self.assertIn("退回修改须填写理由。", payload["html"])
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)
        mail.outbox.clear()
        _, shown = reject(self.client, item, comment="请补充第三季度的学习安排")
        self.assertTrue(any("退回" in message for message in shown), shown)
        workflow_state = reload(item).current_workflow_state
        self.assertEqual(workflow_state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        [rejection] = self.logs(item, "wagtail.workflow.reject")
        self.assertEqual(rejection.data["comment"], "请补充第三季度的学习安排")
        self.assertEqual([m.to for m in mail.outbox], [["officer@cgz.example"]])
        self.assertIn("退回理由：请补充第三季度的学习安排", mail.outbox[0].body)

        # The officer revises and resubmits: the review resumes at the county, which rejected it.
        self.login("officer")
        response = resubmit(self.client, item, summary="已补充第三季度学习安排")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(reload(item).current_workflow_state.pk, workflow_state.pk)
        self.assertIsInstance(current_state(item).task.specific, CountyReviewTask)

        self.login("reviewer")
        approve(self.client, item)
        # Every required tier approves the revision that is published: the unit confirms the change.
        self.assertFalse(reload(item).live)
        self.assertIsInstance(current_state(item).task.specific, UnitApprovalTask)
        self.login("approver")
        approve(self.client, item)
        item = reload(item)
        self.assertTrue(item.live)
        self.assertEqual(item.summary, "已补充第三季度学习安排")

    def test_a_unit_rejection_resumes_at_the_unit(self):
        item = self.submit()
        self.login("approver")
        reject(self.client, item, comment="标题有误")
        self.login("officer")
        resubmit(self.client, item, title="更正后的标题")
        self.assertIsInstance(current_state(item).task.specific, UnitApprovalTask)
        self.login("approver")
        approve(self.client, item)
        item = reload(item)
        self.assertTrue(item.live)
        self.assertEqual(item.title, "更正后的标题")


class FourEyesTests(ReviewTestCase):
    def test_an_approver_cannot_approve_their_own_submission(self):
        self.login("approver")
        item = submit_new_item(self.client, self.t.township)
        self.assertEqual(current_state(item).task.specific.get_actions(reload(item), self.p["approver"]), [])
        response = self.client.get(edit_url(item))
        self.assertContains(response, "按照“四眼原则”")
        payload, _ = approve(self.client, item)
        self.assertEqual(payload, {"step": "refused", "status": 403})  # the dialog's request is forbidden
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(self.logs(item, "wagtail.workflow.approve"))

        self.login("approver2")
        approve(self.client, item)
        self.assertTrue(reload(item).live)

    def test_the_other_approvers_are_emailed_but_not_the_submitting_approver(self):
        self.login("approver")
        mail.outbox.clear()
        submit_new_item(self.client, self.t.township)
        self.assertEqual([m.to for m in mail.outbox], [["approver2@cgz.example"]])

    def test_a_superuser_cannot_approve_their_own_submission(self):
        self.login("admin")
        item = submit_new_item(self.client, self.t.township, importance="important")
        payload, _ = approve(self.client, item)
        self.assertEqual(payload["step"], "refused")
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(self.logs(item, "wagtail.workflow.approve"))

    @override_settings(SUNSHINE_ALLOW_SUPERUSER_SELF_APPROVAL=True)
    def test_the_setting_lets_superusers_approve_their_own_submission_and_it_is_logged(self):
        self.login("admin")
        item = submit_new_item(self.client, self.t.township)
        approve(self.client, item)
        self.assertTrue(reload(item).live)
        [entry] = self.logs(item, "sunshine.workflow.self_approval")
        self.assertEqual(entry.user, self.p["admin"])
        self.assertIn("超级管理员", entry.message)
        self.assertTrue(task_states(item, status=TaskState.STATUS_APPROVED).get().specific.self_approved)


class ChangeDuringReviewTests(ReviewTestCase):
    def test_a_change_after_the_unit_approved_sends_the_item_back_through_the_unit(self):
        item = self.submit(title="城关镇2024年重点项目推进情况", importance="important")
        self.login("approver")
        approve(self.client, item)

        # The county reviewer corrects the draft while reviewing it: the review restarts at once,
        # at the unit, on the corrected content.
        self.login("reviewer")
        response = self.client.post(edit_url(item), edit_form(item, summary="县级审核时更正的摘要"))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(reload(item).live)
        self.assertIsInstance(current_state(item).task.specific, UnitApprovalTask)

        self.login("approver")
        approve(self.client, item)
        self.assertIsInstance(current_state(item).task.specific, CountyReviewTask)
        # Four-eyes: the corrector does not approve his own correction; another county reviewer does.
        self.login("reviewer")
        self.assertEqual(approve(self.client, item)[0]["step"], "refused")
        self.client.force_login(make_user("county-reviewer2", reload(self.t.county).leading_group))
        approve(self.client, item)
        item = reload(item)
        self.assertTrue(item.live)
        self.assertEqual(item.summary, "县级审核时更正的摘要")

    def test_the_submitter_cannot_edit_while_the_item_is_under_review(self):
        item = self.submit()
        self.login("officer")
        response = self.client.post(edit_url(item), edit_form(item, summary="审核期间的修改"))
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(reload(item).get_latest_revision_as_object().summary, "审核期间的修改")


class StaleActionTests(ReviewTestCase):
    def test_approving_a_step_twice_is_refused_with_who_did_it(self):
        item = self.submit(importance="important")
        unit_state = current_state(item)
        self.login("approver")
        approve(self.client, item)
        self.login("approver2")
        _, shown = approve(self.client, item, task_state=unit_state)
        self.assertTrue(any("已由杨建华" in message and "无需重复操作" in message for message in shown), shown)
        self.assertEqual(len(self.logs(item, "wagtail.workflow.approve")), 1)
        self.assertIsInstance(current_state(item).task.specific, CountyReviewTask)
        self.assertEqual(task_states(item).count(), 2)

    def test_acting_on_a_finished_review_is_refused(self):
        item = self.submit()
        state = current_state(item)
        self.login("approver")
        approve(self.client, item)
        self.login("approver2")
        _, shown = reject(self.client, item, comment="迟到的退回", task_state=state)
        self.assertTrue(shown)
        self.assertTrue(reload(item).live)
        self.assertFalse(self.logs(item, "wagtail.workflow.reject"))

    def test_a_stale_dialog_after_the_officer_withdrew_and_resubmitted_does_nothing(self):
        item = self.submit()
        stale = current_state(item)
        self.login("officer")
        self.client.post(edit_url(item), {**edit_form(item), "action-cancel-workflow": "撤回"})
        resubmit(self.client, item)
        fresh = current_state(item)
        self.assertNotEqual(fresh.pk, stale.pk)
        self.login("approver")
        _, shown = approve(self.client, item, task_state=stale)
        self.assertTrue(any("无需重复操作" in message for message in shown), shown)
        self.assertEqual(current_state(item).pk, fresh.pk)
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(reload(item).live)

    def test_another_units_step_cannot_be_approved_through_ones_own_item(self):
        self.login("officer2")
        theirs = submit_new_item(self.client, self.t.township2)
        target = self.submit()
        self.login("approver_b")
        # The page id of an item they review, the task state of the other township's item.
        _, shown = approve(self.client, theirs, task_state=current_state(target))
        self.assertTrue(any("不是" in message for message in shown), shown)
        self.assertEqual(current_state(target).status, TaskState.STATUS_IN_PROGRESS)
        self.assertEqual(current_state(theirs).status, TaskState.STATUS_IN_PROGRESS)
        self.assertFalse(reload(target).live)


class EmptyLeadingGroupTests(ReviewTestCase):
    def test_submission_is_not_offered_and_a_forged_one_is_refused_when_nobody_can_approve(self):
        officer = make_user("czj-officer", reload(self.t.department).officers_group)
        self.client.force_login(officer)
        response = self.client.get(add_url(self.t.department))
        self.assertNotIn("提交", " ".join(action_buttons(response)))
        self.assertContains(response, "县财政局领导小组（用户组“县财政局（QX-CZJ）领导小组”）没有可以审核的成员，暂不能提交审核。")
        data = item_form(title="县财政局党组2024年党费收缴情况")
        data["action-submit"] = "提交审核"
        response = self.client.post(add_url(self.t.department), data, follow=True)
        self.assertFalse(DisclosureItemPage.objects.filter(slug=data["slug"]).exists())
        self.assertContains(response, "县财政局领导小组（用户组“县财政局（QX-CZJ）领导小组”）没有可以审核的成员")
        self.assertContains(response, "请联系县委党务公开办")
        self.assertContains(response, "本次操作未生效，内容未保存。")
        del data["action-submit"]
        self.client.post(add_url(self.t.department), data)
        item = DisclosureItemPage.objects.get(slug=data["slug"])
        self.assertIsNone(item.current_workflow_state)
        self.assertContains(self.client.get(edit_url(item)), "没有可以审核的成员，暂不能提交审核。")

    def test_the_only_approver_cannot_submit_to_themselves(self):
        leader = make_user("czj-leader", reload(self.t.department).leading_group)
        self.client.force_login(leader)
        data = item_form()
        data["action-submit"] = "提交审核"
        response = self.client.post(add_url(self.t.department), data, follow=True)
        self.assertContains(response, "除您本人外没有可以审核的成员")
        self.assertFalse(DisclosureItemPage.objects.filter(slug=data["slug"]).exists())


class EditorRouteTests(ReviewTestCase):
    """Approving from the editor's action menu: the dialog collects the data, the editor form posts it."""

    def post_action(self, item, action, extra):
        data = edit_form(item)
        data.update({"action-workflow-action": "true", "workflow-action-name": action, "workflow-action-extra-data": extra})
        return self.client.post(edit_url(item), data, follow=True)

    def test_approving_from_the_editor_says_what_happened(self):
        item = self.submit()
        self.login("approver")
        response = self.post_action(item, "approve", '{"confidentiality_confirmed": true, "comment": "同意"}')
        self.assertContains(response, "您已在“本单位审核”环节审核通过")
        self.assertTrue(reload(item).live)

    def test_a_forged_approval_without_the_confidentiality_check_does_nothing(self):
        item = self.submit()
        self.login("approver")
        response = self.post_action(item, "approve", '{"comment": "同意"}')
        self.assertContains(response, "审核信息不完整")
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)

    def test_garbled_action_data_is_refused_without_a_server_error(self):
        item = self.submit()
        self.login("approver")
        for extra in ("{not json", "[1, 2]", '{"a b": 1}'):
            with self.subTest(extra=extra):
                response = self.post_action(item, "approve", extra)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "审核信息格式有误")
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)


class ScheduledGoLiveTests(ReviewTestCase):
    def test_an_approved_item_with_a_go_live_time_is_published_at_that_time(self):
        go_live = timezone.localtime() + timedelta(days=2)
        item = self.submit(title="2025年春节前走访慰问困难党员安排", go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
        self.login("approver")
        _, shown = approve(self.client, item)
        item = reload(item)
        self.assertFalse(item.live)
        self.assertIsNotNone(item.scheduled_revision)
        self.assertTrue(self.logs(item, "wagtail.publish.schedule"))
        self.assertTrue(any("审核已全部完成" in message for message in shown), shown)

        with mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=3)):
            call_command("publish_scheduled", stdout=StringIO())
        self.assertTrue(reload(item).live)
