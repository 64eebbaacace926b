"""The approver's editor (issue 14): the review actions come first, 审核通过 is the primary button."""

from .helpers import action_buttons, approve, edit_url
from .test_models import ReviewTestCase


class ReviewScreenTests(ReviewTestCase):
    def test_the_unit_approver_gets_the_review_actions_first(self):
        item = self.submit(title="城关镇2024年主题党日活动安排")
        self.login("approver")
        labels = action_buttons(self.client.get(edit_url(item)))
        self.assertTrue(labels[0].startswith("审核通过"), labels)
        self.assertEqual(labels[1:3], ["审核通过并提请县级审核", "退回修改"], labels)
        self.assertLess(labels.index("退回修改"), labels.index("保存草稿"), labels)

    def test_the_county_reviewer_too_and_the_officer_keeps_save_draft(self):
        item = self.submit(title="城关镇党委关于调整班子分工的决定", importance="important")
        self.login("approver")
        approve(self.client, item)
        self.login("reviewer")
        labels = action_buttons(self.client.get(edit_url(item)))
        self.assertTrue(labels[0].startswith("审核通过"), labels)
        self.assertEqual(labels[1], "退回修改", labels)
        self.login("officer")
        labels = action_buttons(self.client.get(edit_url(item)))
        self.assertNotIn("审核通过", " ".join(labels))
        self.assertFalse(labels[0].startswith("审核通过"), labels)
