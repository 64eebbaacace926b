"""The demo county as a newcomer sees it (issue 14): the home page promises nothing the site
does not have, and item URLs are the short index-number ones, the same in both scripts."""

from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Locale

from disclosure_pages.models import DisclosureItemPage, PortalPage
from script_variants.sync import sync_variant


class DemoPortalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", townships=1, villages_per_township=0, departments=0, items_per_unit=4, seed=3, skip_index=True, quiet=True)

    def test_the_home_page_promises_no_online_interaction(self):
        portal = PortalPage.objects.get(locale__language_code="zh-hans")
        html = self.client.get(portal.url).content.decode()
        self.assertIn("联系电话", html)  # where comments go instead
        self.assertNotIn("在线互动", html)
        variant = sync_variant(portal)
        html = self.client.get(variant.url).content.decode()
        self.assertNotIn("在線互動", html)
        self.assertNotIn("線上互動", html)
        # Nor does any demo item speak of such a column.
        for item in DisclosureItemPage.objects.all():
            self.assertNotIn("在线互动", str(item.body), item.title)

    def test_demo_items_have_the_slug_of_their_index_number_in_both_scripts(self):
        items = list(DisclosureItemPage.objects.filter(locale__language_code="zh-hans"))
        self.assertTrue(items)
        for item in items:
            self.assertEqual(item.slug, item.index_number.split("/")[1].lower(), item.title)
            self.assertTrue(item.url.endswith(f"/{item.slug}/"))
        item = next(item for item in items if item.live and item.is_public and item.takedown == "none")  # not the demo's removed one (410)
        variant = sync_variant(item)
        self.assertEqual(variant.locale, Locale.objects.get(language_code="zh-hant"))
        self.assertEqual(variant.slug, item.slug)
        self.assertEqual(self.client.get(variant.url).status_code, 200)
