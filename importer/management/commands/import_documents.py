"""``manage.py import_documents``: legacy .txt, .html and .docx files in, as draft items of a unit (see importer.service)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from disclosure_pages.choices import Stage

from ...readers import find_files
from ...report import ProgressBar
from ...service import (
    IMPORT_SCOPES,
    SCRIPT_CHOICES,
    DocumentImporter,
    ImportOptionError,
    ImportOptions,
    resolve_catalogue_entry,
    resolve_choice,
    resolve_unit,
)


class Command(BaseCommand):
    help = "导入历史公开文档（.txt、.html、.htm、.docx 文件或文件夹），清理后作为单位的草稿事项，不会发布。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹（文件夹内逐层查找）")
        parser.add_argument("--unit", help="单位编码，例如 QX-CGZ（必填）")
        parser.add_argument("--catalogue", metavar="ENTRY", help="所属目录条目：条目编号（如 C05）或 ID，须在该单位的公开目录中")
        parser.add_argument("--stage", default=Stage.OTHER, help="公开阶段：pre、decision、result、other（默认 other）")
        parser.add_argument("--scope", help="公开范围：public、party、unit（默认取目录条目的默认范围，否则 public）")
        parser.add_argument("--script", default="auto", help="正文文字：auto（自动识别，默认）、zh-hans、zh-hant")
        parser.add_argument("--dry-run", action="store_true", help="只检查并输出报告，不写入数据库")
        parser.add_argument("--report", metavar="FILE", help="另将报告以 JSON 写入此文件")

    def handle(self, *args, **options):
        try:
            import_options = self._import_options(options)
        except ImportOptionError as error:
            raise CommandError(str(error)) from None
        report_path = options["report"]
        if report_path and not Path(report_path).resolve().parent.is_dir():
            raise CommandError(f"无法写入报告文件“{report_path}”：所在文件夹不存在。")

        files = find_files(options["paths"])
        progress = None
        if len(files) > 1 and self.stderr.isatty():
            bar = ProgressBar(len(files), lambda text: self.stderr.write(text, ending=""))
            progress = bar.update
        report = DocumentImporter(import_options).import_paths(files, progress=progress)
        if progress:
            bar.close()

        self.stdout.write(report.table())
        self.stdout.write(report.summary())
        if report_path:
            try:
                report.write_json(report_path)
            except OSError as error:
                raise CommandError(f"无法写入报告文件“{report_path}”：{error.strerror or error}。") from None
            self.stdout.write(f"报告已写入 {report_path}。")

    @staticmethod
    def _import_options(options):
        if not options["unit"]:
            raise ImportOptionError("请用 --unit 指定导入到哪个单位（单位编码）。")
        unit = resolve_unit(options["unit"])
        entry = resolve_catalogue_entry(unit, options["catalogue"]) if options["catalogue"] else None
        return ImportOptions(
            unit=unit,
            catalogue_entry=entry,
            stage=resolve_choice(options["stage"], Stage.choices, "--stage"),
            scope=resolve_choice(options["scope"], IMPORT_SCOPES, "--scope") if options["scope"] else None,
            script=resolve_choice(options["script"], [(choice, choice) for choice in SCRIPT_CHOICES], "--script"),
            dry_run=options["dry_run"],
        )
