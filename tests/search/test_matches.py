"""The database engine keeps large match sets in memory and catches them up after writes
(search.backends.matches): a search answers what one reading every match again answers."""

import io
from unittest import mock

import numpy as np

from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.utils.module_loading import import_string

from disclosure_pages.choices import Scope
from search import schema
from search.backends import columns, matches
from search.backends.database import VENDOR_BACKENDS
from search.models import KeptMatch
from search.service import warm_up
from search.updates import apply_due_updates
from tests.factories import edit_and_publish, make_item, make_member
from tests.search.support import ANONYMOUS, build_indexed_county, rich_text, search


def full_matches():
    """Calls of the database's own full-text match (``matching_ids``), watched."""
    store_class = import_string(VENDOR_BACKENDS[connection.vendor]).item_store_class
    return mock.patch.object(store_class, "matching_ids", autospec=True, side_effect=store_class.matching_ids)


def answer(text, user=ANONYMOUS, **params):
    results = search(text, user, **params)
    return results.count, [hit.title for hit in results.results]


def outside_transactions():
    # As a web process reads; the test case itself runs in a transaction.
    return mock.patch("search.backends.columns.outside_transactions", return_value=True)


@override_settings(SUNSHINE_SEARCH_MATCHES_CACHED_FROM=2, SUNSHINE_SEARCH_MATCHES_CACHED_SLOWER_THAN_MS=10**9)
class MatchesTestCase(TestCase):
    """The search's county, every process's memory empty at the start (kept from two matches,
    none for being slow)."""

    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def setUp(self):
        columns._cache.clear()
        matches.clear()
        self.addCleanup(matches.clear)


class KeptMatchesTests(MatchesTestCase):

    def test_a_large_match_is_read_once_and_answered_from_memory_until_a_write(self):
        first = answer("公开")
        with full_matches() as matched:
            self.assertEqual(answer("公开"), first)
        matched.assert_not_called()
        self.assertEqual(first[0], 3)

    def test_a_small_match_is_not_kept(self):
        self.assertEqual(answer("党费")[0], 1)
        with full_matches() as matched:
            self.assertEqual(answer("党费")[0], 1)
        self.assertTrue(matched.called)

    @override_settings(SUNSHINE_SEARCH_MATCHES_CACHED_SLOWER_THAN_MS=0)
    def test_a_small_match_slow_to_read_is_kept(self):
        # A phrase of common words (村务公开) has its positions checked in thousands of
        # documents for a few matches: seconds at 1,000,000 items.
        self.assertEqual(answer("党费", sort="date")[0], 1)
        with full_matches() as matched:
            self.assertEqual(answer("党费", sort="date")[0], 1)
        matched.assert_not_called()

    def test_after_writes_only_the_documents_written_since_are_matched_again(self):
        member = make_member(self.tree.village2, "xiguan_member")
        with outside_transactions():
            before = answer("党员")  # kept: the dues notice (public) and a village's roster (members only)
            dues, budget = self.items["dues"], self.items["budget"]
            edit_and_publish(dues, body=rich_text("<p>本季度按时交纳党费。</p>"))  # no longer has the word
            budget.unpublish()  # gone
            added = make_item(self.tree.township2, "石桥镇党员公开承诺书")
            members_only = make_item(self.tree.village2, "西关村党员名册（内部公开）", scope=Scope.UNIT_MEMBERS)
            apply_due_updates()
            with full_matches() as matched:
                caught_up = answer("党员")
                for_the_member = answer("党员", member)
        # The kept match tested the written documents only, not the whole table (the titles'
        # match, of one document, was not kept: it is read again).
        written = {dues.pk, added.pk, members_only.pk}
        caught_up_calls = [call for call in matched.call_args_list if call.kwargs.get("among") is not None]
        self.assertTrue(caught_up_calls)
        for call in caught_up_calls:
            self.assertLessEqual(set(call.kwargs["among"].tolist()), written)
        self.assertEqual({call.args[3] for call in matched.call_args_list if call not in caught_up_calls}, {True})
        self.assertEqual(before, (1, ["石桥镇党费收缴情况公示"]))
        self.assertEqual(caught_up, (1, ["石桥镇党员公开承诺书"]))
        # Members-only documents are kept with the rest, and still shown to their members only.
        self.assertEqual(set(for_the_member[1]), {"西关村党员名册（内部公开）", "石桥镇党员公开承诺书"})
        matches.clear()
        self.assertEqual(answer("党员"), caught_up)
        self.assertEqual(answer("党员", member), for_the_member)

    def test_what_was_read_inside_a_transaction_is_read_again_in_full(self):
        # A transaction's rows may yet be rolled back, and a later write take their change number.
        answer("公开")
        make_item(self.tree.township2, "石桥镇党员公开承诺书")
        apply_due_updates()
        with full_matches() as matched:
            self.assertEqual(answer("公开")[0], 4)
        self.assertIsNone(matched.call_args.kwargs.get("among"))

    @override_settings(SUNSHINE_SEARCH_MATCHES_CACHED_IDS=4)
    def test_past_the_limit_the_least_recently_searched_is_dropped(self):
        # Newest first: one match each, no tier of title matches.
        answer("公开", sort="date")  # 4 documents of every reader (3 public, 1 members-only)
        answer("党员", sort="date")  # 2: the first one goes
        with full_matches() as matched:
            answer("党员", sort="date")
        matched.assert_not_called()
        with full_matches() as matched:
            answer("公开", sort="date")
        self.assertTrue(matched.called)


