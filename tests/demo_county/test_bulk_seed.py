"""``seed_demo --bulk-items``: the items written in bulk are those the page-by-page seed writes,
the site serves them (members-only ones only to members), and editing goes on normally after."""

from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase
from django.utils.html import escape
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

from disclosure_pages.choices import Scope
from disclosure_pages.models import (
    DisclosureItemPage,
    IndexNumberSequence,
    ItemChangeNote,
    PublishedAttachment,
    UnitPage,
)
from disclosure_pages.visibility import visible_pages
from tests.factories import make_member, reload

# Five units: the county, a department, a township and its two villages.
COUNTY = {"townships": 1, "villages_per_township": 2, "departments": 1, "seed": 2, "skip_index": True, "quiet": True}
UNITS = 5
MEMBERS_ONLY = (Scope.ALL_MEMBERS, Scope.UNIT_MEMBERS, Scope.NAMED)


class BulkSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", bulk_items=300, **COUNTY)
        cls.items = list(DisclosureItemPage.objects.order_by("path"))

    def test_items_are_spread_over_the_units(self):
        self.assertEqual(len(self.items), 300)
        for unit in UnitPage.objects.all():
            with self.subTest(unit=unit.code):
                self.assertEqual(DisclosureItemPage.objects.child_of(unit).count(), 300 // UNITS)
                self.assertTrue(all(item.unit_id == unit.pk for item in DisclosureItemPage.objects.child_of(unit)))

    def test_the_tree_is_consistent(self):
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))
        for page in Page.objects.all():
            self.assertEqual(page.numchild, page.get_children().count(), page)
        for item in self.items:
            unit = item.get_parent()
            self.assertEqual(item.depth, unit.depth + 1)
            self.assertEqual(item.url_path, f"{unit.url_path}{item.slug}/")
            self.assertEqual(item.draft_title, item.title)
            self.assertEqual((item.locale_id, item.live, item.has_unpublished_changes), (unit.locale_id, True, False))

    def test_items_pass_the_validation_the_editor_runs(self):
        for item in self.items:
            item.full_clean()

    def test_public_items_are_served(self):
        public = [item for item in self.items if item.scope == Scope.PUBLIC and not item.is_removed]
        self.assertGreater(len(public), 200)
        for item in public[::20]:
            with self.subTest(item=item.slug):
                self.assertContains(self.client.get(item.url), escape(item.title))

    def test_members_only_items_are_restricted_to_their_audience(self):
        restricted = [item for item in self.items if item.scope != Scope.PUBLIC]
        self.assertEqual({item.scope for item in restricted}, set(MEMBERS_ONLY))
        visible_to_anyone = set(visible_pages(DisclosureItemPage.objects.all(), AnonymousUser()).values_list("pk", flat=True))
        for item in restricted:
            with self.subTest(item=item.slug, scope=item.scope):
                self.assertNotIn(item.pk, visible_to_anyone)
                restriction = PageViewRestriction.objects.get(page=item)
                self.assertEqual(restriction.restriction_type, BaseViewRestriction.GROUPS)
                self.assertEqual(set(restriction.groups.all()), set(item.audience_groups()))
                response = self.client.get(item.url)
                self.assertEqual(response.status_code, 302)
                self.assertEqual(urlsplit(response["Location"]).path, resolve_url(settings.WAGTAIL_FRONTEND_LOGIN_URL))
        self.assertFalse(PageViewRestriction.objects.filter(page__in=[i for i in self.items if i.scope == Scope.PUBLIC]).exists())

    def test_a_member_of_the_unit_reads_its_members_only_items(self):
        item = next(item for item in self.items if item.scope == Scope.UNIT_MEMBERS and not item.is_removed)
        self.client.force_login(make_member(item.unit, "bulk-member"))
        self.assertContains(self.client.get(item.url), escape(item.title))

    def test_no_attachments_to_record(self):
        for item in self.items:
            item.record_published_attachments()
        self.assertFalse(PublishedAttachment.objects.exists())

    def test_an_item_is_edited_and_published_through_the_model(self):
        item = next(item for item in self.items if item.scope == Scope.UNIT_MEMBERS)
        index_number = item.index_number
        draft = item.get_latest_revision_as_object()
        draft.title = "修改后的标题"
        draft.scope = Scope.PUBLIC
        draft.save_revision().publish()
        item = reload(item)
        self.assertEqual((item.title, item.index_number, item.scope), ("修改后的标题", index_number, Scope.PUBLIC))
        self.assertIsNotNone(item.live_revision)
        self.assertFalse(PageViewRestriction.objects.filter(page=item).exists())
        self.assertContains(self.client.get(item.url), "修改后的标题")

    def test_a_page_added_after_the_bulk_continues_the_tree_and_the_index_numbers(self):
        unit = UnitPage.objects.get(code=self.items[-1].unit.code)
        last = DisclosureItemPage.objects.child_of(unit).order_by("-path").first()
        year = last.document_date.year
        sequence = IndexNumberSequence.objects.get(unit_code=unit.code, year=year)
        numbers = set(DisclosureItemPage.objects.filter(unit=unit).values_list("index_number", flat=True))
        self.assertEqual(max(numbers), f"{unit.code}/{year}-{sequence.last_value:05d}")

        item = DisclosureItemPage(title="批量之后新建的事项", slug="after-bulk", document_date=last.document_date, live=False)
        unit.add_child(instance=item)
        item.save_revision().publish()
        item = reload(item)
        unit.refresh_from_db()
        self.assertEqual(item.get_prev_sibling().pk, last.pk)
        self.assertEqual(item.url_path, f"{unit.url_path}after-bulk/")
        self.assertEqual(unit.numchild, unit.get_children().count())
        self.assertEqual(item.index_number, f"{unit.code}/{year}-{sequence.last_value + 1:05d}")
        self.assertNotIn(item.index_number, numbers)
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))


