"""The tree helper (disclosure_pages.tree) on its fast path and on treebeard's add_child: the
same pages in the same places, for the importer, the bulk seed and single pages."""

from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings
from wagtail.models import Page, PageLogEntry

from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.tree import add_child, add_children
from tests.demo_county.test_bulk_seed import COUNTY, UNITS, snapshot
from tests.factories import build_tree, reload
from tests.importer.test_import import NOTICE, ImportTestCase, run_import_report

BOTH_PATHS = (True, False)


def built_both_ways(build, read):
    """``read()`` after ``build()`` with the fast paths on, then off, each in a transaction rolled back."""
    results = {}
    for fast in BOTH_PATHS:
        with transaction.atomic(), override_settings(SUNSHINE_FRAMEWORK_FAST_PATHS=fast):
            build()
            results[fast] = read()
            transaction.set_rollback(True)
        cache.clear()  # Wagtail's cached site root paths
    return results


def tree_rows(parent):
    """The children of ``parent`` as the tree and the site see them."""
    return [
        (page.path, page.depth, page.numchild, page.url_path, page.slug, page.draft_title, page.locale_id, page.live)
        for page in reload(parent).get_children().order_by("path")
    ]


class TreeHelperTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()

    def test_add_child_places_and_validates_pages_as_add_child_does(self):
        checked = []

        def build():
            unit = reload(self.t.village1)
            for title in ("村务公开栏更新", "村务公开栏更新"):  # the second needs a slug of its own
                item = DisclosureItemPage(title=title, unit=unit, locale=unit.locale, live=False)
                add_child(unit, item, validate=lambda page, exclude: checked.append(page.full_clean(exclude=exclude)))

        results = built_both_ways(build, lambda: (tree_rows(self.t.village1), reload(self.t.village1).numchild,
                                                  Page.find_problems()))
        self.assertEqual(results[True], results[False])
        rows, numchild, problems = results[True]
        self.assertEqual((numchild, problems), (2, ([], [], [], [], [])))
        self.assertNotEqual(rows[0][4], rows[1][4])
        self.assertEqual(len(checked), 4)

    def test_add_children_places_pages_as_add_child_does(self):
        def build():
            unit = reload(self.t.department)
            first = DisclosureItemPage(title="第一阶段", slug="stage-1", unit=unit, locale=unit.locale, live=True,
                                       index_number=f"{unit.code}/2024-00101")
            second = DisclosureItemPage(title="第二阶段", slug="stage-2", unit=unit, locale=unit.locale, live=True,
                                        index_number=f"{unit.code}/2024-00102", previous_stage=first)
            add_children(unit, [first, second])

        def read():
            unit = reload(self.t.department)
            stages = {item.slug: item.previous_stage.slug if item.previous_stage else None
                      for item in DisclosureItemPage.objects.child_of(unit)}
            return tree_rows(unit), unit.numchild, stages, Page.find_problems()

        results = built_both_ways(build, read)
        self.assertEqual(results[True], results[False])
        self.assertEqual(results[True][2], {"stage-1": None, "stage-2": "stage-1"})


class BulkSeedBothWaysTests(TestCase):
    def test_the_bulk_seed_writes_the_same_rows_on_both_paths(self):
        results = built_both_ways(lambda: call_command("seed_demo", bulk_items=6 * UNITS, **COUNTY), snapshot)
        self.assertEqual(len(results[True]["items"]), 6 * UNITS)
        self.assertEqual(results[True], results[False])


class ImportBothWaysTests(ImportTestCase):
    def test_the_import_makes_the_same_drafts_on_both_paths(self):
        self.write("1-公示.txt", NOTICE)
        self.write("2-更正.txt", NOTICE.replace("1,200", "1,350"))  # same 文号: flagged, left out

        def read():
            items = DisclosureItemPage.objects.child_of(self.t.township).order_by("path")
            return (
                tree_rows(self.t.township),
                [(item.title, item.document_number, item.index_number, item.live, item.revisions.count(),
                  sorted(PageLogEntry.objects.filter(page=item).values_list("action", flat=True)),
                  item.get_latest_revision_as_object().body.get_prep_value()[0]["value"])
                 for item in items],
            )

        results = built_both_ways(lambda: run_import_report(self.folder, self.folder), read)
        self.assertEqual(results[True], results[False])
        rows, items = results[True]
        self.assertEqual([item[1] for item in items], ["城关党发〔2024〕3号", ""])
