"""Four-eyes (四眼原则) by authorship, tried as an attacker would, through the real admin views.

Nobody approves, at any tier, a revision whose content they wrote since the item was last
published (or that they submitted); an approver's edit during review restarts the review on
the new content, to be approved by someone else. Takedowns follow the same rule.
"""

from django.core import mail
from wagtail.models import PageLogEntry, TaskState

from disclosure_pages.choices import Takedown
from tests.factories import make_item, reload

from .helpers import approve, current_state, edit_form, edit_url, messages_of
from .test_models import ReviewTestCase


class ApproverRewriteTests(ReviewTestCase):
    """Reproduction 1 of issue 13: the approver rewrites a members-only item and approves his own rewrite."""

    def post_action(self, item, action, extra, **changes):
        data = edit_form(item, **changes)
        data.update({"action-workflow-action": "true", "workflow-action-name": action, "workflow-action-extra-data": extra})
        return self.client.post(edit_url(item), data, follow=True)

    def test_an_approver_cannot_approve_his_own_rewrite_from_the_editor(self):
        item = self.submit(title="城关镇党员发展对象名单", scope="unit")
        self.login("approver")
        response = self.post_action(
            item, "approve", '{"confidentiality_confirmed": true, "comment": "同意"}', title="改写后的标题", scope="public"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("四眼原则", " ".join(messages_of(response)))
        item = reload(item)
        self.assertFalse(item.live)
        # The review started again on his revision, at the unit tier, and he is not offered it.
        state = current_state(item)
        self.assertEqual(state.status, TaskState.STATUS_IN_PROGRESS)
        self.assertEqual(state.revision_id, item.latest_revision_id)
        self.assertEqual(state.task.specific.get_actions(item, self.p["approver"]), [])
        # Approving the new step through the dialog is refused too.
        payload, shown = approve(self.client, item)
        self.assertEqual(payload["step"], "refused")
        self.assertFalse(reload(item).live)
        self.assertFalse(TaskState.objects.filter(revision_id=item.latest_revision_id, status=TaskState.STATUS_APPROVED))

    def test_an_edit_then_an_approval_in_two_steps_is_refused_and_the_review_restarts(self):
        item = self.submit(title="城关镇党费收缴情况", scope="unit")
        first_state = current_state(item)
        self.login("approver")
        self.client.post(edit_url(item), edit_form(item, scope="public", summary="审核人改写"))
        first_state.refresh_from_db()
        self.assertEqual(first_state.status, TaskState.STATUS_CANCELLED)
        payload, shown = approve(self.client, item, task_state=first_state)  # the stale dialog
        self.assertEqual(payload["step"], "refused")
        payload, shown = approve(self.client, item)  # the new step
        self.assertEqual(payload["step"], "refused")
        self.assertFalse(reload(item).live)
        self.assertTrue(PageLogEntry.objects.filter(page_id=item.pk, action="sunshine.workflow.restarted_after_edit"))

        # Another member of the leading group reviews the rewrite; it goes live only then.
        self.login("approver2")
        approve(self.client, item)
        item = reload(item)
        self.assertTrue(item.live)
        self.assertEqual(item.summary, "审核人改写")
        approvals = TaskState.objects.filter(workflow_state__object_id=str(item.pk), status=TaskState.STATUS_APPROVED)
        self.assertEqual({state.finished_by for state in approvals}, {self.p["approver2"]})

    def test_the_rewriting_approver_does_not_see_it_waiting_for_him_and_the_others_are_told(self):
        item = self.submit(title="城关镇年度工作计划")
        mail.outbox.clear()
        self.login("approver")
        self.client.post(edit_url(item), edit_form(item, summary="审核人的修改"))
        self.assertEqual([message.to for message in mail.outbox], [["approver2@cgz.example"]])
        self.assertNotIn("城关镇年度工作计划", awaiting_my_review(self.client))
        self.assertContains(self.client.get(edit_url(item)), "本人提交或修改")
        self.login("approver2")
        self.assertIn("城关镇年度工作计划", awaiting_my_review(self.client))

    def test_a_county_reviewer_who_corrects_an_item_cannot_approve_it_at_the_county_tier(self):
        item = self.submit(title="城关镇重点项目推进情况", importance="important")
        self.login("approver")
        approve(self.client, item)
        self.login("reviewer")
        self.client.post(edit_url(item), edit_form(item, summary="县级更正"))
        # Back to the unit tier for the new content; then the county, where the corrector is refused.
        self.login("approver")
        approve(self.client, item)
        self.assertEqual(current_state(item).task.specific.tier_name, "县级审核")
        self.login("reviewer")
        payload, _ = approve(self.client, item)
        self.assertEqual(payload["step"], "refused")
        self.assertFalse(reload(item).live)


class DraftAuthorTests(ReviewTestCase):
    def test_an_approver_who_drafted_an_item_cannot_approve_it_when_an_officer_submits_it(self):
        self.login("approver")
        response = self.client.post(
            f"/admin/pages/add/disclosure_pages/disclosureitempage/{self.t.township.pk}/",
            {**edit_form_for_new("审核人起草的事项")},
        )
        self.assertEqual(response.status_code, 302)
        from disclosure_pages.models import DisclosureItemPage

        item = DisclosureItemPage.objects.get(title="审核人起草的事项")
        self.login("officer")
        data = edit_form(item)
        data["action-submit"] = "提交审核"
        self.client.post(edit_url(item), data)
        self.assertIsNotNone(current_state(item))
        self.login("approver")
        payload, _ = approve(self.client, item)
        self.assertEqual(payload["step"], "refused")
        self.login("approver2")
        approve(self.client, item)
        self.assertTrue(reload(item).live)


def awaiting_my_review(client):
    """The text of the dashboard's 待我审核 panel ('' when it is not shown)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/admin/").content, "html.parser")
    heading = soup.find(string=lambda text: text and "待我审核" in text)
    return heading.find_parent("section").get_text() if heading else ""


def edit_form_for_new(title):
    from tests.factories import item_form

    return item_form(title=title)


class TakedownAuthorTests(ReviewTestCase):
    def test_an_approver_cannot_approve_the_takedown_he_requested(self):
        item = make_item(self.t.township, "城关镇公开的事项")
        self.login("approver")
        response = self.client.post(
            f"/admin/items/{item.pk}/takedown/", {"kind": Takedown.WITHDRAWN, "reason": "内容需要更新"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertIsNotNone(current_state(reload(item)))
        payload, _ = approve(self.client, item)
        self.assertEqual(payload["step"], "refused")
        self.assertEqual(reload(item).takedown, Takedown.NONE)
        self.login("approver2")
        approve(self.client, item)
        self.assertEqual(reload(item).takedown, Takedown.WITHDRAWN)


class SubmissionNeedsAnotherReaderTests(ReviewTestCase):
    def test_submission_is_refused_when_every_approver_wrote_part_of_it(self):
        self.p["approver2"].groups.remove(self.t.township.leading_group)
        self.login("approver")
        response = self.client.post(
            f"/admin/pages/add/disclosure_pages/disclosureitempage/{self.t.township.pk}/", edit_form_for_new("两人合写的事项")
        )
        from disclosure_pages.models import DisclosureItemPage

        item = DisclosureItemPage.objects.get(title="两人合写的事项")
        self.login("officer")
        data = edit_form(item)
        data["action-submit"] = "提交审核"
        response = self.client.post(edit_url(item), data, follow=True)
        self.assertIn("除编写本内容的人员外没有可以审核的成员", " ".join(messages_of(response)))
        self.assertIsNone(current_state(item))
