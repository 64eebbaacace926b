"""Zip bombs and oversized files are refused before they are read (issue 13, item 7).

A 1.2 MB .docx that unpacked to 408 MB of tiny paragraphs took ``import_documents`` to
6.5 GB of memory and was still running after 5 minutes. The importer now reads a Word
file's own figures (its end record and central directory) first and refuses it, with a
Chinese line in the report, when it declares too many entries, too many unpacked bytes, or
an entry packed too well; any file larger than the limit is refused from its size on disk.
The rest of the batch goes on.
"""

import shutil
import struct
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from unittest import mock

from django.test import override_settings

from importer import limits
from importer.conf import app_settings
from importer.models import ImportedDocument
from tests.importer.test_import import ImportTestCase, run_import, run_import_report, word_file

MB = 1024 * 1024
TINY_PARAGRAPH = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"


def rewrite_docx(source, target, replace=None, extra=()):
    """A copy of the Word file ``source`` with its document part's body made by ``replace``
    (a function writing to a file object, streamed) and ``extra`` entries (name, bytes) added."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "word/document.xml" and replace is not None:
                head, _, _ = data.partition(b"<w:body>")
                with copy.open("word/document.xml", "w", force_zip64=True) as part:  # deflated, level 9
                    part.write(head + b"<w:body>")
                    replace(part)
                    part.write(b"</w:body></w:document>")
            else:
                copy.writestr(info, data)
        for name, data in extra:
            copy.writestr(name, data)
    return target


def tiny_paragraphs(megabytes):
    def write(part):
        chunk = TINY_PARAGRAPH * (MB // len(TINY_PARAGRAPH))
        for _ in range(megabytes):
            part.write(chunk)

    return write


class ZipBombTests(ImportTestCase):
    def setUp(self):
        super().setUp()
        templates = Path(tempfile.mkdtemp(prefix="import-template-"))
        self.addCleanup(shutil.rmtree, templates, ignore_errors=True)
        self.template = templates / "模板.docx"
        word_file(self.template, "关于召开党员大会的通知", "全体党员参加。")

    def bomb(self, name, megabytes=60):
        return rewrite_docx(self.template, self.folder / name, replace=tiny_paragraphs(megabytes))

    def test_a_zip_bomb_is_refused_from_its_central_directory_without_unpacking(self):
        bomb = self.bomb("炸弹.docx")
        self.assertLess(bomb.stat().st_size, 1 * MB)  # packs about 1,000 to 1
        tracemalloc.start()
        started = time.monotonic()
        try:
            report = run_import_report(self.folder, bomb)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        self.assertLess(time.monotonic() - started, 30)
        self.assertLess(peak, 40 * MB)  # unpacked, it would have been gigabytes of paragraphs
        result = report["by_name"]["炸弹.docx"]
        self.assertEqual(result["status"], "failed")
        self.assertIn("疑为压缩炸弹，未解压", result["reason"])
        self.assertIn("SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES", result["reason"])
        self.assertEqual(ImportedDocument.objects.count(), 0)
        self.assertFalse(self.items().exists())

    def test_the_rest_of_the_batch_goes_on(self):
        self.bomb("2-炸弹.docx")
        self.write("1-通知.txt", "关于开展主题党日活动的通知\n每月第一个星期五。")
        word_file(self.folder / "3-讲话.docx", "在党务公开工作会议上的讲话", "同志们：")
        report = run_import_report(self.folder, self.folder)
        statuses = {name: result["status"] for name, result in report["by_name"].items()}
        self.assertEqual(statuses, {"1-通知.txt": "created", "2-炸弹.docx": "failed", "3-讲话.docx": "created"})
        self.assertEqual(sorted(self.items().values_list("title", flat=True)), ["关于开展主题党日活动的通知", "在党务公开工作会议上的讲话"])

    def test_the_console_report_says_why_in_chinese(self):
        bomb = self.bomb("炸弹.docx")
        output = run_import(bomb)
        self.assertIn("失败", output)
        self.assertRegex(output, r"失败  .*炸弹.docx +Word 文件解压后共 6[0-9]\.[0-9] MB，超过上限 50\.0 MB（SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES），疑为压缩炸弹，未解压。")

    def test_an_entry_packed_too_well_is_refused_even_when_the_total_is_small(self):
        packed = rewrite_docx(self.template, self.folder / "填充.docx", extra=[("word/media/blank.bin", bytes(4 * MB))])
        result = run_import_report(self.folder, packed)["by_name"]["填充.docx"]
        self.assertEqual(result["status"], "failed")
        self.assertIn("“word/media/blank.bin”压缩比为", result["reason"])
        self.assertIn("SUNSHINE_IMPORT_MAX_COMPRESSION_RATIO", result["reason"])

    def test_too_many_entries_are_refused_before_the_archive_is_opened(self):
        crowded = rewrite_docx(self.template, self.folder / "条目.docx", extra=[(f"customXml/extra{n}.xml", b"<a/>") for n in range(1200)])
        with mock.patch("zipfile.ZipFile", wraps=zipfile.ZipFile) as opened:
            result = run_import_report(self.folder, crowded)["by_name"]["条目.docx"]
        self.assertEqual(opened.call_count, 0)
        self.assertEqual(result["status"], "failed")
        self.assertIn("SUNSHINE_IMPORT_MAX_ENTRIES", result["reason"])
        self.assertIn("个条目", result["reason"])

    def test_an_end_record_that_understates_the_entries_does_not_hide_them(self):
        crowded = rewrite_docx(self.template, self.folder / "伪造.docx", extra=[(f"customXml/extra{n}.xml", b"<a/>") for n in range(1200)])
        data = bytearray(crowded.read_bytes())
        end = data.rfind(b"PK\x05\x06")
        struct.pack_into("<HH", data, end + 8, 12, 12)  # entries on this disk, entries in all
        crowded.write_bytes(bytes(data))
        self.assertGreater(limits._declared_entries(bytes(data)), 1200)
        result = run_import_report(self.folder, crowded)["by_name"]["伪造.docx"]
        self.assertEqual(result["status"], "failed")
        self.assertIn("SUNSHINE_IMPORT_MAX_ENTRIES", result["reason"])

    @override_settings(SUNSHINE_IMPORT_MAX_FILE_BYTES=1024)
    def test_a_file_past_the_size_limit_is_refused_before_it_is_read(self):
        big = self.write("长文.txt", "关于开展主题党日活动的通知\n" + "每月第一个星期五开展主题党日活动。" * 200)
        small = self.write("短文.txt", "关于召开党员大会的通知\n全体党员参加。")
        read = Path.read_bytes
        read_paths = []

        def spy(path):
            read_paths.append(path.name)
            return read(path)

        with mock.patch.object(Path, "read_bytes", spy):
            report = run_import_report(self.folder, big, small)
        self.assertNotIn("长文.txt", read_paths)
        result = report["by_name"]["长文.txt"]
        self.assertEqual(result["status"], "failed")
        self.assertRegex(result["reason"], r"^文件过大（\d+\.\d KB），超过导入上限 1\.0 KB（SUNSHINE_IMPORT_MAX_FILE_BYTES），未读取。$")
        self.assertEqual(report["by_name"]["短文.txt"]["status"], "created")

    @override_settings(SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES=200 * MB, SUNSHINE_IMPORT_MAX_COMPRESSION_RATIO=10_000)
    def test_the_limits_are_settings(self):
        self.assertEqual(limits.limit("SUNSHINE_IMPORT_MAX_UNCOMPRESSED_BYTES"), 200 * MB)
        self.assertEqual(limits.limit("SUNSHINE_IMPORT_MAX_ENTRIES"), app_settings.defaults["SUNSHINE_IMPORT_MAX_ENTRIES"])
        # Within raised limits a well-packed but real document imports.
        packed = rewrite_docx(self.template, self.folder / "填充.docx", extra=[("word/media/blank.bin", bytes(4 * MB))])
        self.assertEqual(run_import_report(self.folder, packed)["by_name"]["填充.docx"]["status"], "created")

    def test_a_document_part_too_large_to_parse_is_refused(self):
        # Varied text packs little: no bomb, but a gigabyte and more once parsed.
        import base64
        import os

        def write(part):
            for _ in range(17):
                text = base64.b64encode(os.urandom(3 * MB // 4))
                part.write(b"".join(b"<w:p><w:r><w:t>" + text[at:at + 400] + b"</w:t></w:r></w:p>" for at in range(0, len(text), 400)))

        document = rewrite_docx(self.template, self.folder / "长篇.docx", replace=write)
        with mock.patch("importer.readers.parse_xml") as parse:
            result = run_import_report(self.folder, document)["by_name"]["长篇.docx"]
        parse.assert_not_called()
        self.assertEqual(result["status"], "failed")
        self.assertIn("SUNSHINE_IMPORT_MAX_DOCUMENT_PART_BYTES", result["reason"])
        self.assertIn("请拆分成几个文件后导入", result["reason"])

    def test_a_real_word_file_with_pictures_is_within_the_limits(self):
        import os

        photos = [(f"word/media/image{n}.jpeg", os.urandom(2 * MB)) for n in range(5)]  # photos do not pack
        document = rewrite_docx(self.template, self.folder / "图片.docx", extra=photos)
        self.assertEqual(run_import_report(self.folder, document)["by_name"]["图片.docx"]["status"], "created")

    def test_broken_archives_still_say_they_are_not_word_files(self):
        for name, data in (("截断.docx", b"PK\x03\x04 truncated"), ("尾部.docx", b"PK\x05\x06" + b"\x00" * 5)):
            with self.subTest(name=name):
                (self.folder / name).write_bytes(data)
                result = run_import_report(self.folder, self.folder / name)["by_name"][name]
                self.assertEqual(result["status"], "failed")
                self.assertIn("不是有效的 Word", result["reason"])
