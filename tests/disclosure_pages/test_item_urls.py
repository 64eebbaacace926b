"""Item URLs (issue 14): a new item's slug is its index number's (``2024-00001``), the same in
both scripts; URLs of items that exist do not change."""

from django.test import TestCase
from django.urls import reverse
from wagtail.models import Locale

from disclosure_pages.models import DisclosureItemPage
from tests import factories
from tests.factories import build_tree, edit_and_publish, make_item, make_user, reload


class ItemUrlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.admin = make_user("admin", is_superuser=True, is_staff=True)

    @property
    def hant(self):
        return Locale.objects.get(language_code="zh-hant")  # made with the first variant

    def create_in_editor(self, **fields):
        self.client.force_login(self.admin)
        url = reverse("wagtailadmin_pages:add", args=["disclosure_pages", "disclosureitempage", self.t.township.pk])
        data = factories.item_form(document_date="2024-03-05", **fields)
        data["action-publish"] = "发布"
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        return DisclosureItemPage.objects.filter(locale__language_code="zh-hans").latest("pk")

    def test_a_new_item_gets_the_short_slug_of_its_index_number_in_both_scripts(self):
        item = self.create_in_editor(title="关于2024年第一季度党费收缴情况的公示", slug="")
        self.assertEqual(item.index_number, "QX-CGZ/2024-00001")
        self.assertEqual(item.slug, "2024-00001")
        self.assertTrue(item.live)
        self.assertEqual(item.url, "/zh-hans/qx/qx-cgz/2024-00001/")
        self.assertContains(self.client.get(item.url), "关于2024年第一季度党费收缴情况的公示")
        variant = reload(item).get_translation(self.hant)
        self.assertEqual(variant.slug, "2024-00001")
        self.assertEqual(variant.url, "/zh-hant/qx/qx-cgz/2024-00001/")
        self.assertContains(self.client.get(variant.url), "關於2024年第一季度黨費收繳情況的公示")

    def test_the_title_slug_wagtail_fills_in_gives_way_to_the_index_number(self):
        title = "关于2024年第二季度党费收缴情况的公示"
        item = self.create_in_editor(title=title, slug=title)
        self.assertEqual(item.slug, "2024-00001")
        self.assertNotIn("%", item.url)

    def test_the_editor_does_not_copy_the_title_into_the_slug_and_says_what_happens(self):
        self.client.force_login(self.admin)
        url = reverse("wagtailadmin_pages:add", args=["disclosure_pages", "disclosureitempage", self.t.township.pk])
        html = self.client.get(url).content.decode()
        self.assertIn("保存时按索引号生成网址", html)
        self.assertNotIn('data-w-sync-target-value="#id_slug"', html)

    def test_a_slug_chosen_in_ascii_is_kept(self):
        item = self.create_in_editor(title="城关镇党费收缴情况", slug="dangfei-2024")
        self.assertEqual(item.slug, "dangfei-2024")
        self.assertEqual(reload(item).get_translation(self.hant).slug, "dangfei-2024")

    def test_items_that_exist_keep_their_urls_in_both_scripts(self):
        # An item from before: its slug is its Chinese title (here given before its first publication).
        draft = make_item(self.t.township, "2024年城关镇党费收缴情况", publish=False)
        draft.slug = "2024年城关镇党费收缴情况"
        draft.save_revision().publish()
        old = reload(draft)
        self.assertEqual(old.slug, "2024年城关镇党费收缴情况")
        variant = reload(old).get_translation(self.hant)
        # One slug in both scripts: not "2024" (the ASCII rest of the converted title).
        self.assertEqual(variant.slug, "2024年城关镇党费收缴情况")
        urls = (old.url, variant.url)
        edited = edit_and_publish(old, summary="更正摘要")
        self.assertEqual((edited.url, reload(variant).url), urls)
        self.assertEqual(self.client.get(urls[1]).status_code, 200)
