"""信息订阅 is a page that explains the feeds and lists them (issue 14), not raw XML."""

import re

from django.test import TestCase
from wagtail.models import Locale

from disclosure_pages.choices import Scope
from tests.factories import build_tree, make_item, reload


class FeedDirectoryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.public = make_item(cls.t.village1, "东关村党支部主题党日活动安排", catalogue_entry=cls.t.entries["重大决策部署"])
        cls.secret = make_item(cls.t.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS)

    def links(self, html):
        return re.findall(r'href="([^"]+)"', html)

    def test_the_navigation_opens_a_page_in_words(self):
        portal = reload(self.t.portal)
        html = self.client.get(portal.url).content.decode()
        nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
        target = re.search(r'<a href="([^"]+)"[^>]*>信息订阅</a>', nav).group(1)
        self.assertEqual(target, "/zh-hans/feeds/")
        response = self.client.get(target)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response["Content-Type"].startswith("text/html"))
        html = response.content.decode()
        self.assertIn("<h1>信息订阅</h1>", html)
        self.assertIn("RSS 和 Atom 是两种通用的订阅格式", html)
        self.assertIn("向党员或特定组织公开的事项不会出现在任何订阅中", html)

    def test_it_lists_the_county_each_unit_in_its_tree_and_each_catalogue_entry(self):
        html = self.client.get("/zh-hans/feeds/").content.decode()
        links = self.links(html)
        self.assertIn("/zh-hans/feed/rss/", links)
        self.assertIn("/zh-hans/feed/atom/", links)
        for unit in (self.t.county, self.t.township, self.t.village1, self.t.township2, self.t.department):
            self.assertIn(reload(unit).url + "feed/rss/", links, unit.title)
            self.assertIn(reload(unit).url + "feed/atom/", links, unit.title)
        # The tree: 东关村 is listed inside 城关镇's entry.
        township = re.search(r"中共城关镇委员会</span>.*?</li>\s*</ul>", html, re.S).group(0)
        self.assertIn("东关村党支部", township)
        for name, entry in self.t.entries.items():
            self.assertIn(f"/zh-hans/catalogue/{entry.translation_key}/feed/rss/", links, name)
            self.assertIn(f"/zh-hans/catalogue/{entry.translation_key}/feed/atom/", links, name)
            self.assertIn(name, html)
        for link in links:
            if "/feed/" in link:
                self.assertEqual(self.client.get(link).status_code, 200, link)

    def test_nothing_members_only_on_the_page_or_in_its_feeds(self):
        html = self.client.get("/zh-hans/feeds/").content.decode()
        self.assertNotIn(self.secret.title, html)
        for link in self.links(html):
            if "/feed/" in link:
                self.assertNotIn(self.secret.title, self.client.get(link).content.decode(), link)
        self.assertIn(self.public.title, self.client.get(reload(self.t.village1).url + "feed/rss/").content.decode())

    def test_the_traditional_page_is_in_traditional_with_its_own_feeds(self):
        hant_portal = reload(self.t.portal).get_translation(Locale.objects.get(language_code="zh-hant"))
        html = self.client.get(hant_portal.url).content.decode()
        self.assertIn('href="/zh-hant/feeds/">信息訂閱</a>', html)
        html = self.client.get("/zh-hant/feeds/").content.decode()
        self.assertIn("<h1>信息訂閱</h1>", html)
        self.assertIn("/zh-hant/feed/rss/", self.links(html))
        self.assertIn("東關村黨支部", html)
        self.assertNotIn("/zh-hans/feed/", html)
