"""The re-sync after an edit: segments stored in bulk, the variant built in memory and saved once.

What a reader of the Traditional site sees must be what wagtail-localize itself would make
from the same source and translations; the checks read the variant back from the database
or the rendered page.
"""

import json
from contextlib import contextmanager

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageLogEntry, PageViewRestriction
from wagtail.signals import page_published
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    SegmentOverride,
    StringSegment,
    StringTranslation,
    TemplateSegment,
    TranslationSource,
)

from disclosure_pages.choices import Scope
from script_variants.signals import publish_variant
from script_variants.sync import sync_variant
from tests.factories import make_item, make_member, reload
from tests.script_variants.test_sync import VariantTestCase

SENTENCES = [
    "镇党委坚持把发展党员工作作为加强基层组织建设的重要内容，严格按照原则和程序办理。",
    "广大党员干部积极参与，范围覆盖全镇各村（社区），系统梳理了群众反映的问题。",
    "后来经支部大会讨论，同意将该同志列为发展对象，并在公开栏公示七天。",
    "本年度共收缴党费12580.50元，其中上缴县委组织部6290元，其余用于为党员服务。",
]


def long_body(characters=3000):
    """A body of about ``characters`` characters: a rich text block, a table, another rich text block."""
    paragraphs, length = [], 0
    while length < characters:
        sentence = SENTENCES[len(paragraphs) % len(SENTENCES)]
        paragraphs.append(f"<p>{sentence}</p>")
        length += len(sentence)
    half = len(paragraphs) // 2
    return [
        ("rich_text", "<h2>一、基本情况</h2>" + "".join(paragraphs[:half])),
        ("table", {"data": [["项目", "金额（元）"], ["头发护理补贴", "1200"]], "first_row_is_table_header": True,
                   "first_col_is_header": False, "table_caption": "干部经费范围"}),
        ("rich_text", '<h2>二、下一步工作</h2><p>详见<a href="https://dangwu.example.cn/a?id=5">〔2023〕5号</a>文件。</p>'
                      + "".join(paragraphs[half:])),
    ]


def edit_body(item, change):
    """Change an item's body as the page editor does (the blocks keep their ids) and publish it."""
    draft = item.get_latest_revision_as_object()
    blocks = [json.loads(json.dumps(block)) for block in draft.body.raw_data]
    change(blocks)
    draft.body = blocks
    draft.save_revision().publish()
    return reload(item)


@contextmanager
def variant_sync_off():
    """Publish a source without its variant sync (to time or count the sync alone)."""
    page_published.disconnect(publish_variant)
    try:
        yield
    finally:
        page_published.connect(publish_variant)


