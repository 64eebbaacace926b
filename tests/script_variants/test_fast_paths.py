"""The sync's fast path against wagtail-localize's public one (SUNSHINE_FRAMEWORK_FAST_PATHS):
the same variants, revisions, segments and translations; and the translator comes from the setting."""

from collections import Counter

from django.test import override_settings
from wagtail.models import PageLogEntry
from wagtail_localize.machine_translators.base import BaseMachineTranslator
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    StringSegment,
    StringTranslation,
    TemplateSegment,
    TranslationLog,
    TranslationSource,
)
from wagtail_localize.strings import StringValue

from tests.factories import make_item, reload
from tests.script_variants.test_resync import SENTENCES, edit_body, long_body
from tests.script_variants.test_sync import VariantTestCase


def fixed_blocks(blocks):
    """``blocks`` (type, value) with block ids that are the same for every item made from them:
    segment context paths name the blocks, so two items built alike compare path for path."""
    return [{"type": kind, "value": value, "id": f"00000000-0000-4000-8000-{number:012d}"}
            for number, (kind, value) in enumerate(blocks, 1)]


class FastPathParityTests(VariantTestCase):
    """Each step is taken on two items alike, one with the fast paths on, one with them off."""

    def test_both_paths_make_the_same_variant_revisions_and_segments(self):
        steps = [
            ("published", lambda item: item),
            ("a table cell edited", lambda item: edit_body(
                item, lambda blocks: blocks[1]["value"]["data"][1].__setitem__(0, "头发补贴（新）"))),
            ("a block added", lambda item: edit_body(item, lambda blocks: blocks.insert(0, {
                "type": "rich_text", "value": f"<p>{SENTENCES[2]}</p>", "id": "00000000-0000-4000-8000-000000000099"}))),
            ("an editor's override, then an edit elsewhere", self.override_then_edit),
            ("the title changed", self.retitle),
        ]
        items = {}
        for fast in (True, False):
            with override_settings(SUNSHINE_FRAMEWORK_FAST_PATHS=fast):
                items[fast] = make_item(self.t.township, "党费收缴使用情况公示", body=fixed_blocks(long_body()),
                                        catalogue_entry=self.t.entries["党费收缴使用"], slug="parity-fast" if fast else "parity-slow")
        for label, step in steps:
            states = {}
            for fast in (True, False):
                with override_settings(SUNSHINE_FRAMEWORK_FAST_PATHS=fast):
                    items[fast] = step(items[fast])
                states[fast] = self.state(items[fast])
            with self.subTest(label):
                differing = [part for part in states[True] if states[True][part] != states[False][part]]
                self.assertEqual({part: states[True][part] for part in differing},
                                 {part: states[False][part] for part in differing})
        self.assertIn("頭髮補貼（新）", str(self.variant(items[False]).body))

    def override_then_edit(self, item):
        source = TranslationSource.objects.get(object_id=item.translation_key, locale=self.hans)
        segment = StringSegment.objects.filter(source=source, context__path="summary").get()
        StringTranslation.objects.filter(translation_of=segment.string, context=segment.context, locale=self.hant).update(
            data="編輯改過的摘要", translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL, tool_name="")
        return edit_body(item, lambda blocks: blocks[-1].update(value=blocks[-1]["value"] + "<p>补充一句。</p>"))

    @staticmethod
    def retitle(item):
        draft = item.get_latest_revision_as_object()
        draft.title = "党费收缴使用情况公示（更正）"
        draft.save_revision().publish()
        return reload(item)

    def state(self, item):
        """What a reader and an editor of the variant see, and what wagtail-localize stores for it."""
        variant = self.variant(item)
        source = TranslationSource.objects.get(object_id=item.translation_key, locale=self.hans)
        fields = ("title", "draft_title", "summary", "scope", "live", "has_unpublished_changes", "catalogue_entry_id",
                  "unit_id", "stage", "document_number", "locale_id", "depth")
        return {
            "variant": {name: getattr(variant, name) for name in fields},
            # Each item has its own slug and index number: the variant shares its source's.
            "slug and number": (variant.slug == item.slug, variant.url_path.endswith(f"/{item.slug}/"),
                                variant.index_number == item.index_number),
            "body": variant.body.get_prep_value(),
            "live revision": variant.live_revision.as_object().body.get_prep_value() if variant.live_revision else None,
            "revisions": variant.revisions.count(),
            # Renames aside: the fast path logs one as it publishes a new variant (copied with its
            # source's title, then converted), wagtail-localize's path on the variant's first
            # update; neither is a person's rename.
            "log": Counter(PageLogEntry.objects.filter(page=variant).exclude(action="wagtail.rename")
                           .values_list("action", flat=True)),
            "translation logs": TranslationLog.objects.filter(source=source, locale=self.hant).count(),
            "segments": [tuple("«slug»" if value == item.slug else value for value in row) for row in segments_of(source)],
            "translations": sorted(
                tuple("«slug»" if value == item.slug else value for value in row)
                for row in StringTranslation.objects.filter(locale=self.hant, context__object_id=item.translation_key)
                .values_list("context__path", "translation_of__data", "data", "translation_type", "tool_name")
            ),
        }


def segments_of(source):
    """The segments stored for ``source``, each by its context path and what it holds."""
    rows = []
    for model, held in ((StringSegment, "string__data"), (TemplateSegment, "template__template"),
                        (RelatedObjectSegment, "object_id"), (OverridableSegment, "data_json")):
        rows += [(model.__name__, *row) for row in model.objects.filter(source=source).values_list("context__path", "order", held)]
    return sorted(rows, key=str)


class BracketingTranslator(BaseMachineTranslator):
    """A test translator: Chinese text unchanged, marked with ``OPTIONS["MARK"]``; codes left alone."""

    display_name = "测试译者"

    def can_translate(self, source_locale, target_locale):
        return True

    def translate(self, source_locale, target_locale, strings):
        return {string: StringValue(string.data if string.data.isascii() else self.options["MARK"] + string.data)
                for string in strings}


class TranslatorSettingTests(VariantTestCase):
    @override_settings(WAGTAILLOCALIZE_MACHINE_TRANSLATOR={
        "CLASS": f"{__name__}.BracketingTranslator", "OPTIONS": {"MARK": "【译】"}})
    def test_the_configured_translator_drives_the_sync(self):
        for fast in (True, False):
            with self.subTest(fast_paths=fast), override_settings(SUNSHINE_FRAMEWORK_FAST_PATHS=fast):
                item = make_item(self.t.township, "关于干部头发整理的通知", summary="系统里面的范围", slug="bracket-fast" if fast else "bracket-slow")
                variant = self.variant(item)
                self.assertEqual((variant.title, variant.summary), ("【译】关于干部头发整理的通知", "【译】系统里面的范围"))
                tools = set(StringTranslation.objects.filter(context__object_id=item.translation_key, locale=self.hant)
                            .values_list("tool_name", flat=True))
                self.assertEqual(tools, {"测试译者"})
