"""The item editor's catalogue chooser offers exactly the entries of the item's unit (issue 14).

A village discloses under the village catalogue (7+X) plus its own entries; a township under
the county outline plus its own. The chooser opened from an item's editor lists those, in the
editor's script, and its search box searches within them; an entry of another catalogue posted
anyway is refused with a message that says why.
"""

import json
import re
from html import unescape

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale

from disclosure_pages.models import CatalogueEntry
from tests.factories import build_tree, item_form, make_catalogue, make_item, make_user, reload
from tests.workflows.helpers import add_url, edit_url

CHOOSE = "wagtailsnippetchoosers_disclosure_pages_catalogueentry:choose"
RESULTS = "wagtailsnippetchoosers_disclosure_pages_catalogueentry:choose_results"


def shown(response):
    """The entry names a chooser response lists (its HTML travels inside JSON)."""
    html = json.loads(response.content)["html"] if response["Content-Type"].startswith("application/json") else response.content.decode()
    return {unescape(name).split(" · ")[-1].strip() for name in re.findall(r'data-chooser-modal-choice[^>]*>\s*([^<]+)<', html)}


class CatalogueChooserTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.village_catalogue, _, cls.village_entries = make_catalogue("青溪县村级党务公开目录（7+X）")
        cls.village_catalogue.name = "青溪县村级党务公开目录（7+X）"
        cls.village_catalogue.save()
        village = reload(cls.t.village1)
        village.catalogue = cls.village_catalogue
        village.save()
        # The village catalogue's entries get names of their own, to tell the catalogues apart.
        for entry in CatalogueEntry.objects.filter(area__catalogue=cls.village_catalogue):
            entry.name = f"村级{entry.name}"
            entry.save()
        some_area = CatalogueEntry.objects.filter(area__catalogue=cls.village_catalogue).first().area
        cls.village_local = CatalogueEntry.objects.create(area=some_area, name="东关村自设光伏收益分配", unit=village)
        cls.township_local = CatalogueEntry.objects.create(
            area=cls.t.entries["发展党员"].area, name="城关镇自设集镇改造", unit=cls.t.township
        )
        hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        cls.hant_entry = cls.village_local.copy_for_translation(hant)
        cls.hant_entry.name = "東關村自設光伏收益分配"
        cls.hant_entry.save()
        cls.officer = make_user("dgc-officer", village.officers_group)
        cls.township_officer = make_user("cgz-officer", reload(cls.t.township).officers_group)
        cls.item = make_item(village, "东关村光伏电站收益分配方案", publish=False)

    def setUp(self):
        self.client.force_login(self.officer)

    def expected_village_names(self):
        return {f"村级{name}" for name in self.t.entries} | {"东关村自设光伏收益分配"}

    def chooser_url_in(self, response):
        match = re.search(r'data-chooser-url=(?:&quot;|")([^"&]+(?:&amp;[^"&]+)*)', response.content.decode())
        self.assertIsNotNone(match, "no catalogue chooser in the editor")
        return unescape(match.group(1))

    def test_the_editor_opens_the_chooser_on_the_units_entries_in_its_script(self):
        for response in (self.client.get(edit_url(self.item)), self.client.get(add_url(reload(self.t.village1)))):
            url = self.chooser_url_in(response)
            self.assertIn(f"unit={self.t.village1.pk}", url)
        chooser = self.client.get(url)
        self.assertNotIn('name="locale"', json.loads(chooser.content)["html"])  # the unit's script, no choice

    def test_the_chooser_lists_exactly_the_villages_entries(self):
        village = self.t.village1
        response = self.client.get(reverse(CHOOSE), {"unit": village.pk, "locale": "zh-hans"})
        self.assertEqual(response.status_code, 200)
        names = set()
        page = 1
        while True:
            results = self.client.get(reverse(RESULTS), {"unit": village.pk, "locale": "zh-hans", "p": page})
            found = shown(results)
            if not found or found <= names:
                break
            names |= found
            page += 1
        self.assertEqual(names, self.expected_village_names())
        self.assertNotIn("党费收缴使用", names)  # the township catalogue's entry
        self.assertNotIn("城关镇自设集镇改造", names)
        self.assertNotIn("東關村自設光伏收益分配", names)

    def test_pagination_and_search_keep_to_the_unit(self):
        response = self.client.get(reverse(CHOOSE), {"unit": self.t.village1.pk, "locale": "zh-hans"})
        html = json.loads(response.content)["html"]
        self.assertRegex(unescape(html), rf"catalogueentry/results/\?unit={self.t.village1.pk}")

        search = self.client.get(reverse(RESULTS), {"unit": self.t.village1.pk, "locale": "zh-hans", "q": "光伏"})
        self.assertEqual(search.status_code, 200)
        self.assertEqual(shown(search), {"东关村自设光伏收益分配"})
        township_entry = self.client.get(reverse(RESULTS), {"unit": self.t.village1.pk, "locale": "zh-hans", "q": "党费"})
        self.assertEqual(shown(township_entry), {"村级党费收缴使用"})
        typed_in_traditional = self.client.get(reverse(RESULTS), {"unit": self.t.village1.pk, "locale": "zh-hans", "q": "黨費"})
        self.assertEqual(shown(typed_in_traditional), {"村级党费收缴使用"})

    def test_another_units_id_does_not_widen_the_list(self):
        response = self.client.get(reverse(RESULTS), {"unit": self.t.township2.pk, "q": "自设"})
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("城关镇自设集镇改造", shown(response))

    def test_the_township_editor_offers_the_county_outline_and_its_own(self):
        self.client.force_login(self.township_officer)
        names = set()
        for page in (1, 2, 3, 4):
            names |= shown(self.client.get(reverse(RESULTS), {"unit": self.t.township.pk, "locale": "zh-hans", "p": page}))
        self.assertIn("城关镇自设集镇改造", names)
        self.assertIn("党费收缴使用", names)
        self.assertFalse({name for name in names if name.startswith("村级")})

    def test_an_entry_of_another_catalogue_is_refused_with_a_reason(self):
        wrong = self.t.entries["党费收缴使用"]  # the township catalogue's, not the village's
        data = item_form(title="东关村光伏电站收益分配方案", slug=self.item.slug, catalogue_entry=str(wrong.pk))
        response = self.client.post(edit_url(self.item), data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "所选目录条目不在本单位的公开目录中")
        self.assertNotContains(response, "选择一个有效的选项")
        self.assertIsNone(self.item.get_latest_revision_as_object().catalogue_entry_id)

        right = CatalogueEntry.objects.get(area__catalogue=self.village_catalogue, name="村级党费收缴使用")
        data["catalogue_entry"] = str(right.pk)
        response = self.client.post(edit_url(self.item), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(reload(self.item).get_latest_revision_as_object().catalogue_entry_id, right.pk)
