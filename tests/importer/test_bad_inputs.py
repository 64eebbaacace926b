"""Import, small (issue 14): furniture in Traditional, a wrong decoding, the date line under the
title, a NUL byte late in a file, a file of identical lines. Test files are generated here; the
shared corpus is read in place."""

from django.test import override_settings

from chinese.cleaning import clean_document
from chinese.conversion import convert
from tests.chinese.corpus import needs_corpus, read_corpus

from .test_import import ImportTestCase, body_paragraphs, run_import_report

TRADITIONAL_SCRAPE = """關於開展黨務公開工作的通知
溫馨提示
下載文檔
時間:2022-06-19 03:12:00
價格:¥3
第1頁 共2頁
各支部：現就黨務公開工作通知如下。
本站提供的文檔均為網友上傳
"""


class TraditionalFurnitureTests(ImportTestCase):
    def test_the_cleaning_rules_work_in_both_scripts(self):
        self.assertEqual(clean_document(TRADITIONAL_SCRAPE), ["關於開展黨務公開工作的通知", "各支部：現就黨務公開工作通知如下。"])
        self.assertEqual(clean_document(convert(TRADITIONAL_SCRAPE, "t2s")), ["关于开展党务公开工作的通知", "各支部：现就党务公开工作通知如下。"])

    @needs_corpus
    def test_a_scraped_corpus_document_in_traditional_cleans_as_in_simplified(self):
        for name in ("township-practice-scraped.txt", "town-power-transparency-scraped.html.txt"):
            with self.subTest(name=name):
                simplified = clean_document(read_corpus(name))
                for profile in ("s2t", "s2tw", "s2hk"):
                    traditional = clean_document(convert(read_corpus(name), profile))
                    # The same paragraphs kept (the round trip through OpenCC changes a few characters).
                    self.assertEqual(len(traditional), len(simplified), profile)
                    self.assertEqual([len(p) for p in traditional], [len(p) for p in simplified], profile)


class BadInputTests(ImportTestCase):
    def write_bytes(self, name, data):
        path = self.folder / name
        path.write_bytes(data)
        return path

    def test_utf16_without_a_byte_order_mark_fails_with_a_reason(self):
        text = "关于2024年第一季度党费收缴情况的公示\n根据党费收缴使用管理规定，现将党员交纳党费情况公示如下。\n" * 10
        files = [self.write_bytes("无BOM小端.txt", text.encode("utf-16-le")), self.write_bytes("无BOM大端.txt", text.encode("utf-16-be"))]
        report = run_import_report(self.folder, *files, dry_run=True)
        for path in files:
            result = report["by_name"][path.name]
            self.assertEqual(result["status"], "failed", result)
            self.assertIn("UTF-16", result["reason"])
        self.assertFalse(self.items().exists())

    def test_an_implausible_decoding_fails_instead_of_becoming_a_draft_of_garbage(self):
        # Single-byte text behind a UTF-16 mark, one byte off: it reads as 最牡慢敧…
        garbage = self.write_bytes("乱码.txt", b"\xff\xfe" + b"\x00garbage garbage\r\n" * 40)
        report = run_import_report(self.folder, garbage, dry_run=True)
        result = report["by_name"]["乱码.txt"]
        self.assertEqual(result["status"], "failed", result)
        self.assertIn("不像中文", result["reason"])
        self.assertIn("最牡慢敧", result["reason"])
        self.assertNotEqual(result.get("title"), "最牡慢敧")

    def test_the_date_line_under_the_title_is_the_date_not_body(self):
        path = self.write("讲话.txt", "在全镇党务公开工作会议上的讲话\n（2023年7月2日）\n同志们：\n今天召开会议，部署全年党务公开工作。\n")
        run_import_report(self.folder, path)
        speech = self.items().get()
        self.assertEqual(str(speech.document_date), "2023-07-02")
        self.assertEqual(body_paragraphs(speech), ["同志们：", "今天召开会议，部署全年党务公开工作。"])

    def test_a_nul_byte_after_the_first_8_kb_is_removed_and_flagged(self):
        paragraph = "根据党费收缴使用管理规定，现将本支部党员交纳党费情况公示如下。"
        data = ("关于党费收缴情况的公示\n" + (paragraph + "\n") * 150).encode("utf-8")
        self.assertGreater(len(data), 8192)
        data += "最后一段\x00文字。\n".encode("utf-8")
        report = run_import_report(self.folder, self.write_bytes("空字节.txt", data))
        result = report["by_name"]["空字节.txt"]
        self.assertEqual(result["status"], "created", result)
        self.assertTrue(any(flag["code"] == "control_characters" and "NUL" in flag["message"] for flag in result["flags"]), result["flags"])
        body = "".join(body_paragraphs(self.items().get()))
        self.assertNotIn("\x00", body)
        self.assertIn("最后一段文字。", body)

    def test_a_file_of_identical_lines_is_imported_with_a_warning(self):
        line = "各支部要认真组织学习，确保学习教育取得实效。\n"
        path = self.write("重复.txt", "关于开展学习教育的通知\n" + line * 50000)  # 3.3 MB
        report = run_import_report(self.folder, path)
        result = report["by_name"]["重复.txt"]
        self.assertEqual(result["status"], "created", result)
        self.assertLessEqual(result["paragraphs"], 2)
        warning = next(flag["message"] for flag in result["flags"] if flag["code"] == "repeated_paragraphs")
        self.assertIn("49999", warning)

    @override_settings(SUNSHINE_IMPORT_MAX_FILE_BYTES=1024 * 1024)
    def test_a_file_over_the_size_limit_is_refused_and_the_report_says_why(self):
        line = "各支部要认真组织学习，确保学习教育取得实效。\n"
        path = self.write("过大.txt", "关于开展学习教育的通知\n" + line * 50000)
        report = run_import_report(self.folder, path)
        result = report["by_name"]["过大.txt"]
        self.assertEqual(result["status"], "failed")
        self.assertEqual(result["reason"], "文件过大（3.2 MB），超过导入上限 1.0 MB（SUNSHINE_IMPORT_MAX_FILE_BYTES），未读取。")