class ResyncTests(VariantTestCase):
    def html(self, item):
        response = self.client.get(self.variant(item).url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def source_of(self, item):
        return TranslationSource.objects.get(object_id=item.translation_key, locale=self.hans)

    def test_an_edit_in_a_table_cell_reaches_the_variant(self):
        item = make_item(self.t.township, "党费收支情况", body=long_body())
        self.assertIn("頭髮護理補貼", self.html(item))

        def change(blocks):
            blocks[1]["value"]["data"][1] = ["头发护理补贴（调整后）", "1350"]

        item = edit_body(item, change)
        html = self.html(item)
        self.assertIn("頭髮護理補貼（調整後）", html)
        self.assertIn("1350", html)
        self.assertNotIn("1200", html)
        # The rest of the body is still there, converted; the blocks keep the source's ids.
        self.assertIn("為黨員服務", html)
        self.assertIn('href="https://dangwu.example.cn/a?id=5"', html)
        variant = self.variant(item)
        self.assertEqual([block.id for block in variant.body], [block.id for block in item.body])

    def test_an_editors_override_in_the_body_survives_an_edit_elsewhere(self):
        item = make_item(self.t.township, "发展党员工作情况", body=long_body())
        # The sentence is in both rich text blocks: an override each (as the editor makes them).
        overrides = StringTranslation.objects.filter(
            locale=self.hant, translation_of__data=SENTENCES[2], context__path__startswith="body."
        )
        self.assertEqual(len(overrides), 2)
        for override in overrides:
            override.data = "其後經支部大會討論，同意列為發展對象，並於公開欄公示七日。"
            override.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
            override.save()

        def change(blocks):
            blocks[0]["value"] = blocks[0]["value"].replace("<h2>一、基本情况</h2>", "<h2>一、基本情况（修订）</h2>")

        item = edit_body(item, change)
        html = self.html(item)
        self.assertIn("一、基本情況（修訂）", html)
        self.assertIn("其後經支部大會討論，同意列為發展對象，並於公開欄公示七日。", html)
        self.assertNotIn("後來經支部大會討論", html)
        self.assertEqual(
            set(StringTranslation.objects.filter(pk__in=[o.pk for o in overrides]).values_list("translation_type", flat=True)),
            {StringTranslation.TRANSLATION_TYPE_MANUAL},
        )

    def test_an_overridden_link_survives_an_edit(self):
        item = make_item(self.t.township, "文件转发", body=long_body())
        link = OverridableSegment.objects.get(source=self.source_of(item), data_json='"https://dangwu.example.cn/a?id=5"')
        SegmentOverride.objects.create(locale=self.hant, context=link.context, data_json='"https://dangwu.example.cn/hant/5"')
        item = edit_body(item, lambda blocks: blocks[0].update(value=blocks[0]["value"] + "<p>新增一段说明。</p>"))
        html = self.html(item)
        self.assertIn("新增一段說明。", html)
        self.assertIn('href="https://dangwu.example.cn/hant/5"', html)

    def test_the_variant_is_what_wagtail_localize_makes_from_the_same_source(self):
        item = make_item(self.t.township, "党费收缴使用情况公示", body=long_body(),
                         catalogue_entry=self.t.entries["党费收缴使用"])
        item = edit_body(item, lambda blocks: blocks[2].update(value=blocks[2]["value"].replace(SENTENCES[1], "范围扩大到全县。")))
        source = self.source_of(item)
        self.assertIn("范围扩大到全县。", json.loads(json.loads(source.content_json)["body"])[2]["value"])
        self.assert_as_wagtail_localize_makes_it(
            item, fields=("title", "slug", "summary", "catalogue_entry_id", "scope", "index_number")
        )
        self.assertIn("範圍擴大到全縣。", self.html(item))

    def assert_as_wagtail_localize_makes_it(self, item, fields=("title",)):
        """wagtail-localize's own refresh finds the segments stored as it stores them, and its
        own build from them and the translations is the variant the sync published."""
        source = self.source_of(item)
        models = (StringSegment, TemplateSegment, RelatedObjectSegment, OverridableSegment)
        stored = {model: set(model.objects.filter(source=source).values_list("pk", flat=True)) for model in models}
        source.refresh_segments()
        self.assertEqual(stored, {model: set(model.objects.filter(source=source).values_list("pk", flat=True))
                                  for model in models})
        expected = source.get_ephemeral_translated_instance(self.hant, fallback=True)
        variant = self.variant(item)
        for name in fields:
            self.assertEqual(getattr(variant, name), getattr(expected, name), name)
        self.assertEqual(variant.body.get_prep_value(), expected.body.get_prep_value())

    def test_edits_of_some_blocks_keep_the_segments_of_the_others(self):
        """Only the blocks an edit changed are extracted again; the rest come from the stored
        segments, in extract_segments' order, whatever moved around them."""
        item = make_item(self.t.township, "分块编辑的事项", body=long_body())
        new_block = {"type": "rich_text", "value": "<p>新增的第一段，干部群众都很满意。</p>", "id": "6d5f0c7e-0000-4000-8000-000000000001"}
        edits = [
            ("a table cell", lambda blocks: blocks[1]["value"]["data"][1].__setitem__(0, "头发补贴（新）")),
            ("the first block", lambda blocks: blocks[0].update(value=blocks[0]["value"] + "<p>第一块新增一句。</p>")),
            ("a block added first", lambda blocks: blocks.insert(0, dict(new_block))),
            ("blocks reordered", lambda blocks: blocks.reverse()),
            ("a block deleted", lambda blocks: blocks.pop(0)),
        ]
        for label, change in edits:
            with self.subTest(label):
                item = edit_body(item, change)
                self.assert_as_wagtail_localize_makes_it(item)
        draft = item.get_latest_revision_as_object()
        draft.title = "分块编辑的事项（标题改了）"
        draft.save_revision().publish()
        self.assert_as_wagtail_localize_makes_it(item)
        html = self.html(item)
        for text in ("分塊編輯的事項（標題改了）", "頭髮補貼（新）", "第一塊新增一句。", "新增的第一段，幹部群眾都很滿意。"):
            self.assertIn(text, html)

    def test_the_page_being_published_keeps_its_own_text(self):
        item = make_item(self.t.township, "关于干部头发整理的通知", body=long_body())
        source = reload(item)
        source.title = "关于干部头发整理的通知（更正）"
        sync_variant(source)
        self.assertEqual(source.title, "关于干部头发整理的通知（更正）")
        self.assertIn(SENTENCES[0], str(source.body))
        self.assertEqual(self.variant(item).title, "關於幹部頭髮整理的通知（更正）")

    def test_a_resync_with_nothing_changed_writes_nothing(self):
        item = make_item(self.t.township, "第一季度党费收缴情况", body=long_body())
        revisions = self.variant(item).revisions.count()
        with CaptureQueriesContext(connection) as queries:
            variant = sync_variant(reload(item))
        writes = [q["sql"] for q in queries if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        self.assertEqual(writes, [])
        self.assertLessEqual(len(queries), 12)
        self.assertEqual(variant.revisions.count(), revisions)

    def test_each_resync_is_one_revision_and_one_publish_of_the_variant(self):
        item = make_item(self.t.township, "村级公益事业建设情况", body=long_body())
        variant = self.variant(item)
        revisions, publishes = variant.revisions.count(), PageLogEntry.objects.filter(page=variant, action="wagtail.publish").count()
        item = edit_body(item, lambda blocks: blocks[1]["value"].update(table_caption="干部经费范围（二）"))
        variant = self.variant(item)
        self.assertEqual(variant.revisions.count(), revisions + 1)
        self.assertEqual(PageLogEntry.objects.filter(page=variant, action="wagtail.publish").count(), publishes + 1)
        self.assertEqual(variant.live_revision, variant.latest_revision)
        self.assertTrue(variant.live)
        self.assertFalse(variant.has_unpublished_changes)
        self.assertEqual(variant.draft_title, variant.title)
        self.assertIn("幹部經費範圍（二）", self.html(item))

    def test_the_variants_address_stays_when_the_title_changes(self):
        item = make_item(self.t.township, "城关镇发展党员公示", body=long_body())
        url = self.variant(item).url
        draft = item.get_latest_revision_as_object()
        draft.title = "城关镇发展党员公示（第二批）"
        draft.save_revision().publish()
        variant = self.variant(item)
        self.assertEqual(variant.title, "城關鎮發展黨員公示（第二批）")
        self.assertEqual(variant.url, url)
        self.assertEqual(self.client.get(url).status_code, 200)

    @override_settings(SUNSHINE_FRAMEWORK_FAST_PATHS=True)  # what the bound is about
    def test_a_resync_takes_a_bounded_number_of_queries_whatever_the_length(self):
        counts = {}
        for characters in (300, 3000):
            item = make_item(self.t.township, f"长度{characters}字的事项", body=long_body(characters))
            amount = str(10000 + characters)  # a new string each time, stored and converted
            with variant_sync_off():
                item = edit_body(item, lambda blocks: blocks[1]["value"]["data"][1].__setitem__(1, amount))
            with CaptureQueriesContext(connection) as queries:
                sync_variant(reload(item))
            counts[characters] = len(queries)
            self.assertIn(amount, self.html(item))
        self.assertEqual(counts[300], counts[3000], counts)
        # The stock wagtail-localize path took about 580 queries for the long item.
        self.assertLessEqual(counts[3000], 100, counts)


class ResyncScopeTests(VariantTestCase):
    """The variant takes its audience from its source; its own save sends nothing back."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.first = make_member(reload(cls.t.township), "cgz-first")
        cls.second = make_member(reload(cls.t.township2), "sqz-second")

    def test_named_people_follow_the_source_on_every_publish(self):
        item = make_item(self.t.township, "指定人员可见的事项", scope=Scope.NAMED, named_people=[self.first], body=long_body(600))
        variant = reload(item).get_translation(self.hant)
        self.client.force_login(self.first)
        self.assertEqual(self.client.get(variant.url).status_code, 200)

        draft = item.get_latest_revision_as_object()
        draft.named_people = [self.second]
        draft.summary = "范围调整后的摘要"
        draft.save_revision().publish()
        variant = reload(item).get_translation(self.hant).specific
        self.assertEqual(variant.summary, "範圍調整後的摘要")
        self.assertEqual(list(variant.named_people.values_list("pk", flat=True)), [self.second.pk])
        self.assertEqual(list(reload(item).named_people.values_list("pk", flat=True)), [self.second.pk])
        self.assertNotEqual(self.client.get(variant.url).status_code, 200)
        self.client.force_login(self.second)
        self.assertEqual(self.client.get(variant.url).status_code, 200)
        restriction = PageViewRestriction.objects.get(page=variant)
        self.assertTrue(restriction.groups.filter(user=self.second).exists())

    def test_the_variant_returned_by_a_sync_shares_its_scope_again_when_saved(self):
        """The sync's marks are for its own save: a later save of the variant works as any save."""
        item = make_item(self.t.township, "先公开的事项", body=long_body(600))
        source = reload(item)
        source.summary = "摘要改过了"
        variant = sync_variant(source)
        self.assertEqual(variant.summary, "摘要改過了")
        variant.scope = Scope.UNIT_MEMBERS
        variant.save()
        self.assertEqual(reload(item).scope, Scope.UNIT_MEMBERS)
