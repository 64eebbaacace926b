"""The search page as a reader sees it (issue 14): a catalogue entry's name appears once in the
facets with the right count, though the county catalogues and units' own entries share names
(主题党日活动安排 was listed twice); a page past the last shows the last page, not "找到 13
条" over "没有找到"."""

import re
from unittest import mock

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from disclosure_pages.models import Catalogue, CatalogueArea, CatalogueEntry
from search import service
from search.updates import apply_due_updates
from tests.factories import build_tree, make_item

THEME_DAY = "主题党日活动安排"
MONTHLY = {"timing": "periodic", "period": "month"}


def entry_options(html):
    """(label, count) of each option of the 公开目录 facet."""
    section = re.search(r"<h2>公开目录</h2>(.*?)</section>", html, flags=re.S).group(1)
    return re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a> <span class="facet-count">(\d+)</span>', section)


class SameNamedEntriesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        area = cls.t.areas["思想政治建设"]
        county_entry = CatalogueEntry.objects.create(area=area, name=THEME_DAY, code="B04", **MONTHLY)
        # The villages' 7+X catalogue has an entry of the same name, and a village its own one.
        seven = Catalogue.objects.create(name="村（社区）党务公开目录（7+X）", shape="seven_plus_x")
        optional = CatalogueArea.objects.create(catalogue=seven, name="自选公开事项（X项）")
        seven_entry = CatalogueEntry.objects.create(area=optional, name=THEME_DAY, code="X02", **MONTHLY)
        local_entry = CatalogueEntry.objects.create(area=optional, unit=cls.t.village2, name=THEME_DAY, code="X11", **MONTHLY)
        for unit in (cls.t.village1, cls.t.village2):
            unit.catalogue = seven
            unit.save_revision().publish()
        make_item(cls.t.township, "城关镇2024年5月主题党日活动安排", catalogue_entry=county_entry)
        make_item(cls.t.township2, "石桥镇2024年5月主题党日活动安排", catalogue_entry=county_entry)
        make_item(cls.t.village1, "东关村2024年5月主题党日活动安排", catalogue_entry=seven_entry)
        make_item(cls.t.village2, "西关村2024年5月主题党日活动安排", catalogue_entry=local_entry)
        make_item(cls.t.department, "县财政局2024年5月主题党日活动通知", catalogue_entry=cls.t.entries["理论学习计划"])
        apply_due_updates()
        cls.entries = (county_entry, seven_entry, local_entry)

    def test_a_name_appears_once_with_the_count_of_all_its_entries(self):
        html = self.client.get("/zh-hans/search/", {"q": "主题党日"}).content.decode()
        self.assertIn("找到 5 条", html)
        self.assertEqual(entry_options(html), [(THEME_DAY, "4"), ("理论学习计划", "1")])

    def test_choosing_it_finds_the_items_of_every_entry_of_that_name(self):
        for entry in self.entries:  # a link may carry any of them
            with self.subTest(entry=entry.code):
                html = self.client.get("/zh-hans/search/", {"q": "主题党日", "entry": str(entry.translation_key)}).content.decode()
                self.assertIn("找到 4 条", html)
                self.assertNotIn("县财政局2024年5月", html)
                self.assertIn(f"{THEME_DAY} ✕", html)  # the chosen filter, by its name
                self.assertRegex(html, rf'aria-current="true" class="is-selected">{THEME_DAY}</a>')
                self.assertEqual(entry_options(html), [(THEME_DAY, "4"), ("理论学习计划", "1")])

    def test_the_traditional_page_shows_it_once_too(self):
        html = self.client.get("/zh-hant/search/", {"q": "主題黨日"}).content.decode()
        section = re.search(r"<h2>公開目錄</h2>(.*?)</section>", html, flags=re.S).group(1)
        options = re.findall(r'<a href="[^"]*"[^>]*>([^<]+)</a> <span class="facet-count">(\d+)</span>', section)
        self.assertEqual(options[0], ("主題黨日活動安排", "4"))
        self.assertEqual(len(options), len({label for label, _count in options}))


class KeptNamesTests(SameNamedEntriesTests):
    """Each process keeps the catalogue's names between searches (thousands at a province's
    county) until the content version moves: a renamed entry is shown by its new name at once."""

    def setUp(self):
        service._names.clear()
        self.addCleanup(service._names.clear)
        # As a web process reads, outside any transaction (the test case runs in one).
        patcher = mock.patch.object(service, "outside_transactions", return_value=True)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_the_names_are_read_once_and_again_after_a_rename(self):
        self.client.get("/")  # the site's settings are created by a first request: a change
        self.client.get("/zh-hans/search/", {"q": "主题党日"})
        with CaptureQueriesContext(connection) as queries:
            html = self.client.get("/zh-hans/search/", {"q": "主题党日"}).content.decode()
        self.assertEqual(entry_options(html), [(THEME_DAY, "4"), ("理论学习计划", "1")])
        self.assertFalse([q for q in queries.captured_queries if "disclosure_pages_catalogueentry" in q["sql"] ])

        renamed = self.t.entries["理论学习计划"]
        renamed.name = "理论学习中心组学习计划"
        renamed.save()
        html = self.client.get("/zh-hans/search/", {"q": "主题党日"}).content.decode()
        self.assertEqual(entry_options(html), [(THEME_DAY, "4"), ("理论学习中心组学习计划", "1")])


class PastTheLastPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        for number in range(13):
            make_item(cls.t.township, f"城关镇发展党员公示第{number + 1}号")
        apply_due_updates()

    def test_a_page_past_the_last_shows_the_last_page(self):
        response = self.client.get("/zh-hans/search/", {"q": "发展党员", "page": "99", "sort": "date"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/zh-hans/search/?q=%E5%8F%91%E5%B1%95%E5%85%9A%E5%91%98&page=2&sort=date")
        html = self.client.get(response["Location"]).content.decode()
        self.assertIn("找到 13 条", html)
        self.assertIn("第 2 / 2 页", html)
        self.assertEqual(len(re.findall(r'class="search-hit"', html)), 3)
        self.assertNotIn("没有找到", html)

    def test_the_last_page_itself_and_nothing_found_are_unchanged(self):
        self.assertEqual(self.client.get("/zh-hans/search/", {"q": "发展党员", "page": "2"}).status_code, 200)
        html = self.client.get("/zh-hans/search/", {"q": "没有这个词", "page": "5"}).content.decode()
        self.assertIn("没有找到", html)

    def test_the_portal_listings_show_the_last_page_too(self):
        entry = self.t.entries["发展党员"]
        for number in range(25):
            make_item(self.t.township, f"城关镇目录事项{number}", catalogue_entry=entry)
        html = self.client.get(f"{self.t.portal.url}catalogue/{entry.translation_key}/", {"page": "99"}).content.decode()
        pages = re.search(r"第 (\d+) / (\d+) 页", html)
        self.assertEqual(pages.group(1), pages.group(2))
        self.assertIn("城关镇目录事项0", html)  # the oldest, on the last page
