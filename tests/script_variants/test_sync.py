"""Every published page gets its variant in the other script, in the same step, and it follows."""

from django.test import TestCase
from wagtail.models import Locale, PageViewRestriction
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from disclosure_pages.choices import Scope
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from script_variants.sync import sync_variant
from tests.factories import build_tree, edit_and_publish, make_item, make_member, reload

BODY = [
    ("rich_text", "<p>为广大群众服务，坚持原则，推动发展。见<a href=\"https://dangwu.example.cn/a?id=5\">〔2023〕5号</a>文件。</p>"),
    ("table", {"data": [["项目", "金额（元）"], ["头发护理补贴", "1200"]], "first_row_is_table_header": True,
               "first_col_is_header": False, "table_caption": "干部经费范围"}),
]


class VariantTestCase(TestCase):
    """A county, both locales, and a page's Traditional variant read back from the database."""

    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        cls.hans = Locale.objects.get(language_code="zh-hans")

    def variant(self, page):
        return reload(page).get_translation(self.hant).specific


class VariantTests(VariantTestCase):

    def test_publishing_makes_the_traditional_variant_live_in_the_same_step(self):
        item = make_item(self.t.township, "关于干部头发整理的通知", summary="系统里面的范围", body=BODY,
                         catalogue_entry=self.t.entries["发展党员"])
        variant = self.variant(item)
        self.assertTrue(variant.live)
        self.assertEqual(variant.title, "關於幹部頭髮整理的通知")
        self.assertEqual(variant.summary, "系統裡面的範圍")
        self.assertEqual(variant.slug, item.slug)
        self.assertEqual(variant.index_number, item.index_number)
        self.assertEqual(variant.unit.locale, self.hant)
        self.assertEqual(variant.unit.title, "中共城關鎮委員會")
        self.assertEqual(variant.catalogue_entry.name, "發展黨員")
        html = self.client.get(variant.url).content.decode()
        self.assertIn("為廣大群眾服務，堅持原則，推動發展", html)
        self.assertIn('href="https://dangwu.example.cn/a?id=5"', html)
        self.assertIn("〔2023〕5號", html)
        self.assertIn("頭髮護理補貼", html)
        self.assertIn("幹部經費範圍", html)
        self.assertIn("1200", html)

    def test_change_notes_and_document_titles_show_in_the_variants_script(self):
        from disclosure_pages.models import ItemChangeNote
        from tests.factories import attachment_body, make_document

        document = make_document("党费使用明细表", "mingxi.pdf", b"%PDF-1.4 detail", unit=self.t.township)
        item = make_item(self.t.township, "党费使用情况", body=attachment_body(document),
                         change_notes=[ItemChangeNote(note="更正发展党员人数")])
        html = self.client.get(self.variant(item).url).content.decode()
        self.assertIn("更正發展黨員人數", html)
        self.assertIn("黨費使用明細表", html)

    def test_a_draft_has_no_live_variant(self):
        item = make_item(self.t.township, "尚未审核的草稿", publish=False)
        self.assertIsNone(reload(item).get_translation_or_none(self.hant))
        self.assertEqual(self.client.get("/zh-hant/qx/qx-cgz/" + item.slug + "/").status_code, 404)

    def test_republishing_updates_the_variant_and_a_second_sync_changes_nothing(self):
        item = make_item(self.t.township, "第一季度党费收缴情况")
        item = edit_and_publish(item, title="第一季度党费收缴情况（更正）")
        variant = self.variant(item)
        self.assertEqual(variant.title, "第一季度黨費收繳情況（更正）")
        revisions = variant.revisions.count()
        sync_variant(reload(item))
        self.assertEqual(self.variant(item).revisions.count(), revisions)

    def test_unpublishing_the_source_unpublishes_the_variant(self):
        item = make_item(self.t.township, "撤回的公告")
        reload(item).unpublish()
        self.assertFalse(self.variant(item).live)

    def test_deleting_the_source_deletes_the_variant(self):
        item = make_item(self.t.township, "将删除的公告")
        variant_pk = self.variant(item).pk
        reload(item).delete()
        self.assertFalse(DisclosureItemPage.objects.filter(pk=variant_pk).exists())

    def test_an_editors_override_survives_later_syncs(self):
        item = make_item(self.t.township, "村级公益事业建设情况", summary="摘要第一句")
        source = TranslationSource.objects.get(object_id=item.translation_key, locale=self.hans)
        translation = Translation.objects.get(source=source, target_locale=self.hant)
        override = StringTranslation.objects.get(
            locale=self.hant, translation_of__data="村级公益事业建设情况", context__path="title"
        )
        override.data = "村級公益事業建設情形"
        override.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
        override.save()
        translation.save_target(publish=True)
        edit_and_publish(item, summary="摘要改过了")
        variant = self.variant(item)
        self.assertEqual(variant.title, "村級公益事業建設情形")
        self.assertEqual(variant.summary, "摘要改過了")

    def test_an_item_written_in_traditional_gets_a_simplified_variant(self):
        make_item(self.t.township, "先建立繁體單位樹")
        hant_unit = UnitPage.objects.get(translation_key=self.t.township.translation_key, locale=self.hant)
        item = make_item(hant_unit, "關於頭髮與發展的說明", summary="麵條裡面")
        variant = reload(item).get_translation(self.hans).specific
        self.assertTrue(variant.live)
        self.assertEqual(variant.title, "关于头发与发展的说明")
        self.assertEqual(variant.summary, "面条里面")
        self.assertEqual(variant.get_parent().pk, self.t.township.pk)

    def test_catalogue_entries_get_variants_with_the_item(self):
        make_item(self.t.township, "发展党员公示", catalogue_entry=self.t.entries["发展党员"])
        entry = CatalogueEntry.objects.get(translation_key=self.t.entries["发展党员"].translation_key, locale=self.hant)
        self.assertEqual(entry.name, "發展黨員")
        self.assertEqual(entry.area.name, "組織建設")