class BulkMatchesPageByPageTests(TestCase):
    """One county built both ways, with the same seed, holds the same rows."""

    def test_bulk_writes_what_the_page_api_writes(self):
        with transaction.atomic():
            # Demo files, opinions and the supervision quarter (with their items) are steps of the
            # page-by-page seed only: compare the items themselves.
            call_command("seed_demo", items_per_unit=12, no_files=True, no_opinions=True, no_supervision=True, **COUNTY)
            expected = snapshot()
            transaction.set_rollback(True)
        cache.clear()  # Wagtail's cached site root paths
        # Every batch by COPY on PostgreSQL (pages_compat.copy_rows), as in large seeds.
        with mock.patch("disclosure_pages.pages_compat.COPY_FROM_ROWS", 1):
            call_command("seed_demo", bulk_items=12 * UNITS, **COUNTY)
        actual = snapshot()

        rows = expected["items"].values()
        self.assertEqual(len(rows), 12 * UNITS)
        # The county has all that the comparison is about: each members-only scope, named
        # organisations, chains of stages, change notes and document numbers.
        self.assertEqual({row["scope"] for row in rows if row["restrictions"]}, set(MEMBERS_ONLY))
        self.assertTrue(all(any(row[name] for row in rows) for name in ("named_units", "previous_stage", "change_notes", "document_number")))
        self.assertEqual(actual["items"].keys(), expected["items"].keys())
        for path, row in expected["items"].items():
            with self.subTest(path=path):
                self.assertEqual(actual["items"][path], row)
        self.assertEqual(actual["units"], expected["units"])
        self.assertEqual(actual["sequences"], expected["sequences"])


def snapshot():
    """The rows of every item (by tree path, references by natural key) and what hangs off them."""
    items = {}
    # The page-by-page demo records each item's approval by its unit (demo_county.review), with the
    # revision it approved; the bulk seed writes no revisions (README): not compared.
    ignored = {"id", "page_ptr", "translation_key", "first_published_at", "last_published_at"}
    ignored |= {"latest_revision", "live_revision", "latest_revision_created_at"}
    for item in DisclosureItemPage.objects.all():
        row = {}
        for field in DisclosureItemPage._meta.concrete_fields:
            if field.name in ignored:
                continue
            value = getattr(item, field.name)
            row[field.name] = value.path if isinstance(value, Page) else str(value) if field.is_relation and value else value
        # Clamped to the moment of the seed for items of today: compared by day.
        row["published"] = (item.first_published_at.date(), item.last_published_at.date())
        row["named_units"] = sorted(unit.path for unit in item.named_units.all())
        row["change_notes"] = sorted((note.date, note.note, note.sort_order) for note in ItemChangeNote.objects.filter(item=item))
        row["restrictions"] = sorted(
            (restriction.restriction_type, sorted(group.name for group in restriction.groups.all()))
            for restriction in PageViewRestriction.objects.filter(page=item)
        )
        items[item.path] = row
    return {
        "items": items,
        "units": {unit.code: (unit.path, unit.numchild) for unit in UnitPage.objects.all()},
        "sequences": set(IndexNumberSequence.objects.values_list("unit_code", "year", "last_value")),
    }


class PlannerStatisticsTests(TransactionTestCase):
    """On PostgreSQL a bulk seed leaves fresh planner statistics (autovacuum may be off or late)."""

    def test_a_bulk_seed_analyses_the_tables_it_wrote(self):
        if connection.vendor != "postgresql":
            self.skipTest("PostgreSQL keeps planner statistics; SQLite's queries are planned without them")
        call_command("seed_demo", bulk_items=50, **COUNTY)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL AND relname IN "
                "('wagtailcore_page', 'disclosure_pages_disclosureitempage', 'wagtailcore_pageviewrestriction')"
            )
            self.assertEqual(len(cursor.fetchall()), 3)
