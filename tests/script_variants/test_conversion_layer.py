"""Issue 16 in the variants: they are converted by the project's layer, and re-converted when it changes."""

from io import StringIO
from unittest import mock

import polib
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from wagtail_localize.models import StringTranslation

from chinese.conversion import converter
from script_variants.machine_translator import OpenCCTranslator
from script_variants.management.commands.make_traditional_catalogue import machine_made
from script_variants.models import ConversionOverride
from tests.factories import make_item, make_user

from .test_sync import VariantTestCase

BODY = [("rich_text", "<p>惠民资金发放到户。余科长、支部书记沈海发同志和王金发到麦地冲村核实。</p>")]


class ConversionLayerTests(VariantTestCase):

    def setUp(self):
        get_user_model().objects.create(username="wangjinfa", first_name="王金发")

    def test_variants_have_the_project_phrases_and_keep_names(self):
        item = make_item(self.t.township, "2026年第一季度惠民资金发放情况公示", body=BODY)
        variant = self.variant(item)
        self.assertEqual(variant.title, "2026年第一季度惠民資金發放情況公示")
        html = self.client.get(variant.url).content.decode()
        # 王金发 is a user of the system: his name is not 金髮 (blond hair).
        self.assertIn("惠民資金發放到戶。余科長、支部書記沈海發同志和王金發到麥地沖村核實。", html)
        translations = StringTranslation.objects.filter(locale=self.hant, translation_type="machine")
        self.assertEqual(set(translations.values_list("tool_name", flat=True)), {OpenCCTranslator.display_name})

    def test_reconvert_corrects_the_variants_an_older_dictionary_made(self):
        # The variant as a translator without this dictionary made it: OpenCC alone.
        opencc_alone = lambda texts, profile, *context: [converter(profile).convert(text) for text in texts]  # noqa: E731
        with mock.patch.object(OpenCCTranslator, "display_name", "OpenCC"), \
                mock.patch("script_variants.machine_translator.convert_all", opencc_alone):
            item = make_item(self.t.township, "惠民资金发放情况公示", body=BODY)
        self.assertEqual(self.variant(item).title, "惠民資金髮放情況公示")
        call_command("sync_variants", skip_index=True, stdout=StringIO())
        self.assertEqual(self.variant(item).title, "惠民資金髮放情況公示")  # a plain re-sync keeps stored conversions
        translations = StringTranslation.objects.filter(locale=self.hant, translation_type="machine")

        out = StringIO()
        call_command("sync_variants", reconvert=True, skip_index=True, stdout=out)
        self.assertIn("重新转换后有 3 条文字不同", out.getvalue())  # the title, the summary, the paragraph
        variant = self.variant(item)
        self.assertEqual(variant.title, "惠民資金發放情況公示")
        self.assertTrue(variant.live)
        self.assertFalse(variant.has_unpublished_changes)
        self.assertIn("惠民資金發放到戶。余科長", self.client.get(variant.url).content.decode())
        self.assertEqual(set(translations.values_list("tool_name", flat=True)), {OpenCCTranslator.display_name})


def test_the_interface_catalogue_converts_again_what_a_machine_converted_and_keeps_translations():
    entry = polib.POEntry(msgid="惠民资金发放", msgstr="惠民資金髮放")  # OpenCC alone, before the dictionary
    assert machine_made(entry, "s2tw")
    entry.msgstr = "惠民資金發放"
    assert machine_made(entry, "s2tw")
    entry.msgstr = "惠民款項發放"  # a translator's wording
    assert not machine_made(entry, "s2tw")


class CountyOverrideTests(VariantTestCase):
    """The county office's phrase pairs (设置 → 简繁转换词语) reach the affected variants when saved."""

    def setUp(self):
        self.admin = get_user_model().objects.create_superuser("county-admin", password="x")
        self.client.force_login(self.admin)

    def save_override(self, **fields):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("wagtailsnippets_script_variants_conversionoverride:add"), {
                "direction": "s2t", "note": "", **fields,
            })
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])

    def test_saving_a_phrase_pair_changes_the_pages_that_contain_it_and_only_those(self):
        item = make_item(self.t.township, "惠民资金发放情况公示", body=BODY)
        other = make_item(self.t.township, "党费收缴情况", body=[("rich_text", "<p>党费按月收缴。</p>")])
        other_revision = self.variant(other).latest_revision_id
        self.assertEqual(self.variant(item).title, "惠民資金發放情況公示")

        self.save_override(source="资金发放", converted="資金撥付", note="县里的用语")
        variant = self.variant(item)
        self.assertEqual(variant.title, "惠民資金撥付情況公示")
        self.assertIn("惠民資金撥付到戶", self.client.get(variant.url).content.decode())
        self.assertTrue(variant.live and not variant.has_unpublished_changes)
        self.assertEqual(self.variant(other).latest_revision_id, other_revision)  # not re-published

        # Edited to another phrase: the pages with the old phrase go back to the layer's conversion.
        override = ConversionOverride.objects.get()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("wagtailsnippets_script_variants_conversionoverride:edit", args=[override.pk]), {
                "direction": "s2t", "source": "党费按月", "converted": "黨費逐月", "note": "",
            })
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.variant(item).title, "惠民資金發放情況公示")
        self.assertIn("黨費逐月收繳", self.client.get(self.variant(other).url).content.decode())

    def test_a_phrase_pair_wins_over_the_name_rules(self):
        self.save_override(source="余科长", converted="餘科長")
        item = make_item(self.t.township, "余科长讲话", body=BODY)
        self.assertEqual(self.variant(item).title, "餘科長講話")

    def test_a_single_character_is_refused(self):
        response = self.client.post(reverse("wagtailsnippets_script_variants_conversionoverride:add"), {
            "direction": "s2t", "source": "发", "converted": "發", "note": "",
        })
        self.assertEqual(response.status_code, 200)
        self.assertFalse(ConversionOverride.objects.exists())


class CountyOfficeTests(VariantTestCase):
    def test_the_county_office_keeps_the_conversion_phrases_and_a_township_officer_does_not(self):
        url = reverse("wagtailsnippets_script_variants_conversionoverride:add")
        self.client.force_login(make_user("county-officer", self.t.county.officers_group))
        self.assertEqual(self.client.get(url).status_code, 200)
        self.client.force_login(make_user("township-officer", self.t.township.officers_group))
        self.assertNotEqual(self.client.get(url).status_code, 200)
