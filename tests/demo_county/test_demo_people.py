"""The demo looks lived-in (issue 14): every unit has its own officer and leading group, and each
unit's published items were approved by that unit's own approvers, as their pages say."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import TaskState

from disclosure_pages.models import DisclosureItemPage, UnitPage
from workflows.models import UnitApprovalTaskState
from workflows.records import approval_record


class DemoPeopleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command(
            "seed_demo", townships=2, villages_per_township=2, departments=1, items_per_unit=3, seed=5,
            skip_index=True, quiet=True, no_files=True,
        )

    def test_every_unit_has_an_officer_and_approvers(self):
        units = UnitPage.objects.filter(locale__language_code="zh-hans")
        self.assertEqual(units.count(), 1 + 2 + 2 * 2 + 1)
        for unit in units:
            with self.subTest(unit=unit.title):
                self.assertGreaterEqual(unit.leading_group.user_set.filter(is_active=True).count(), 2)
                self.assertGreaterEqual(unit.officers_group.user_set.filter(is_active=True).count(), 1)
        # Names, not logins: no password works for them.
        leaders = get_user_model().objects.filter(username__endswith="-leader1")
        self.assertEqual(leaders.count(), units.count())
        self.assertFalse(any(user.has_usable_password() for user in leaders))

    def test_each_units_items_were_approved_by_that_units_own_approver(self):
        live = DisclosureItemPage.objects.filter(live=True, locale__language_code="zh-hans").select_related("unit")
        self.assertGreater(live.count(), 20)
        approvers_seen = set()
        for item in live:
            with self.subTest(item=item.title):
                state = UnitApprovalTaskState.objects.filter(
                    status=TaskState.STATUS_APPROVED, workflow_state__object_id=str(item.pk), revision_id=item.live_revision_id
                ).select_related("finished_by").first()
                self.assertIsNotNone(state)
                self.assertTrue(state.finished_by.groups.filter(pk=item.unit.leading_group_id).exists())
                self.assertNotEqual(state.finished_by, state.workflow_state.requested_by)
                approvers_seen.add(state.finished_by.pk)
                record = approval_record(item)
                self.assertEqual(record.unit_approver, state.finished_by.get_full_name())
        # Per-unit resolution of approvers: as many different approvers as units with items.
        self.assertEqual(len(approvers_seen), len({item.unit_id for item in live}))

    def test_the_item_page_names_its_units_approver(self):
        village = UnitPage.objects.filter(locale__language_code="zh-hans", unit_type="village").first()
        item = DisclosureItemPage.objects.filter(live=True, unit=village, scope="public").first()
        approver = approval_record(item).unit_approver
        response = self.client.get(item.url)
        self.assertContains(response, "审核记录")
        self.assertContains(response, f"{village.display_name}领导小组（{approver}）于")
