"""Province scale (issue 19): a township's public page reads the same number of queries however
many villages and items it has.

Its catalogue listing takes each entry's newest items and their number from one query, and
the listing and the sub-units are cached fragments keyed by the content version and the reader:
a cached copy is never stale, and a members-only item never reaches another audience through it.
"""

import datetime
import re

from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from disclosure_pages.choices import Scope, UnitType
from tests.factories import build_tree, make_item, make_member, make_unit, reload

ENTRY = "党费收缴使用"
MEMBERS_ONLY = "城关镇党委民主生活会整改清单"


def item_titles(html):
    return re.findall(r'<li>\s*<a href="[^"]*">([^<]*)</a>', html)


class TownshipPageScaleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.member = make_member(reload(cls.t.township), "cgz-member")
        cls.entry = cls.t.entries[ENTRY]
        for number in range(2):
            cls.publish(number)
        make_item(reload(cls.t.township), MEMBERS_ONLY, scope=Scope.UNIT_MEMBERS, catalogue_entry=cls.t.entries["工作制度和程序"])

    @classmethod
    def publish(cls, number):
        return make_item(
            reload(cls.t.township), f"城关镇党委第{number}季度党费收缴情况公示", catalogue_entry=cls.entry,
            publish_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
        )

    def grow(self, villages=6, items=8):
        """More villages under the township, and more items under one of its entries."""
        for number in range(villages):
            make_unit(reload(self.t.township), f"城关镇新村{number}党支部", f"QX-CGZ-X{number}", UnitType.VILLAGE, "", self.t.catalogue)
        for number in range(2, 2 + items):
            self.publish(number)

    def queries(self, cached):
        """(number of queries, html) of the township's page, its fragments ``cached`` or not; the
        request before fills what a process keeps (the site's root paths, the script's phrases)."""
        self.client.get(self.t.township.url)
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(self.t.township.url)
        self.assertEqual(response.status_code, 200)
        return captured, response.content.decode()

    def test_the_page_reads_the_same_number_of_queries_for_more_villages_and_items(self):
        small = {cached: len(self.queries(cached)[0]) for cached in (False, True)}
        self.grow()
        large = {cached: len(self.queries(cached)[0]) for cached in (False, True)}
        self.assertEqual(large, small)

        captured, html = self.queries(cached=True)
        self.assertFalse([query for query in captured if "disclosure_pages_disclosureitempage" in query["sql"]])
        self.assertIn("城关镇新村5党支部", html)

    def test_each_entry_shows_its_five_newest_items_and_their_number(self):
        self.grow()
        html = self.queries(cached=False)[1]
        shown = [title for title in item_titles(html) if "党费收缴" in title]
        self.assertEqual(shown, [f"城关镇党委第{number}季度党费收缴情况公示" for number in (9, 8, 7, 6, 5)])
        self.assertIn("查看本单位该目录全部 10 条", html)
        self.assertIn("城关镇新村0党支部", html)

    def test_a_members_only_item_never_reaches_another_audience_through_the_cache(self):
        self.client.get(self.t.township.url)  # the first request writes the portal's settings: a change of content
        cache.clear()
        self.client.force_login(self.member)
        self.assertIn(MEMBERS_ONLY, self.client.get(self.t.township.url).content.decode())
        self.client.logout()
        self.assertNotIn(MEMBERS_ONLY, self.client.get(self.t.township.url).content.decode())
        self.client.force_login(self.member)
        self.assertIn(MEMBERS_ONLY, self.client.get(self.t.township.url).content.decode())

    def test_a_publication_shows_at_once(self):
        self.queries(cached=True)
        self.publish(12)
        self.assertIn("城关镇党委第12季度党费收缴情况公示", self.client.get(self.t.township.url).content.decode())
