"""manage.py import_documents: legacy files in, cleaned, as drafts of a unit; nothing published."""

import html
import io
import json
import re
import shutil
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import docx
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import (
    Locale,
    Page,
    PageLogEntry,
    PageViewRestriction,
    ReferenceIndex,
    Revision,
)
from wagtail.search.models import IndexEntry

from chinese.cleaning import clean_document
from disclosure_pages.choices import Scope, Stage
from disclosure_pages.models import DisclosureItemPage, IndexNumberSequence
from importer.documents import prepare_document
from importer.models import ImportedDocument
from tests.chinese.corpus import CORPUS, needs_corpus, read_corpus
from tests.factories import build_tree, d, make_catalogue, make_item, make_user, reload

UNIT = "QX-CGZ"


def run_import(*paths, **options):
    """Run the command; returns its console output."""
    options.setdefault("unit", UNIT)
    out = StringIO()
    call_command("import_documents", *map(str, paths), stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def run_import_report(folder, *paths, **options):
    """Run the command with --report; returns the JSON report, its files keyed by file name."""
    report_path = folder / "report.json"
    run_import(*paths, report=str(report_path), **options)
    report = json.loads(report_path.read_text(encoding="utf-8"))
    report["by_name"] = {Path(result["path"]).name: result for result in report["files"]}
    return report


def draft_of(item_id):
    return DisclosureItemPage.objects.get(pk=item_id).get_latest_revision_as_object()


def body_html_of(page):
    return "".join(str(block.value.source) for block in page.body if block.block_type == "rich_text")


def body_paragraphs(page):
    """The paragraphs and headings of an item's body, as text."""
    return [html.unescape(text) for text in re.findall(r"<(?:p|h2|h3)>(.*?)</(?:p|h2|h3)>", body_html_of(page))]


def word_file(path, *paragraphs):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)


class ImportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.entry = cls.t.entries["党费收缴使用"]
        cls.entry.code = "C05"
        cls.entry.default_scope = Scope.ALL_MEMBERS
        cls.entry.save()

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="import-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)

    def write(self, name, text):
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def items(self):
        return DisclosureItemPage.objects.child_of(self.t.township)


NOTICE = """城关党发〔2024〕3号
中共城关镇委员会
关于2024年第一季度党费收缴情况的公示
各村党支部：
一、基本情况
本季度应缴党费 <b>1,200</b> 元，实缴 1,200 元。
（一）收缴方式
由各支部统一收缴。
中共城关镇委员会
2024年4月2日
"""


@needs_corpus
class CorpusImportTests(ImportTestCase):
    """../shared/corpus imported as it is."""

    def test_the_corpus_becomes_clean_drafts_that_read_as_the_documents(self):
        report = run_import_report(self.folder, CORPUS)
        self.assertEqual(report["counts"], {"created": 4, "updated": 0, "unchanged": 0, "skipped": 1, "failed": 0})
        self.assertEqual(self.items().count(), 4)
        for name in ("county-secretary-speech.txt", "township-practice-scraped.txt", "town-power-transparency-scraped.html.txt", "district-meeting-speech.txt"):
            result = report["by_name"][name]
            draft = draft_of(result["item_id"])
            paragraphs = body_paragraphs(draft)
            # The body is the cleaned document without its title, paragraph for paragraph.
            self.assertEqual([draft.title, *paragraphs], clean_document(read_corpus(name)))
            self.assertEqual(result["paragraphs"], len(paragraphs))
            text = "\n".join(paragraphs)
            for artefact in ("rdquo", "ldquo", "&", "<br", "下载", "客服", "温馨提示", "本站", "价格", "MORE"):
                self.assertNotIn(artefact, text, name)
            headings = re.findall(r"<h2>(.*?)</h2>", body_html_of(draft))
            self.assertEqual(len(headings), len(re.findall(r"(?:^|\s)[一二三四]、", read_corpus(name))), name)

    def test_the_report_lists_every_file_with_its_flags(self):
        report = run_import_report(self.folder, CORPUS)
        files = report["by_name"]
        self.assertEqual(files["README.md"]["status"], "skipped")
        self.assertIn("不支持的文件类型", files["README.md"]["reason"])
        flags = {name: {flag["code"] for flag in result["flags"]} for name, result in files.items()}
        self.assertIn("suspect_conversion", flags["township-practice-scraped.txt"])
        suspects = " ".join(flag["message"] for flag in files["township-practice-scraped.txt"]["flags"])
        for word in ("原那么", "效劳", "广阔"):
            self.assertIn(word, suspects)
        self.assertIn("truncated", flags["town-power-transparency-scraped.html.txt"])
        self.assertIn("blanks", flags["district-meeting-speech.txt"])
        self.assertTrue(all(result["detected_script"] == "zh-hans" for name, result in files.items() if name != "README.md"))
        # Flagged, not "fixed": the words stay for a person to decide.
        self.assertIn("原那么", "".join(body_paragraphs(draft_of(files["township-practice-scraped.txt"]["item_id"]))))

    def test_importing_again_changes_nothing(self):
        run_import(CORPUS)
        counts = (DisclosureItemPage.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())
        report = run_import_report(self.folder, CORPUS)
        self.assertEqual(report["counts"], {"created": 0, "updated": 0, "unchanged": 4, "skipped": 1, "failed": 0})
        self.assertEqual((DisclosureItemPage.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()), counts)

    def test_nothing_is_published(self):
        run_import(CORPUS)
        for item in self.items():
            self.assertFalse(item.live)
            self.assertIsNone(item.first_published_at)
            self.assertTrue(item.has_unpublished_changes)
            self.assertIsNone(item.live_revision)
            self.assertIsNotNone(item.latest_revision)
        self.assertFalse(PageLogEntry.objects.filter(action="wagtail.publish").exists())
        self.assertEqual(set(PageLogEntry.objects.filter(page__in=self.items()).values_list("action", flat=True)), {"wagtail.create"})