class VariantScopeTests(TestCase):
    """A members-only item's variant is members-only, on every public surface of the Traditional site."""

    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        cls.public = make_item(cls.t.township, "城关镇公开事项甲")
        cls.members = make_item(cls.t.township, "城关镇党内事项乙", scope=Scope.UNIT_MEMBERS,
                                catalogue_entry=cls.t.entries["发展党员"])
        cls.member = make_member(reload(cls.t.township), "cgz-member")
        cls.outsider = make_member(reload(cls.t.township2), "sqz-member")

    def surfaces(self):
        portal = reload(self.t.portal).get_translation(self.hant)
        unit = reload(self.t.township).get_translation(self.hant)
        entry = CatalogueEntry.objects.get(translation_key=self.t.entries["发展党员"].translation_key, locale=self.hant)
        return [portal.url, unit.url, portal.url + "feed/rss/", portal.url + "feed/atom/", unit.url + "feed/rss/",
                portal.url + f"catalogue/{entry.translation_key}/", "/sitemap.xml"]

    def test_members_only_variant_is_restricted_to_the_same_groups(self):
        variant = reload(self.members).get_translation(self.hant)
        source_groups = set(PageViewRestriction.objects.get(page=self.members).groups.values_list("pk", flat=True))
        variant_groups = set(PageViewRestriction.objects.get(page=variant).groups.values_list("pk", flat=True))
        self.assertEqual(source_groups, variant_groups)

    def test_no_public_surface_of_the_traditional_site_shows_it(self):
        variant = reload(self.members).get_translation(self.hant)
        public_variant = reload(self.public).get_translation(self.hant)
        for url in self.surfaces():
            html = self.client.get(url).content.decode()
            self.assertNotIn(variant.title, html, url)
            self.assertNotIn(variant.url, html, url)
        self.assertIn(public_variant.title, self.client.get(self.surfaces()[0]).content.decode())
        response = self.client.get(variant.url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(variant.title, response.content.decode())
        self.client.force_login(self.outsider)
        self.assertNotIn(variant.title, self.client.get(variant.url).content.decode())
        self.client.force_login(self.member)
        self.assertContains(self.client.get(variant.url), variant.title)

    def test_a_scope_change_on_the_source_reaches_the_variant_at_once(self):
        item = make_item(self.t.township, "先公开后党内的事项")
        variant = reload(item).get_translation(self.hant)
        self.assertEqual(self.client.get(variant.url).status_code, 200)
        edit_and_publish(item, scope=Scope.UNIT_MEMBERS)
        self.assertNotEqual(self.client.get(variant.url).status_code, 200)
        self.assertNotIn(variant.title, self.client.get(self.surfaces()[2]).content.decode())
