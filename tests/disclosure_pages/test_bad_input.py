"""The portal's own routes never answer 500 to bad numbers (issue 13, item 6).

``?unit=`` of a catalogue entry page and the entry id in its path reached the database as
given: a number past SQLite's integers was an ``OverflowError`` (500), ``?unit=²`` a
``ValueError``. Here, as in production (DEBUG off, the client sees the 500 page rather
than the exception), they are a clear note or a 404.
"""

from django.test import Client, TestCase

from tests.factories import build_tree, make_item

HUGE = "99999999999999999999999"
ITEM = "城关镇党委关于2024年第一季度党费收缴情况的公示"
NOTE = "没有找到所选单位"


class CatalogueEntryBadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.entry = cls.t.entries["党费收缴使用"]
        make_item(cls.t.township, ITEM, catalogue_entry=cls.entry)

    def get(self, path, **params):
        # Old links by a unit's id redirect to its code (follow=True).
        return Client(raise_request_exception=False).get(path, params, follow=True)

    def entry_url(self, entry_id=None):
        return f"{self.t.portal.url}catalogue/{entry_id or self.entry.translation_key}/"

    def test_a_unit_that_cannot_be_an_id_lists_every_unit_with_a_note(self):
        for value in (HUGE, "99999999999999999999", "2147483648", "0", "-1", "²", "１２", "١٢", "1e3", " 1", "x"):
            with self.subTest(unit=value):
                response = self.get(self.entry_url(), unit=value)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                self.assertIn(ITEM, html)
                self.assertIn(NOTE, html)

    def test_an_unknown_unit_gets_the_same_note(self):
        html = self.get(self.entry_url(), unit="2147483647").content.decode()
        self.assertIn(NOTE, html)
        self.assertIn(ITEM, html)

    def test_a_known_unit_still_filters_without_a_note(self):
        html = self.get(self.entry_url(), unit=str(self.t.township2.pk)).content.decode()
        self.assertNotIn(NOTE, html)
        self.assertNotIn(ITEM, html)
        html = self.get(self.entry_url(), unit=str(self.t.township.pk)).content.decode()
        self.assertIn(ITEM, html)
        self.assertNotIn(NOTE, html)

    def test_an_entry_id_beyond_any_row_is_404(self):
        for entry_id in (HUGE, "99999999999999999999", "2147483648"):
            for suffix in ("", "feed/rss/", "feed/atom/"):
                with self.subTest(entry=entry_id, suffix=suffix):
                    self.assertEqual(self.get(self.entry_url(entry_id) + suffix).status_code, 404)

    def test_a_page_number_beyond_any_page_gives_the_nearest_page(self):
        for page in (HUGE, "1e400", "-1", "²"):
            with self.subTest(page=page):
                response = self.get(self.entry_url(), page=page)
                self.assertEqual(response.status_code, 200)
                self.assertIn(ITEM, response.content.decode())

    def test_the_sitemap_refuses_a_page_it_does_not_have(self):
        for page in (HUGE, "²", "0"):
            with self.subTest(p=page):
                self.assertEqual(self.get("/sitemap.xml", p=page).status_code, 404)
