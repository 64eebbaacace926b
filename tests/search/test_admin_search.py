"""The admin finds a page by any word of its title, in either script: the page search, the
explorer's filter and the page chooser (Wagtail's autocomplete, analysed as the portal's search is)."""

from django.test import TestCase
from django.urls import reverse

from tests.factories import build_tree, make_item
from tests.workflows.helpers import people

MEMBERS = "关于党员发展工作的通知"
QUARTER = "城关镇2024年第一季度党务公开"
ASCII = "quokka 年度计划"


class AdminFindsChineseWordsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)
        with cls.captureOnCommitCallbacks(execute=True):
            cls.items = {title: make_item(cls.t.township, title) for title in (MEMBERS, QUARTER, ASCII)}
            cls.other = make_item(cls.t.township2, "石桥镇党员发展草稿", publish=False)

    def found(self, url, query):
        content = self.client.get(url, query).content.decode()
        return {title for title in (MEMBERS, QUARTER, ASCII, self.other.title) if title in content}

    def test_the_page_search_finds_any_word_of_a_title(self):
        self.client.force_login(self.p["officer"])
        search = reverse("wagtailadmin_pages:search")
        cases = {
            "党员发展": {MEMBERS},  # in the middle: Wagtail's index held the whole title as one term
            "党务公开": {QUARTER},
            "2024年": {QUARTER},
            "通知": {MEMBERS},
            "关于 通知": {MEMBERS},  # every word
            "黨務公開": {QUARTER},  # Traditional
            "quok": {ASCII},  # the last word is a prefix, as one types
            "年度": {ASCII},
            "发展通知": set(),  # not consecutive in any title
        }
        for query, titles in cases.items():
            with self.subTest(query=query):
                self.assertEqual(self.found(search, {"q": query}), titles)

    def test_the_explorer_filter_and_the_page_chooser_find_words_too(self):
        self.client.force_login(self.p["officer"])
        explorer = reverse("wagtailadmin_explore", args=[self.t.township.pk])
        self.assertEqual(self.found(explorer, {"q": "党务公开"}), {QUARTER})
        chooser = reverse("wagtailadmin_choose_page_search")
        self.assertEqual(self.found(chooser, {"q": "党员发展"}), {MEMBERS})

    def test_another_units_draft_stays_out_of_reach(self):
        self.client.force_login(self.p["officer"])
        self.assertEqual(self.found(reverse("wagtailadmin_pages:search"), {"q": "党员发展"}), {MEMBERS})
        self.client.force_login(self.p["officer2"])
        self.assertEqual(self.found(reverse("wagtailadmin_pages:search"), {"q": "党员发展"}), {self.other.title})

    def test_a_query_of_punctuation_only_finds_nothing_without_an_error(self):
        self.client.force_login(self.p["officer"])
        for query in ("！？", "&|:*'", "<->"):
            with self.subTest(query=query):
                response = self.client.get(reverse("wagtailadmin_pages:search"), {"q": query})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(self.found(reverse("wagtailadmin_pages:search"), {"q": query}), set())
