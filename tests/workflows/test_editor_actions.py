"""The editor's actions are those its menu offers: a post naming another is refused whole, and the
outcome of a review action taken in the editor reaches the next page through the session."""

from urllib.parse import urlsplit

from django.urls import reverse
from wagtail.models import TaskState

from disclosure_pages.models import DisclosureItemPage
from tests.factories import reload
from workflows import review_outcome

from .helpers import action_buttons, add_url, current_state, edit_form, edit_url, item_form, messages_of
from .test_models import ReviewTestCase


class UnofferedActionTests(ReviewTestCase):
    def post_action(self, item, action, extra, **changes):
        data = edit_form(item, **changes)
        data.update({"action-workflow-action": "true", "workflow-action-name": action, "workflow-action-extra-data": extra})
        return self.client.post(edit_url(item), data, follow=True)

    def test_a_review_action_the_menu_does_not_offer_is_refused_and_nothing_is_saved(self):
        item = self.submit(title="城关镇党委关于调整班子分工的决定", importance="important")
        revision = reload(item).latest_revision_id
        self.login("approver")
        self.assertNotIn("审核通过并提请县级审核", action_buttons(self.client.get(edit_url(item))))
        response = self.post_action(item, "refer_up", '{"confidentiality_confirmed": true}', title="改过的标题")
        self.assertIn("您不能对此内容进行“审核”操作。本次操作未生效，内容未保存。", messages_of(response))
        item = reload(item)
        self.assertEqual((item.latest_revision_id, item.get_latest_revision_as_object().title),
                         (revision, "城关镇党委关于调整班子分工的决定"))
        self.assertEqual(current_state(item).status, TaskState.STATUS_IN_PROGRESS)

    def test_submitting_an_important_item_nobody_at_the_county_can_review_is_refused(self):
        for member in reload(self.t.county).leading_group.user_set.all():
            member.groups.remove(self.t.county.leading_group)
        self.login("officer")
        self.assertIn("提交", " ".join(action_buttons(self.client.get(add_url(self.t.township)))))
        data = item_form(title="城关镇党委关于调整班子分工的决定", importance="important")
        data["action-submit"] = "提交审核"
        response = self.client.post(add_url(self.t.township), data, follow=True)
        self.assertContains(response, "重要事项须经县级审核，但青溪县委领导小组没有可以审核的成员，暂不能提交审核。")
        self.assertContains(response, "本次操作未生效，内容未保存。")
        self.assertFalse(DisclosureItemPage.objects.filter(slug=data["slug"]).exists())


class EditorOutcomeTests(ReviewTestCase):
    def test_the_outcome_of_an_approval_in_the_editor_is_shown_once(self):
        item = self.submit()
        state = current_state(item)
        self.login("approver")
        data = edit_form(item)
        data.update({"action-workflow-action": "true", "workflow-action-name": "approve",
                     "workflow-action-extra-data": '{"confidentiality_confirmed": true, "comment": "同意"}'})
        response = self.client.post(edit_url(item), data)
        self.assertEqual(urlsplit(response["Location"]).path, reverse("workflows_outcome", args=[state.pk]))
        self.assertNotIn(review_outcome.SESSION_KEY, self.client.session)
        self.assertTrue(reload(item).live)
        # A draft saved next goes back to the editor, as Wagtail sends it.
        draft = DisclosureItemPage.objects.get(pk=item.pk)
        response = self.client.post(edit_url(draft), edit_form(draft, summary="发布后改摘要"))
        self.assertEqual(urlsplit(response["Location"]).path, edit_url(draft))