class SharedMatchesTests(MatchesTestCase):
    """A match read in full is written for the other processes, which read it as they start."""

    def restart(self):
        """What another server process holds once warmed up (deploy/gunicorn.conf.py)."""
        columns._cache.clear()
        matches.clear()
        warm_up()

    def test_another_process_answers_from_the_kept_match_and_catches_it_up(self):
        with outside_transactions():
            first = answer("党员")
            self.assertEqual(set(KeptMatch.objects.values_list("size", flat=True)), {2})
            self.restart()
            with full_matches() as matched:
                self.assertEqual(answer("党员"), first)
            self.assertEqual([call for call in matched.call_args_list if not call.args[3]], [])  # titles' match: 1, not kept
            added = make_item(self.tree.township2, "石桥镇党员公开承诺书")
            apply_due_updates()
            self.restart()
            with full_matches() as matched:
                caught_up = answer("党员")
        self.assertEqual({call.kwargs.get("among") is not None for call in matched.call_args_list if not call.args[3]}, {True})
        self.assertIn(added.title, caught_up[1])
        matches.clear()
        self.assertEqual(answer("党员"), caught_up)

    def test_nothing_read_inside_a_transaction_is_written(self):
        answer("党员")
        self.assertFalse(KeptMatch.objects.exists())

    @override_settings(SUNSHINE_SEARCH_MATCHES_CACHED_IDS=5)
    def test_past_the_limit_the_least_recently_read_are_dropped_from_the_database_too(self):
        with outside_transactions():
            answer("公开", sort="date")  # 4
            answer("党员", sort="date")  # 2
        self.assertEqual(list(KeptMatch.objects.values_list("size", flat=True)), [2])

    def test_a_process_started_before_the_match_was_read_takes_it_from_the_database(self):
        with outside_transactions():
            first = answer("党员")
            matches.clear()  # a process that warmed up before the match was stored
            with full_matches() as matched:
                self.assertEqual(answer("党员"), first)
        self.assertEqual([call for call in matched.call_args_list if not call.args[3]], [])  # titles' match: 1, not kept


class RebuildTests(MatchesTestCase):
    """``update_index`` matches again the words searched before: a rebuild leaves every kept match behind."""

    def test_a_rebuild_matches_again_the_words_searched_before_and_drops_what_is_small_now(self):
        with outside_transactions():
            answer("公开", sort="date")  # 4 documents of every reader
            answer("党员", sort="date")  # 2: the dues notice and a village's members-only roster
            edit_and_publish(self.items["dues"], body=rich_text("<p>本季度按时交纳党费。</p>"))  # 党员: one left
            out = io.StringIO()
            # As at a large county, where the rebuild wrote more than a tenth of the documents:
            # each match is read in full, and kept only if still large (or slow).
            with mock.patch.object(matches, "_written_since", return_value=np.arange(1, 2002)):
                call_command("update_index", stdout=out)
            self.assertIn("Matched again the 2 matches", out.getvalue())
            current = columns.columns_for(schema.SCHEMA, "zh-hans").token
            self.assertEqual(list(KeptMatch.objects.values_list("token", "size")), [(current, 4)])  # 公开's alone
            # A process started after the rebuild answers 公开 without matching it again.
            matches.clear()
            columns._cache.clear()
            with full_matches() as matched:
                self.assertEqual(answer("公开", sort="date")[0], 3)
            matched.assert_not_called()
        self.assertEqual(answer("党员"), (0, []))

    def test_at_a_small_county_a_rebuild_catches_the_kept_matches_up(self):
        with outside_transactions():
            answer("党员", sort="date")
            edit_and_publish(self.items["dues"], body=rich_text("<p>本季度按时交纳党费。</p>"))  # 党员: one left
            call_command("update_index", stdout=io.StringIO())
            # A match kept stays kept however small: it was large or slow to read when read in full.
            current = columns.columns_for(schema.SCHEMA, "zh-hans").token
            self.assertEqual(list(KeptMatch.objects.values_list("token", "size")), [(current, 1)])
