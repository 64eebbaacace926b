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
        self.assertContains(page, f"撤回原因：{withdrawn.takedown_reason}")
        self.assert_reason_fits(withdrawn)
        self.assertContains(self.client.get(removed.url), "该事项已撤除", status_code=410)
        self.assertNotContains(self.client.get(withdrawn.unit.url), removed.title)

    def assert_reason_fits(self, item):
        """The reason was written for this kind of item, or names the item's own catalogue entry."""
        from demo_county import content as c

        entry = item.catalogue_entry
        fitting = set(c.WITHDRAWAL_REASONS.values()) | {c.WITHDRAWAL_REASON_OF_ENTRY.format(entry=entry.name if entry else item.title)}
        self.assertIn(item.takedown_reason, fitting)
        if item.takedown_reason in c.WITHDRAWAL_REASONS.values() and item.takedown_reason != c.WITHDRAWAL_REASON_OF_ENTRY:
            keys = [key for key, reason in c.WITHDRAWAL_REASONS.items() if reason == item.takedown_reason]
            topics = {"theme_day": "主题党日", "study_plan": "学习", "three_meetings": "三会一课", "party_dues": "党费"}
            words = [topics[key] for key in keys if key in topics]
            if words:
                self.assertTrue(any(word in item.title or word in (entry.name if entry else "") for word in words), (item.title, item.takedown_reason))
