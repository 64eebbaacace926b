"""The 简/繁 switch lands on the same thing in the other script on every route of the portal,
its units and items (issue 14: on a catalogue entry page it led to /zh-hant/catalogue/3/, a
404, because the entry's Traditional id differs). Routes name things by keys that are the same
in both scripts; old links by id redirect."""

import html
import re

from django.test import TestCase
from wagtail.models import Locale

from disclosure_pages.models import CatalogueEntry
from script_variants.sync import sync_variant
from tests.factories import build_tree, make_item, reload

SWITCH = re.compile(r'<a href="([^"]+)"[^>]*class="script-switch"')
# Feeds (XML) and the printed notice (a sheet of paper) have no switch.
NO_SWITCH = {"rss", "atom", "catalogue_rss", "catalogue_atom", "catalogue_feed_by_id", "print"}


class SwitchOnEveryRouteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.entry = cls.t.entries["发展党员"]
        cls.item = make_item(cls.t.township, "城关镇发展党员公示", catalogue_entry=cls.entry)
        cls.hans, cls.hant = Locale.objects.get(language_code="zh-hans"), Locale.objects.get(language_code="zh-hant")
        sync_variant(reload(cls.t.village1))

    def route_urls(self, page):
        """Every HTML route of ``page``, with real keys filled in (and a unit filter and a page number)."""
        entry = CatalogueEntry.objects.get(translation_key=self.entry.translation_key, locale=page.locale)
        unit = reload(self.t.township).get_translation(page.locale)
        values = {"entry_key": entry.translation_key, "entry_id": entry.pk}
        urls = {}
        for pattern in page.get_subpage_urls():
            if pattern.name in NO_SWITCH:
                continue
            params = {name: values[name] for name in re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern))}
            urls[pattern.name] = page.url + page.reverse_subpage(pattern.name, kwargs=params)
        if "catalogue_entry" in urls:
            urls["catalogue_entry of a unit"] = urls["catalogue_entry"] + f"?unit={unit.code}&page=1"
        return urls

    def pages(self, locale):
        portal = reload(self.t.portal).get_translation(locale)
        return [portal, reload(self.t.county).get_translation(locale), reload(self.t.township).get_translation(locale),
                reload(self.t.village1).get_translation(locale), reload(self.item).get_translation(locale)]

    def thing(self, response):
        """What a page shows, by keys the same in both scripts."""
        context = response.context
        return (
            context["page"].translation_key,
            getattr(context.get("entry"), "translation_key", None),
            getattr(context.get("unit_filter"), "translation_key", None),
            context.get("page_heading") is None,
        )

    def test_every_route_switches_to_the_same_thing_in_the_other_script(self):
        checked = 0
        for locale, other in ((self.hans, self.hant), (self.hant, self.hans)):
            for page in self.pages(locale):
                for name, url in self.route_urls(page.specific).items():
                    with self.subTest(script=locale.language_code, page=page.title, route=name, url=url):
                        response = self.client.get(url, follow=True)
                        self.assertEqual(response.status_code, 200)
                        found = SWITCH.search(response.content.decode())
                        self.assertIsNotNone(found, "no switch link")
                        switched = self.client.get(html.unescape(found.group(1)), follow=True)
                        self.assertEqual(switched.status_code, 200, switched.redirect_chain)
                        self.assertTrue(switched.request["PATH_INFO"].startswith(f"/{other.language_code}/"))
                        self.assertEqual(self.thing(switched), self.thing(response))
                        checked += 1
        self.assertGreaterEqual(checked, 20)

    def test_search_switches_with_its_query(self):
        response = self.client.get("/zh-hans/search/?q=发展党员&page=1")
        switch = html.unescape(SWITCH.search(response.content.decode()).group(1))
        switched = self.client.get(switch, follow=True)
        self.assertEqual(switched.status_code, 200)
        self.assertEqual(switched.request["PATH_INFO"], "/zh-hant/search/")

    def test_old_links_by_id_redirect_to_the_entry_in_this_script(self):
        portal = reload(self.t.portal)
        hant_portal = portal.get_translation(self.hant)
        hant_entry = CatalogueEntry.objects.get(translation_key=self.entry.translation_key, locale=self.hant)
        key = self.entry.translation_key
        # The Traditional entry's id under the Simplified portal (what the broken switch made, the other way round).
        for old, new in (
            (f"{portal.url}catalogue/{self.entry.pk}/", f"{portal.url}catalogue/{key}/"),
            (f"{hant_portal.url}catalogue/{self.entry.pk}/", f"{hant_portal.url}catalogue/{key}/"),
            (f"{portal.url}catalogue/{hant_entry.pk}/", f"{portal.url}catalogue/{key}/"),
            (f"{portal.url}catalogue/{self.entry.pk}/feed/rss/", f"{portal.url}catalogue/{key}/feed/rss/"),
            (f"{portal.url}catalogue/{self.entry.pk}/feed/atom/", f"{portal.url}catalogue/{key}/feed/atom/"),
            (f"{portal.url}catalogue/{key}/?unit={self.t.township.pk}&page=2",
             f"{portal.url}catalogue/{key}/?unit={self.t.township.code}&page=2"),
            (f"{hant_portal.url}catalogue/{key}/?unit={self.t.township.pk}",
             f"{hant_portal.url}catalogue/{key}/?unit={self.t.township.code}"),
        ):
            with self.subTest(old=old):
                response = self.client.get(old)
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], new)
                self.assertEqual(self.client.get(new).status_code, 200)
        self.assertEqual(self.client.get(f"{portal.url}catalogue/{self.entry.pk}/feed/json/").status_code, 404)

    def test_the_unit_page_links_the_entry_by_key_and_unit_by_code(self):
        # A unit's "查看本单位该目录全部" link is built for both scripts alike.
        for count in range(11):
            make_item(self.t.township, f"城关镇发展党员公示{count}", catalogue_entry=self.entry)
        content = self.client.get(reload(self.t.township).url).content.decode()
        self.assertIn(f"catalogue/{self.entry.translation_key}/?unit={self.t.township.code}", content)


class SwitchBeforeTheVariantExistsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        make_item(cls.t.township, "城关镇发展党员公示", catalogue_entry=cls.t.entries["发展党员"])

    def test_an_entry_without_its_variant_yet_offers_no_switch(self):
        # The demo's Traditional entries are made in the background after `make run` starts.
        hant = Locale.objects.get(language_code="zh-hant")
        entry = CatalogueEntry.objects.create(area=self.t.areas["组织建设"], name="新设目录", timing="standing")
        CatalogueEntry.objects.filter(translation_key=entry.translation_key, locale=hant).delete()
        content = self.client.get(f"{reload(self.t.portal).url}catalogue/{entry.translation_key}/").content.decode()
        self.assertIsNone(SWITCH.search(content))
        self.assertIn("script-switch is-unavailable", content)
