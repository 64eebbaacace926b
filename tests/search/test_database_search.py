"""Searching on the database engine (SQLite FTS5, or PostgreSQL with DATABASE_URL): what a reader finds."""

import datetime
from unittest import mock

from django.db import connection, connections, transaction
from django.test import TestCase, TransactionTestCase

from search import service
from search.backends.database import DatabaseItemStore
from search.models import WRITE_LOCK, IndexGeneration
from search.updates import apply_due_updates
from tests.factories import make_item
from tests.search.support import ANONYMOUS, build_indexed_county, facet_counts, found_titles, rich_text, search


class ChineseMatchingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def test_a_word_finds_every_item_containing_it_not_only_whole_runs(self):
        # Stock Wagtail on SQLite found 党务 only where it stood alone between punctuation.
        self.assertEqual(found_titles("党务"), {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明"})
        self.assertEqual(
            found_titles("公开"), {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明", "县财政局2022年度预算公开"}
        )

    def test_a_phrase_matches_as_written_not_its_characters_anywhere(self):
        self.assertEqual(found_titles("党务公开"), {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明"})
        # 公 and 开 are both in 党费收缴情况公示's text, but never as 公开.
        self.assertNotIn("石桥镇党费收缴情况公示", found_titles("公开"))

    def test_a_phrase_is_found_in_the_title_or_the_body_but_not_in_pieces(self):
        # PostgreSQL takes the terms from the index, then looks at the title first and the body
        # only where the title lacks the phrase: each way must find it, and pieces must not.
        make_item(self.tree.township2, "民主评议党员工作安排")
        make_item(self.tree.township2, "石桥镇支部工作安排", body=rich_text("<p>年底开展民主评议党员。</p>"))
        make_item(self.tree.township2, "民主生活会与主评人名单", body=rich_text("<p>评议结果另行公布。</p>"))
        apply_due_updates()
        self.assertEqual(found_titles("民主评议"), {"民主评议党员工作安排", "石桥镇支部工作安排"})
        self.assertEqual(found_titles("民主评议 安排"), {"民主评议党员工作安排", "石桥镇支部工作安排"})

    def test_traditional_queries_find_simplified_items(self):
        self.assertEqual(found_titles("黨務公開"), found_titles("党务公开"))
        self.assertEqual(found_titles("黨費"), {"石桥镇党费收缴情况公示"})

    def test_full_width_and_half_width_are_the_same(self):
        self.assertEqual(found_titles("２０２３年"), found_titles("2023年"))
        self.assertIn("关于2023年党务公开工作的通知", found_titles("2023年"))

    def test_document_numbers_and_numbers_with_units_match(self):
        self.assertEqual(found_titles("〔2023〕5号"), {"关于2023年党务公开工作的通知"})
        self.assertEqual(found_titles("5号文件"), {"关于2023年党务公开工作的通知"})
        self.assertEqual(found_titles("2022年度"), {"县财政局2022年度预算公开"})

    def test_english_words_match_whole_and_ignore_case(self):
        self.assertEqual(found_titles("PARTY building"), {"关于2023年党务公开工作的通知"})
        self.assertEqual(found_titles("build"), set())

    def test_all_words_of_a_query_must_match(self):
        self.assertEqual(found_titles("党务 通知"), {"关于2023年党务公开工作的通知"})
        self.assertEqual(found_titles("党务 党费"), set())

    def test_one_character_queries_work(self):
        self.assertIn("石桥镇党费收缴情况公示", found_titles("费"))

    def test_query_syntax_and_symbols_are_plain_text(self):
        for text in ['"党务" OR 1=1', "党务*", "title:党务", "(党务", "党务 AND NOT", "NEAR(党务 公开)", "党务'; DROP TABLE x;--"]:
            results = search(text)
            self.assertIsNotNone(results.count, text)
        self.assertEqual(search("！？…").count, 0)

    def test_very_long_queries_are_answered(self):
        self.assertEqual(search("党务公开" * 500).count, 0)
        self.assertEqual(found_titles("关于2023年党务公开工作的通知" + "。" * 300), {"关于2023年党务公开工作的通知"})

    def test_titles_and_snippets_mark_the_words_found_in_either_script(self):
        hit = search("黨務公開").results[0]
        self.assertIn("<mark>党务公开</mark>", hit.title_html)
        hit = search("〔2023〕5号").results[0]
        self.assertIn("<mark>2023</mark>〕<mark>5号</mark>", hit.snippet_html)

    def test_snippets_are_escaped(self):
        hit = search("党费").results[0]
        self.assertNotIn("<p>", hit.snippet_html)
        self.assertIn("<mark>党费</mark>", hit.snippet_html)


class FacetAndFilterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def test_totals_are_exact_and_pages_follow(self):
        everything = search("公开")
        self.assertEqual(everything.count, 3)
        first = service.search({"q": "公开", "page": 1}, ANONYMOUS, "zh-hans", page_size=2)
        second = service.search({"q": "公开", "page": 2}, ANONYMOUS, "zh-hans", page_size=2)
        self.assertEqual((first.count, second.count, second.num_pages), (3, 3, 2))
        self.assertEqual(len(first.results) + len(second.results), 3)
        self.assertFalse({h.page_id for h in first.results} & {h.page_id for h in second.results})

    def test_the_unit_facet_counts_a_township_with_its_villages(self):
        counts = facet_counts(search("公开"), "unit")
        self.assertEqual(counts, {"城关镇党委": 2, "县财政局": 1})

    def test_filtering_by_a_township_includes_its_villages(self):
        results = search("公开", unit="QX-CGZ")
        self.assertEqual({h.title for h in results.results}, {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明"})
        # Below a township the facet lists its villages and the township itself.
        self.assertEqual(facet_counts(results, "unit"), {"东关村党支部": 1, "城关镇党委（本级）": 1})
        self.assertEqual(found_titles("公开", unit="QX-CGZ-DGC"), {"关于2023年党务公开工作的通知"})

    def test_year_stage_and_validity_filters(self):
        self.assertEqual(found_titles("公开", year=2023), {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明"})
        self.assertEqual(found_titles("公开", stage="decision"), {"关于2023年党务公开工作的通知"})
        # A valid item past its expiry date has expired: decided at query time, no reindexing.
        self.assertEqual(found_titles("公开", validity="expired"), {"县财政局2022年度预算公开"})
        self.assertNotIn("县财政局2022年度预算公开", found_titles("公开", validity="valid"))

    def test_a_facet_keeps_its_other_choices_when_one_is_selected(self):
        results = search("公开", year=2023)
        self.assertEqual(facet_counts(results, "year"), {"2023": 2, "2022": 1})
        self.assertEqual(results.count, 2)
        # Other facets count only the selected year's items.
        self.assertEqual(facet_counts(results, "unit"), {"城关镇党委": 2})

    def test_catalogue_area_and_entry_facets_filter_by_key(self):
        entry = self.items["notice"].catalogue_entry
        other = self.items["catalogue"].catalogue_entry
        results = search("公开")
        self.assertEqual(facet_counts(results, "entry"), {entry.name: 1, other.name: 1})
        self.assertEqual(found_titles("公开", entry=str(entry.translation_key)), {"关于2023年党务公开工作的通知"})
        self.assertEqual(
            found_titles("公开", area=str(entry.area.translation_key)), {"关于2023年党务公开工作的通知", "城关镇党务公开目录调整说明"}
            if other.area_id == entry.area_id else {"关于2023年党务公开工作的通知"},
        )

    def test_sort_by_date_puts_the_newest_first(self):
        results = service.search({"q": "公开", "sort": "date"}, ANONYMOUS, "zh-hans")
        dates = [hit.publish_date for hit in results.results]
        self.assertEqual(dates, sorted(dates, reverse=True))

    def test_relevance_prefers_titles(self):
        # Both mention 公开目录; only one has it in its title.
        self.assertEqual([hit.title for hit in search("公开目录").results], ["城关镇党务公开目录调整说明", "县财政局2022年度预算公开"])

    def test_a_word_too_common_to_rank_lists_title_matches_newest_first_then_the_rest(self):
        # With a limit of one match, 公开 is too common to rank by BM25 (SQLite, per tier) or
        # ts_rank (PostgreSQL, all matches).
        with mock.patch.object(DatabaseItemStore, "rank_limit", 1):
            ranked = [hit.title for hit in search("公开").results]
            by_title = [hit.title for hit in search("公开目录").results]
            total = search("公开").count
        self.assertEqual(ranked, ["城关镇党务公开目录调整说明", "关于2023年党务公开工作的通知", "县财政局2022年度预算公开"])
        # 公开目录: in one title (a tier of one, ranked), then in one body only.
        self.assertEqual(by_title, ["城关镇党务公开目录调整说明", "县财政局2022年度预算公开"])
        self.assertEqual(total, 3)  # totals stay exact


class SuggestionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def test_titles_containing_the_text_are_suggested(self):
        suggestions = service.suggest("党费", ANONYMOUS, "zh-hans")
        self.assertEqual([s["title"] for s in suggestions], ["石桥镇党费收缴情况公示"])
        self.assertIn("<mark>党费</mark>", suggestions[0]["title_html"])

    def test_body_only_matches_are_not_suggested(self):
        self.assertEqual(service.suggest("名册仅向", ANONYMOUS, "zh-hans"), [])
        self.assertEqual(service.suggest("印发", ANONYMOUS, "zh-hans"), [])


class CommonWordTests(TestCase):
    """A word in more items than are worth ranking: the first page, the total and the facets,
    the same on SQLite and PostgreSQL."""

    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()
        dated = [
            (cls.tree.village1, "东关村民主评议党员结果公示", "2024-03-01", "<p>评议结果如下。</p>"),
            (cls.tree.township2, "石桥镇民主评议党员工作安排", "2023-11-20", "<p>按计划开展。</p>"),
            (cls.tree.department, "县财政局支部会议纪要", "2024-06-30", "<p>会议开展了民主评议党员。</p>"),
            (cls.tree.village1, "东关村支部学习记录", "2022-05-05", "<p>学习后进行民主评议党员。</p>"),
            (cls.tree.township, "城关镇民主评议党员通知", "2024-01-15", "<p>各支部做好准备。</p>"),
        ]
        for unit, title, day, body in dated:
            make_item(unit, title, publish_date=datetime.date.fromisoformat(day), body=rich_text(body))
        apply_due_updates()

    def test_titles_first_newest_first_then_the_bodies_newest_first(self):
        with mock.patch.object(DatabaseItemStore, "rank_limit", 2):
            results = search("民主评议党员")
        self.assertEqual(
            [hit.title for hit in results.results],
            [
                "东关村民主评议党员结果公示", "城关镇民主评议党员通知", "石桥镇民主评议党员工作安排",  # titles, newest first
                "县财政局支部会议纪要", "东关村支部学习记录",  # bodies only, newest first
            ],
        )

    def test_a_small_title_tier_is_ranked_when_the_rest_is_not(self):
        # 支部: four matches, too many to rank; two in titles, a tier small enough to rank
        # (by each engine's own relevance). Then the bodies, newest first.
        with mock.patch.object(DatabaseItemStore, "rank_limit", 2):
            titles = [hit.title for hit in search("支部").results]
        self.assertEqual(set(titles[:2]), {"东关村支部学习记录", "县财政局支部会议纪要"})
        self.assertEqual(titles[2:], ["城关镇民主评议党员通知", "关于2023年党务公开工作的通知"])

    def test_the_total_and_facet_counts_are_exact(self):
        with mock.patch.object(DatabaseItemStore, "rank_limit", 1):
            results = search("民主评议党员")
            by_year = search("民主评议党员", year="2024")
        self.assertEqual(results.count, 5)
        self.assertEqual(facet_counts(results, "year"), {"2024": 3, "2023": 1, "2022": 1})
        self.assertEqual(facet_counts(results, "unit"), {"城关镇党委": 3, "县财政局": 1, "石桥镇党委": 1})
        # Selecting a year narrows the others' counts but not the years'.
        self.assertEqual(by_year.count, 3)
        self.assertEqual(facet_counts(by_year, "year"), {"2024": 3, "2023": 1, "2022": 1})
        self.assertEqual(facet_counts(by_year, "unit"), {"城关镇党委": 2, "县财政局": 1})


class WriteOrderTests(TransactionTestCase):
    """Processes catch up with the rows written since the last change number they saw, so
    writes to the documents take their numbers in the order they commit."""

    def test_a_write_holds_the_lock_until_it_commits(self):
        if connection.vendor != "postgresql":
            self.skipTest("SQLite lets one writer at a time")
        other = connections.create_connection("default")
        self.addCleanup(other.close)

        def another_writer_may_write():
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [WRITE_LOCK])
                taken = cursor.fetchone()[0]
                if taken:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [WRITE_LOCK])
                return taken

        with transaction.atomic():
            IndexGeneration.lock_writes()
            self.assertFalse(another_writer_may_write())
        self.assertTrue(another_writer_may_write())
