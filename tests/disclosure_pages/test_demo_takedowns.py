"""The demo county shows a withdrawn and a removed item, so a new user sees both at once."""

from django.core.management import call_command
from django.test import TestCase

from disclosure_pages.choices import Takedown
from disclosure_pages.models import DisclosureItemPage


class DemoTakedownTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", townships=1, villages_per_township=0, departments=0, items_per_unit=4, seed=3, skip_index=True, quiet=True)

    def test_one_item_is_withdrawn_and_one_removed(self):
        withdrawn = DisclosureItemPage.objects.get(takedown=Takedown.WITHDRAWN)
        removed = DisclosureItemPage.objects.get(takedown=Takedown.REMOVED)
        self.assertEqual(withdrawn.unit_id, removed.unit_id)
        page = self.client.get(withdrawn.url)
        self.assertContains(page, "撤回原因：该通知所列活动安排已调整")
        self.assertContains(self.client.get(removed.url), "该事项已撤除", status_code=410)
        self.assertNotContains(self.client.get(withdrawn.unit.url), removed.title)
