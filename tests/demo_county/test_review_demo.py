"""The demo county shows the workflow at once: items waiting at each tier, one sent back, one approved."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse
from wagtail.models import WorkflowState

from disclosure_pages.models import DisclosureItemPage
from workflows.models import CountyReviewTask, UnitApprovalTask


@override_settings(SUNSHINE_DEMO_LOGINS=True)
class ReviewDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        with override_settings(SUNSHINE_DEMO_LOGINS=True):
            call_command(
                "seed_demo", townships=1, villages_per_township=1, departments=0, items_per_unit=0, skip_index=True, quiet=True
            )

    def states(self, status):
        return WorkflowState.objects.filter(status=status, requested_by__username="officer")

    def test_items_wait_at_each_tier(self):
        waiting = [state.current_task_state.task.specific for state in self.states(WorkflowState.STATUS_IN_PROGRESS)]
        self.assertEqual(sum(isinstance(task, UnitApprovalTask) for task in waiting), 2)
        self.assertEqual(sum(isinstance(task, CountyReviewTask) for task in waiting), 2)
        self.assertEqual(self.states(WorkflowState.STATUS_NEEDS_CHANGES).count(), 1)
        approved = DisclosureItemPage.objects.get(title="关于表彰2024年度优秀共产党员的决定", locale__language_code="zh-hans")
        self.assertTrue(approved.live)

    def test_the_demo_logins_see_their_panels(self):
        for username, text in (("approver", "待我审核"), ("reviewer", "县级审核原因"), ("officer", "我的提交")):
            with self.subTest(username=username):
                self.client.force_login(get_user_model().objects.get(username=username))
                self.assertContains(self.client.get(reverse("wagtailadmin_home")), text)
