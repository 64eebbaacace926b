"""``seed_demo --bulk-items`` writes its units in bulk (demo_county.bulk_units): the county it
builds has the groups, grants, collections and workflow of the county the page-by-page seed
builds, and an officer works in a bulk-made unit as in any other."""

from unittest import mock

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page
from wagtail.permissions import policy_registry

from disclosure_pages.choices import UnitType
from disclosure_pages.models import DisclosureItemPage, PowerListPage, UnitPage
from tests.factories import make_user

# The county, two departments, two townships and their three villages each.
COUNTY = {"townships": 2, "villages_per_township": 3, "departments": 2, "seed": 5, "skip_index": True, "quiet": True}
UNITS = 11


def unit_snapshot():
    """What a unit is and may do, by natural keys (codes, names, tree paths), for every unit."""
    ignored = {"id", "page_ptr", "translation_key", "latest_revision", "live_revision", "latest_revision_created_at"}
    units = {}
    for unit in UnitPage.objects.order_by("path"):
        row = {}
        for field in UnitPage._meta.concrete_fields:
            if field.name in ignored:
                continue
            value = getattr(unit, field.name)
            if isinstance(value, Group):
                value = (value.name, sorted(value.permissions.values_list("content_type__app_label", "codename")))
            elif isinstance(value, Collection):
                value = (value.path, value.name)
            elif field.is_relation and value is not None:
                value = str(value)
            row[field.name] = value
        row["workflow"] = unit.get_workflow().name
        units[unit.code] = row
    return {
        "units": units,
        "page_permissions": sorted(GroupPagePermission.objects.values_list("group__name", "page__path", "permission__codename")),
        "collection_permissions": sorted(
            GroupCollectionPermission.objects.values_list("group__name", "collection__path", "permission__content_type__app_label", "permission__codename")
        ),
        "collections": sorted(Collection.objects.values_list("path", "depth", "numchild", "name")),
        "groups": sorted(Group.objects.values_list("name", flat=True)),
        "power_lists": sorted(
            (page.path, page.title, page.slug, page.url_path, page.draft_title, page.live, page.introduction, len(page.powers))
            for page in PowerListPage.objects.all()
        ),
    }


class BulkUnitsMatchPageByPageTests(TestCase):
    """One county built both ways, with the same seed, has the same units and rights."""

    def test_bulk_units_are_the_units_the_page_api_makes(self):
        with transaction.atomic():
            call_command("seed_demo", items_per_unit=2, no_files=True, no_opinions=True, no_supervision=True, **COUNTY)
            expected = unit_snapshot()
            transaction.set_rollback(True)
        cache.clear()  # Wagtail's cached site root paths
        # Every batch, however small, by COPY on PostgreSQL (pages_compat.copy_rows), as at full size.
        with mock.patch("disclosure_pages.pages_compat.COPY_FROM_ROWS", 1):
            call_command("seed_demo", bulk_items=2 * UNITS, **COUNTY)
        actual = unit_snapshot()

        self.assertEqual(len(expected["units"]), UNITS)
        self.assertEqual(actual["units"].keys(), expected["units"].keys())
        for code, row in expected["units"].items():
            with self.subTest(code=code):
                self.assertEqual(actual["units"][code], row)
        for name in ("page_permissions", "collection_permissions", "collections", "groups", "power_lists"):
            with self.subTest(name):
                self.assertEqual(actual[name], expected[name])
        # Every unit's officers and leading group draft in it, and manage its own collection.
        unit_paths = {row["path"] for row in expected["units"].values()}
        self.assertEqual(len([row for row in expected["page_permissions"] if row[1] in unit_paths]), UNITS * 2 * 2)
        self.assertTrue(all(row["workflow"] == "党务公开审核" for row in actual["units"].values()))


class BulkUnitTreeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", bulk_items=3 * UNITS, **COUNTY)
        cls.village = UnitPage.objects.filter(unit_type__in=[UnitType.VILLAGE, UnitType.COMMUNITY]).order_by("path").last()
        cls.neighbour = UnitPage.objects.filter(unit_type__in=[UnitType.VILLAGE, UnitType.COMMUNITY]).order_by("path").first()

    def test_the_page_and_collection_trees_are_consistent(self):
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))
        self.assertEqual(Collection.find_problems(), ([], [], [], [], []))
        for model in (Page, Collection):
            for node in model.objects.all():
                self.assertEqual(node.numchild, node.get_children().count(), node)
        for unit in UnitPage.objects.all():
            self.assertEqual(unit.url_path, f"{unit.get_parent().url_path}{unit.slug}/")
            self.assertEqual(unit.draft_title, unit.title)

    def test_an_officer_works_in_a_bulk_made_unit(self):
        officer = make_user("bulk-officer", self.village.officers_group)
        self.client.force_login(officer)
        self.assertTrue(self.village.permissions_for_user(officer).can_add_subpage())
        self.assertFalse(self.neighbour.permissions_for_user(officer).can_add_subpage())
        self.assertEqual(
            set(policy_registry.get_by_type(get_document_model()).collections_user_has_permission_for(officer, "add")), {self.village.files_collection}
        )
        self.assertEqual(self.client.get(reverse("wagtailadmin_home")).status_code, 200)
        self.assertEqual(self.client.get(reverse("wagtailadmin_explore", args=[self.village.pk])).status_code, 200)
        item = DisclosureItemPage.objects.child_of(self.village).first()
        self.assertEqual(self.client.get(reverse("wagtailadmin_pages:edit", args=[item.pk])).status_code, 200)
        add = reverse("wagtailadmin_pages:add", args=["disclosure_pages", "disclosureitempage", self.village.pk])
        self.assertEqual(self.client.get(add).status_code, 200)
        # Another unit's section: Wagtail's "permission denied" (back to the dashboard with a message).
        self.assertRedirects(self.client.get(reverse("wagtailadmin_explore", args=[self.neighbour.pk])), reverse("wagtailadmin_home"))
