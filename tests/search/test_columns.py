"""The database engine's facet columns in memory catch up with writes without rereading every row."""

from unittest import mock

import numpy as np
from django.db import DatabaseError
from django.test import SimpleTestCase, TestCase

from disclosure_pages.choices import Scope, Stage
from search.backends import columns
from search.schema import SCHEMA
from search.service import warm_up
from search.updates import apply_due_updates
from tests.factories import edit_and_publish, make_item
from tests.search.support import ANONYMOUS, build_indexed_county, facet_counts, found_titles, search


def decoded(column):
    return [column.values[code - 1] if code else None for code in column.codes]


class CatchingUpTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def setUp(self):
        columns._cache.clear()

    def assert_same_as_a_full_read(self, caught_up):
        columns._cache.clear()
        full = columns.columns_for(SCHEMA, "zh-hans")
        self.assertEqual(caught_up.ids.tolist(), full.ids.tolist())
        self.assertEqual((caught_up.plain.keys(), caught_up.coded.keys()), (full.plain.keys(), full.coded.keys()))
        for name, array in full.plain.items():
            self.assertTrue(np.array_equal(caught_up.plain[name], array), name)
        for name, column in full.coded.items():
            self.assertEqual(decoded(caught_up.coded[name]), decoded(column), name)

    def test_writes_since_the_last_read_are_merged_in(self):
        # Read outside any transaction (as a web process does); the test case itself runs in one.
        with mock.patch("search.backends.columns.outside_transactions", return_value=True):
            self.assertEqual(search("公开").count, 3)
            edit_and_publish(self.items["notice"], stage=Stage.RESULT)  # a changed facet value
            self.items["budget"].unpublish()  # gone
            make_item(self.tree.township2, "石桥镇党员公开承诺书", stage=Stage.PRE_DISCLOSURE)  # new
            make_item(self.tree.village2, "西关村党员名册（内部公开）", scope=Scope.UNIT_MEMBERS)  # a new audience
            apply_due_updates()
            with mock.patch.object(columns.FacetColumns, "updated", autospec=True, side_effect=columns.FacetColumns.updated) as updated:
                results = search("公开")
            self.assertEqual(updated.call_count, 1)
            caught_up = columns.columns_for(SCHEMA, "zh-hans")
        self.assertEqual(
            {hit.title for hit in results.results},
            {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明", "石桥镇党员公开承诺书"},
        )
        self.assertEqual(facet_counts(results, "stage"), {"结果公开": 1, "预公开": 1, "其他": 1})
        self.assertNotIn("西关村党员名册（内部公开）", found_titles("公开", ANONYMOUS))
        self.assert_same_as_a_full_read(caught_up)

    def test_columns_read_inside_a_transaction_are_read_in_full_next_time(self):
        # What was read in a transaction may be rolled back, and its change number reused.
        search("公开")
        make_item(self.tree.township2, "石桥镇党员公开承诺书")
        apply_due_updates()
        with mock.patch.object(columns.FacetColumns, "updated") as updated:
            self.assertEqual(search("公开").count, 4)
        updated.assert_not_called()


class WarmUpTests(TestCase):
    """A web server process reads the columns as it starts (deploy/gunicorn.conf.py), not in its first search."""

    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def setUp(self):
        columns._cache.clear()

    def test_the_first_search_after_warming_up_reads_no_columns(self):
        with mock.patch("search.backends.columns.outside_transactions", return_value=True):
            warm_up()
            with mock.patch.object(columns, "_rows", side_effect=columns._rows) as rows:
                self.assertEqual(search("公开").count, 3)
        rows.assert_not_called()

    def test_a_failed_warm_up_leaves_the_columns_to_the_first_search(self):
        with mock.patch.object(columns, "_rows", side_effect=DatabaseError("the database is not up yet")):
            with self.assertLogs("search.service", "ERROR"):
                warm_up()
        self.assertEqual(search("公开").count, 3)


class GroupedValuesTests(SimpleTestCase):
    """A column's values grouped once per argument (the audiences searching, the unit facet's
    roots): each search used to loop over ten thousand values of a province's county."""

    def test_values_are_grouped_by_key_and_the_groupings_kept_are_bounded(self):
        column = columns.Coded(["a b", "c", "b", None, "a b"])  # values: "a b", "b", "c"
        keys, groups = column.grouped(columns._passes, frozenset({"b"}))
        self.assertEqual((keys, groups.tolist()), ([True], [-1, 0, 0, -1]))
        self.assertIs(column.grouped(columns._passes, frozenset({"b"}))[1], groups)  # kept
        _, nobody = column.grouped(columns._passes, frozenset({"z"}))
        self.assertEqual(nobody.tolist(), [-1, -1, -1, -1])
        for number in range(columns.GROUPINGS_KEPT + 50):
            column.grouped(columns._passes, frozenset({f"group{number}"}))
        self.assertEqual(len(column._grouped), columns.GROUPINGS_KEPT)