class ImportTests(ImportTestCase):
    def test_title_document_number_and_date_are_taken_from_the_text(self):
        run_import(self.write("公示.txt", NOTICE))
        item = self.items().get()
        self.assertEqual(item.title, "中共城关镇委员会关于2024年第一季度党费收缴情况的公示")
        self.assertEqual(item.document_number, "城关党发〔2024〕3号")
        self.assertEqual(item.document_date, d("2024-04-02"))
        self.assertEqual(item.unit.pk, self.t.township.pk)
        self.assertEqual(item.index_number, "QX-CGZ/2024-00001")

    def test_body_keeps_numbered_headings_and_escapes_the_text(self):
        run_import(self.write("公示.txt", NOTICE))
        body = body_html_of(draft_of(self.items().get().pk))
        self.assertTrue(body.startswith("<p>各村党支部：</p><h2>一、基本情况</h2><p>本季度应缴党费 1,200 元"))
        self.assertIn("<h3>（一）收缴方式</h3>", body)
        self.assertTrue(body.endswith("<p>中共城关镇委员会</p><p>2024年4月2日</p>"))
        run_import(self.write("比较.txt", "比较\n当 a < b 且 c > d 时，“x & y”。"))
        self.assertIn("<p>当 a &lt; b 且 c &gt; d 时，“x &amp; y”。</p>", body_html_of(self.items().get(title="比较")))

    def test_html_and_word_files(self):
        page = "<html><head><title>站点</title></head><body><h1>关于召开民主生活会的通知</h1><p>各支部：&ldquo;三会一课&rdquo;按时召开。<br>请准时参加。</p></body></html>"
        run_import(self.write("通知.html", page))
        word_file(self.folder / "讲话.docx", "在党务公开工作会议上的讲话", "（2023年7月2日）", "同志们：", "黨務(wù)公开是常态。")
        run_import(self.folder / "讲话.docx")
        notice = self.items().get(title="关于召开民主生活会的通知")
        self.assertEqual(body_paragraphs(notice), ["各支部：“三会一课”按时召开。", "请准时参加。"])
        speech = self.items().get(title="在党务公开工作会议上的讲话")
        self.assertEqual(body_paragraphs(speech), ["同志们：", "黨務公开是常态。"])  # the date line is the 成文日期, not body
        self.assertEqual(speech.document_date, d("2023-07-02"))

    def test_catalogue_entry_stage_and_scope(self):
        run_import(self.write("甲.txt", "甲事项\n正文。"), catalogue="C05", stage="result", scope="unit")
        run_import(self.write("乙.txt", "乙事项\n正文。"), catalogue=str(self.entry.pk), stage="预公开")
        run_import(self.write("丙.txt", "丙事项\n正文。"))
        first, second, third = (self.items().get(title=title) for title in ("甲事项", "乙事项", "丙事项"))
        self.assertEqual((first.catalogue_entry, first.stage, first.scope), (self.entry, Stage.RESULT, Scope.UNIT_MEMBERS))
        self.assertEqual((second.catalogue_entry, second.stage, second.scope), (self.entry, Stage.PRE_DISCLOSURE, Scope.ALL_MEMBERS))
        self.assertEqual((third.catalogue_entry, third.stage, third.scope), (None, Stage.OTHER, Scope.PUBLIC))
        # Created like the admin creates a page: a members-only draft is guarded from the start.
        self.assertTrue(PageViewRestriction.objects.filter(page=first).exists())
        self.assertFalse(PageViewRestriction.objects.filter(page=third).exists())

    def test_a_changed_file_becomes_a_new_revision_of_its_draft(self):
        path = self.write("公示.txt", NOTICE)
        first = run_import_report(self.folder, path)["by_name"]["公示.txt"]
        item = self.items().get()
        path.write_text(NOTICE.replace("1,200", "1,350"), encoding="utf-8")
        second = run_import_report(self.folder, path)["by_name"]["公示.txt"]
        self.assertEqual((first["status"], second["status"]), ("created", "updated"))
        self.assertEqual(second["item_id"], item.pk)
        self.assertEqual(self.items().count(), 1)
        self.assertEqual(Revision.objects.for_instance(item).count(), 2)
        self.assertIn("1,350", body_html_of(draft_of(item.pk)))
        self.assertFalse(reload(item).live)
        self.assertEqual(ImportedDocument.objects.get().revision, reload(item).latest_revision)
        self.assertEqual(run_import_report(self.folder, path)["by_name"]["公示.txt"]["status"], "unchanged")

    def test_a_published_item_is_not_overwritten(self):
        path = self.write("公示.txt", NOTICE)
        run_import(path)
        item = self.items().get()
        item.get_latest_revision().publish()
        path.write_text(NOTICE.replace("1,200", "1,350"), encoding="utf-8")
        result = run_import_report(self.folder, path)["by_name"]["公示.txt"]
        self.assertEqual(result["status"], "skipped")
        self.assertIn("已经发布", result["reason"])
        self.assertNotIn("1,350", body_html_of(draft_of(item.pk)))

    def test_a_draft_edited_in_the_admin_is_not_overwritten(self):
        path = self.write("公示.txt", NOTICE)
        run_import(path)
        draft = draft_of(self.items().get().pk)
        draft.title = "专员修改后的标题"
        draft.save_revision()
        path.write_text(NOTICE.replace("1,200", "1,350"), encoding="utf-8")
        result = run_import_report(self.folder, path)["by_name"]["公示.txt"]
        self.assertEqual(result["status"], "skipped")
        self.assertIn("已在后台修改", result["reason"])
        self.assertEqual(draft_of(draft.pk).title, "专员修改后的标题")

    def test_the_same_content_under_another_name_is_not_imported_twice(self):
        run_import(self.write("公示.txt", NOTICE))
        result = run_import_report(self.folder, self.write("副本/公示（复制）.txt", NOTICE))["by_name"]["公示（复制）.txt"]
        self.assertEqual(result["status"], "skipped")
        self.assertIn("内容与已导入的文件", result["reason"])
        self.assertEqual(self.items().count(), 1)

    def test_each_file_is_its_own_transaction(self):
        self.write("1-good.txt", "第一份\n正文。")
        (self.folder / "2-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
        (self.folder / "3-empty.txt").write_bytes(b"")
        (self.folder / "4-broken.docx").write_bytes(b"PK\x03\x04 truncated")
        self.write("5-fails.txt", "会在保存时出错的文件\n正文。")
        self.write("6-only-furniture.txt", "首页\n下载文档\n第1页 共1页")
        word_file(self.folder / "7-good.docx", "第二份", "正文。")
        original = DisclosureItemPage.save_revision

        def failing_save_revision(page, *args, **kwargs):
            if page.title == "会在保存时出错的文件":
                raise RuntimeError("磁盘已满")
            return original(page, *args, **kwargs)

        with mock.patch.object(DisclosureItemPage, "save_revision", failing_save_revision):
            report = run_import_report(self.folder, self.folder)
        statuses = {name: (result["status"], result["reason"]) for name, result in report["by_name"].items()}
        self.assertEqual(statuses["1-good.txt"][0], "created")
        self.assertEqual(statuses["2-binary.txt"], ("skipped", "二进制文件，不是文本。"))
        self.assertEqual(statuses["3-empty.txt"], ("skipped", "空文件。"))
        self.assertEqual(statuses["4-broken.docx"][0], "failed")
        self.assertIn("不是有效的 Word", statuses["4-broken.docx"][1])
        self.assertEqual(statuses["5-fails.txt"], ("failed", "导入出错（RuntimeError）：磁盘已满"))
        self.assertEqual(statuses["6-only-furniture.txt"][0], "skipped")
        self.assertEqual(statuses["7-good.docx"][0], "created")
        # The failed file's page was added, then rolled back with everything else it wrote.
        self.assertEqual(sorted(self.items().values_list("title", flat=True)), ["第一份", "第二份"])
        township = reload(self.t.township)
        self.assertEqual(township.numchild, township.get_children().count())
        self.assertEqual(Page.find_problems(), ([], [], [], [], []))  # paths, depths and child counts
        self.assertEqual(ImportedDocument.objects.count(), 2)
        self.assertEqual(IndexNumberSequence.objects.get(unit_code=UNIT).last_value, 2)

    def test_the_files_of_a_batch_are_checked_against_each_other(self):
        self.write("1-公示.txt", NOTICE)
        self.write("2-副本.txt", NOTICE)
        self.write("3-更正.txt", NOTICE.replace("1,200", "1,350"))
        # Into a unit without children yet: its first item must not leave it looking childless.
        files = run_import_report(self.folder, self.folder, unit="QX-CGZ-DGC")["by_name"]
        self.assertEqual(files["2-副本.txt"]["status"], "skipped")
        self.assertIn("1-公示.txt", files["2-副本.txt"]["reason"])
        # Same 文号 and title as the first file, other content: created, the 文号 left out, its own slug.
        corrected = files["3-更正.txt"]
        self.assertEqual((corrected["status"], [flag["code"] for flag in corrected["flags"]]), ("created", ["document_number_taken"]))
        first, second = (DisclosureItemPage.objects.get(pk=files[name]["item_id"]) for name in ("1-公示.txt", "3-更正.txt"))
        self.assertEqual((first.document_number, second.document_number), ("城关党发〔2024〕3号", ""))
        # Each its own slug: a new item's is its index number's (DisclosureItemPage.save).
        self.assertEqual((first.slug, second.slug), tuple(i.index_number.split("/")[1] for i in (first, second)))

    def test_importing_again_asks_the_database_once_per_batch_not_per_file(self):
        for number in range(3):
            self.write(f"{number}.txt", f"第{number}份\n正文。")
        run_import(self.folder)
        with CaptureQueriesContext(connection) as one_file:
            run_import(self.folder / "0.txt")
        with CaptureQueriesContext(connection) as three_files:
            self.assertIn("未变 3", run_import(self.folder))
        self.assertEqual(len(three_files), len(one_file))

    def test_a_missing_path_is_reported_and_the_batch_goes_on(self):
        report = run_import_report(self.folder, self.folder / "不存在.txt", self.write("有.txt", "有\n正文。"))
        self.assertEqual(report["by_name"]["不存在.txt"]["status"], "failed")
        self.assertEqual(report["by_name"]["不存在.txt"]["reason"], "文件不存在。")
        self.assertEqual(report["by_name"]["有.txt"]["status"], "created")

    def test_dry_run_writes_nothing(self):
        path = self.write("公示.txt", NOTICE)
        tables = (DisclosureItemPage, Revision, ImportedDocument, IndexNumberSequence, PageLogEntry, IndexEntry, ReferenceIndex)
        before = [model.objects.count() for model in tables]
        report = run_import_report(self.folder, path, dry_run=True)
        self.assertEqual([model.objects.count() for model in tables], before)
        self.assertTrue(report["dry_run"])
        result = report["by_name"]["公示.txt"]
        self.assertEqual((result["status"], result["item_id"], result["document_number"]), ("created", None, "城关党发〔2024〕3号"))
        self.assertIn("试运行", run_import(path, dry_run=True))

    def test_the_json_report(self):
        path = self.write("公示.txt", NOTICE)
        report = run_import_report(self.folder, path, self.folder / "说明.md", catalogue="C05")
        self.assertEqual(report["unit"], UNIT)
        self.assertEqual(report["options"], {"catalogue_entry": "C05 党费收缴使用", "stage": "other", "scope": "party", "script": "auto"})
        self.assertEqual(report["counts"], {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "failed": 1})
        item = self.items().get()
        self.assertEqual(
            report["by_name"]["公示.txt"],
            {
                "path": str(path),
                "status": "created",
                "reason": "",
                "flags": [],
                "kind": "txt",
                "detected_script": "zh-hans",
                "locale": "zh-hans",
                "title": item.title,
                "item_id": item.pk,
                "document_number": "城关党发〔2024〕3号",
                "document_date": "2024-04-02",
                "paragraphs": 7,
            },
        )
        self.assertGreater(report["seconds"], 0)

    def test_the_console_table_and_summary(self):
        output = run_import(self.write("公示.txt", NOTICE), self.folder / "缺.txt")
        lines = output.splitlines()
        self.assertEqual(lines[0].split(), ["状态", "文件", "标题", "说明"])
        self.assertTrue(lines[1].startswith("新建"))
        self.assertIn("中共城关镇委员会关于2024年第…", lines[1])  # cut to its column
        self.assertTrue(lines[2].startswith("失败") and lines[2].endswith("文件不存在。"))
        self.assertIn("共 2 个文件：新建 1，更新 0，未变 0，跳过 0，失败 1。", lines[3])

    def test_a_document_number_used_by_another_item_is_flagged_not_stored(self):
        make_item(self.t.township, "已有事项", document_number="城关党发〔2024〕3号", document_date=d("2024-01-05"))
        result = run_import_report(self.folder, self.write("公示.txt", NOTICE))["by_name"]["公示.txt"]
        self.assertEqual(result["status"], "created")
        self.assertEqual([flag["code"] for flag in result["flags"]], ["document_number_taken"])
        self.assertEqual(DisclosureItemPage.objects.get(pk=result["item_id"]).document_number, "")

    def test_a_document_number_without_a_date_is_flagged_not_stored(self):
        result = run_import_report(self.folder, self.write("通知.txt", "城关党发〔2024〕9号\n关于开会的通知\n正文。"))["by_name"]["通知.txt"]
        self.assertEqual([flag["code"] for flag in result["flags"]], ["document_number_without_date"])
        self.assertEqual(DisclosureItemPage.objects.get(pk=result["item_id"]).document_number, "")

    def test_imported_items_are_in_the_search_and_reference_indexes(self):
        item_id = run_import_report(self.folder, self.write("公示.txt", NOTICE), catalogue="C05")["by_name"]["公示.txt"]["item_id"]
        self.assertTrue(IndexEntry.objects.filter(object_id=str(item_id)).exists())
        self.assertTrue(ReferenceIndex.get_references_for_object(DisclosureItemPage.objects.get(pk=item_id)).exists())

    def test_the_units_officer_finds_the_draft_in_the_admin_search_and_edits_it(self):
        item_id = run_import_report(self.folder, self.write("公示.txt", NOTICE))["by_name"]["公示.txt"]["item_id"]
        self.client.force_login(make_user("cgz-officer", reload(self.t.township).officers_group))
        edit_url = reverse("wagtailadmin_pages:edit", args=[item_id])
        self.assertContains(self.client.get(reverse("wagtailadmin_pages:search"), {"q": "中共城关镇委员会关于"}), edit_url)
        self.assertContains(self.client.get(edit_url), "中共城关镇委员会关于2024年第一季度党费收缴情况的公示")

    def test_drafts_written_before_an_interruption_are_indexed(self):
        self.write("1.txt", "第一份\n正文。")
        self.write("2.txt", "第二份\n正文。")

        def interrupted_at_the_second_file(path, *args, **kwargs):
            if path.name == "2.txt":
                raise KeyboardInterrupt
            return prepare_document(path, *args, **kwargs)

        with mock.patch("importer.service.prepare_document", interrupted_at_the_second_file), self.assertRaises(KeyboardInterrupt):
            run_import(self.folder)
        self.assertTrue(IndexEntry.objects.filter(object_id=str(self.items().get().pk)).exists())


class ScriptTests(ImportTestCase):
    """A Traditional document goes under the unit's zh-hant translation when there is one."""

    TRADITIONAL = "關於黨費收繳情況的公示\n各黨支部：本季度黨費已按時收繳，請黨員群眾監督。"

    def test_traditional_text_goes_under_the_units_traditional_translation(self):
        hant = Locale.objects.create(language_code="zh-hant")
        translation = self.t.township.copy_for_translation(hant, copy_parents=True)
        result = run_import_report(self.folder, self.write("繁體.txt", self.TRADITIONAL), catalogue="C05")["by_name"]["繁體.txt"]
        item = DisclosureItemPage.objects.get(pk=result["item_id"])
        self.assertEqual((result["detected_script"], result["locale"], result["flags"]), ("zh-hant", "zh-hant", []))
        self.assertEqual(item.locale, hant)
        self.assertEqual(item.get_parent().pk, translation.pk)
        self.assertEqual(item.catalogue_entry, self.entry)
        self.assertFalse(item.live)

    def test_without_a_translation_the_unit_itself_is_used_and_the_report_says_so(self):
        result = run_import_report(self.folder, self.write("繁體.txt", self.TRADITIONAL))["by_name"]["繁體.txt"]
        self.assertEqual((result["detected_script"], result["locale"]), ("zh-hant", "zh-hans"))
        self.assertEqual([flag["code"] for flag in result["flags"]], ["no_translation_for_script"])
        self.assertEqual(DisclosureItemPage.objects.get(pk=result["item_id"]).get_parent().pk, self.t.township.pk)

    def test_the_script_can_be_given(self):
        Locale.objects.create(language_code="zh-hant")
        self.t.township.copy_for_translation(Locale.objects.get(language_code="zh-hant"), copy_parents=True)
        result = run_import_report(self.folder, self.write("繁體.txt", self.TRADITIONAL), script="zh-hans")["by_name"]["繁體.txt"]
        self.assertEqual((result["detected_script"], result["locale"]), ("zh-hant", "zh-hans"))


class OptionTests(ImportTestCase):
    """Wrong options stop the command before anything is read, with a message in Chinese."""

    def assertRefused(self, message, **options):
        with self.assertRaisesMessage(CommandError, message):
            run_import(self.folder, **options)

    def test_unit(self):
        self.assertRefused("找不到单位编码为“NOPE”的单位", unit="NOPE")
        self.assertRefused("请用 --unit 指定", unit=None)

    def test_catalogue_entry(self):
        _, _, other_entries = make_catalogue("另一县的目录")
        outside = next(iter(other_entries.values()))
        outside.code = "Z01"
        outside.save()
        self.assertRefused("找不到目录条目“Q99”", catalogue="Q99")
        self.assertRefused(f"目录条目“Z01”不在单位“{self.t.township.title}”的公开目录中", catalogue="Z01")
        self.assertRefused(f"目录条目“{outside.pk}”不在单位", catalogue=str(outside.pk))

    def test_entry_whose_default_scope_is_named_needs_a_scope(self):
        self.entry.default_scope = Scope.NAMED
        self.entry.save()
        self.assertRefused("请用 --scope 选择公开范围", catalogue="C05")

    def test_stage_scope_and_script(self):
        self.assertRefused("--stage 的值“final”无效，可选：pre（预公开）、decision（决策公开）、result（结果公开）、other（其他）。", stage="final")
        self.assertRefused("--scope 的值“named”无效", scope="named")
        self.assertRefused("--script 的值“zh-tw”无效", script="zh-tw")

    def test_report_folder_must_exist(self):
        self.assertRefused("无法写入报告文件", report=str(self.folder / "没有" / "r.json"))
        self.assertEqual(ImportedDocument.objects.count(), 0)


class ConsoleTests(TestCase):
    def test_progress_bar(self):
        from importer.report import ProgressBar

        written = io.StringIO()
        bar = ProgressBar(4, written.write, width=8)
        bar.update(1, 0.5)
        bar.update(4, 2.0)
        bar.close()
        self.assertEqual(written.getvalue(), "\r[##......] 1/4（2 份/秒）\r[########] 4/4（2 份/秒）\n")
