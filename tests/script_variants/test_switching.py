"""Browsing in either script: root by Accept-Language, the remembered choice, the switch, hreflang."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.test import TestCase
from wagtail.models import Locale

from tests.factories import build_tree, make_item, reload

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "zh_Hant" / "LC_MESSAGES" / "django.po"


class RootAndSwitchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.item = make_item(cls.t.township, "城关镇发展党员公示")
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def test_bare_root_picks_the_script_from_accept_language(self):
        for header, prefix in [("zh-TW,zh;q=0.8", "/zh-hant/"), ("zh-HK", "/zh-hant/"), ("zh-MO", "/zh-hant/"),
                               ("zh-Hant", "/zh-hant/"), ("zh-CN,zh;q=0.9", "/zh-hans/"), ("en-US", "/zh-hans/")]:
            response = self.client.get("/", HTTP_ACCEPT_LANGUAGE=header)
            self.assertEqual(response["Location"], prefix, header)

    def test_the_switch_goes_to_the_same_item_and_remembers_the_choice(self):
        html = self.client.get(self.item.url).content.decode()
        variant = reload(self.item).get_translation(self.hant)
        switch = re.search(r'<a href="([^"]+)"[^>]*class="script-switch"', html).group(1).replace("&amp;", "&")
        response = self.client.get(switch)
        self.assertEqual(response["Location"], variant.url)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "zh-hant")
        # Later visits to the bare root open the chosen script, whatever the browser says.
        self.assertEqual(self.client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")["Location"], "/zh-hant/")

    def test_the_switch_never_redirects_off_site(self):
        response = self.client.get("/script/zh-hant/?next=https://evil.example.com/")
        self.assertEqual(response["Location"], "/zh-hant/")
        self.assertEqual(self.client.get("/script/fr/", follow=True).status_code, 404)

    def test_routes_below_a_page_switch_to_the_same_route(self):
        portal = reload(self.t.portal)
        html = self.client.get(portal.url + "units/").content.decode()
        self.assertIn('?next=/zh-hant/units/"', html)

    def test_pages_declare_both_scripts_as_alternates(self):
        html = self.client.get(self.item.url).content.decode()
        variant = reload(self.item).get_translation(self.hant)
        self.assertIn(f'hreflang="zh-hant" href="http://testserver{variant.url}"', html)
        self.assertIn(f'hreflang="zh-hans" href="http://testserver{self.item.url}"', html)

    def test_interface_text_comes_from_the_traditional_catalogue(self):
        html = self.client.get(reload(self.t.portal).get_translation(self.hant).url).content.decode()
        for text in ("單位導航", "公開目錄", "最新公開", "長者模式", "跳到主要內容"):
            self.assertIn(text, html)
        self.assertIn('lang="zh-Hant"', html)


def test_traditional_catalogue_is_complete_and_converted():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue if not entry.msgstr and not entry.msgid_plural]
    assert untranslated == []
    assert catalogue.find("单位导航").msgstr == "單位導航"
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime - 1


class SitemapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        from disclosure_pages.choices import Scope

        cls.t = build_tree()
        cls.public = make_item(cls.t.township, "城关镇公开事项")
        cls.members = make_item(cls.t.township, "城关镇党内事项", scope=Scope.UNIT_MEMBERS)
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def test_sitemap_lists_both_scripts_but_never_members_only_items(self):
        xml = self.client.get("/sitemap.xml").content.decode()
        self.assertIn(self.public.url, xml)
        self.assertIn(reload(self.public).get_translation(self.hant).url, xml)
        self.assertNotIn(self.members.url, xml)
        self.assertNotIn(reload(self.members).get_translation(self.hant).url, xml)
