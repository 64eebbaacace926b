"""Benchmark of ``manage.py import_documents``: 2,000 generated legacy documents into a fresh database.

Run with ``make bench-import``. It writes a folder of .txt, scraped .txt, .html and .docx
documents (about one in ten in Traditional script) from the templates below, migrates a
temporary SQLite database, seeds a one-township county, imports the folder, imports it
again (every file unchanged), prints a table and writes bench/results/import.json. The SQL
statements each run sends are counted too: on a shared machine the rate varies with the
load, the count does not.
Exits with status 1 when the first import is slower than 50 documents per second.
"""

import io
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "import.json"
DOCUMENTS = 2000
TARGET_RATE = 50  # documents per second

# -- the documents ------------------------------------------------------------------------------

TOPICS = [
    ("关于{year}年第{quarter}季度党费收缴使用情况的公示", "党费"),
    ("关于召开{year}年度专题民主生活会情况的通报", "民主生活会"),
    ("关于{name}等同志列为发展对象的公示", "发展党员"),
    ("{year}年党务公开工作要点", "党务公开"),
    ("关于开展“三会一课”落实情况督查的通知", "三会一课"),
    ("关于{year}年为民办实事项目进展情况的报告", "为民办实事"),
]
SECTIONS = ["一、基本情况", "二、主要做法", "三、存在的问题", "四、下一步工作打算"]
SENTENCES = [
    "{unit}党委坚持把{topic}作为加强基层党组织建设的重要抓手，按照“公开是常态、不公开是例外”的要求，逐项明确责任人和完成时限。",
    "截至{month}月底，全镇共有党员{members}名，其中预备党员{probationers}名，{topic}相关事项已在党务公开栏和门户网站同步公开。",
    "各村（社区）党支部结合实际制定了工作计划，召开支部委员会{meetings}次、党员大会{assemblies}次，听取党员群众意见建议{opinions}条。",
    "对党员群众反映的问题，镇党委逐条建立台帐，已办结{closed}条，正在办理{open}条，办理结果在公开栏中逐项“销号”。",
    "（{ordinal}）强化监督检查。镇纪委采取随机抽查、明察暗访等方式开展督查，发现问题{issues}个，均已督促整改到位。",
    "在{topic}工作中，还存在个别支部公开内容不够具体、公开时间不够及时等问题，需要在今后工作中认真加以解决。",
    "下一步，我们将进一步规范公开程序，严格落实“草拟、审核、公示、反馈”四个环节，切实保障党员的知情权、参与权和监督权。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "志强", "丽华", "海燕", "明亮", "春梅", "国庆", "红霞", "文斌"]
ORDINALS = "一二三四五六七八九十"
FURNITURE_HEAD = ["首页", "下载文档", "ID:{id}", "大小:{size}KB", "页数:{pages}页", "格式:DOCX", "时间:{iso}"]
FURNITURE_TAIL = ["第{pages}页 共{pages}页", "此文档下载收益归作者所有", "温馨提示:", "1. 本文档由用户上传,版权归属用户,本站负责整理代发布。", "下载文档"]


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def document(number, rng):
    """Title, 文号, paragraphs and date of one made-up document (its number keeps it unique)."""
    signed = date(2015, 1, 1) + timedelta(days=rng.randint(0, 3300))
    template, topic = TOPICS[number % len(TOPICS)]
    name = rng.choice(SURNAMES) + rng.choice(GIVEN)
    title = template.format(year=signed.year, quarter=rng.randint(1, 4), name=name) + f"（第{number}号）"
    values = {
        "unit": "城关镇", "topic": topic, "month": signed.month, "members": rng.randint(300, 1800),
        "probationers": rng.randint(3, 40), "meetings": rng.randint(4, 30), "assemblies": rng.randint(2, 12),
        "opinions": rng.randint(10, 200), "closed": rng.randint(5, 90), "open": rng.randint(0, 20), "issues": rng.randint(1, 15),
    }
    paragraphs = []
    for section in SECTIONS[: rng.randint(2, 4)]:
        paragraphs.append(section)
        for position, sentence in enumerate(rng.sample(SENTENCES, rng.randint(2, 4))):
            paragraphs.append(sentence.format(ordinal=ORDINALS[position], **values))
    number_line = f"城党发〔{signed.year}〕{number}号" if number % 3 == 0 else ""
    return title, number_line, paragraphs, signed


def write_documents(folder, count, seed=20240601):
    """Write ``count`` documents in rotating kinds; returns how many of each kind."""
    from docx import Document as WordDocument
    from opencc import OpenCC

    to_traditional = OpenCC("s2t")
    rng = random.Random(seed)
    kinds = {}
    for number in range(1, count + 1):
        title, number_line, paragraphs, signed = document(number, rng)
        lines = ([number_line] if number_line else []) + [title, *paragraphs, "中共城关镇委员会", chinese_date(signed)]
        kind = ["txt", "scraped", "html", "docx"][number % 4]
        if rng.random() < 0.1:  # about one in ten in Traditional script
            lines = [to_traditional.convert(line) for line in lines]
            kind += "-traditional"
        stem = folder / f"{number:04d}"
        if kind.startswith("docx"):
            word = WordDocument()
            for line in lines:
                word.add_paragraph(line)
            word.save(stem.with_suffix(".docx"))
        elif kind.startswith("html"):
            body = "".join(f"<p>{line.replace('“', '&ldquo;').replace('”', '&rdquo;')}</p>\n" for line in lines)
            page = f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title><style>p{{margin:0}}</style></head><body>{body}</body></html>"
            stem.with_suffix(".html").write_text(page, encoding="utf-8")
        elif kind.startswith("scraped"):
            furniture = {"id": 1000000 + number, "size": f"{rng.uniform(10, 40):.2f}", "pages": rng.randint(2, 9), "iso": signed.isoformat()}
            head = [line.format(**furniture) for line in FURNITURE_HEAD]
            tail = [line.format(**furniture) for line in FURNITURE_TAIL]
            stem.with_suffix(".txt").write_text("\n".join(head + lines + tail), encoding="utf-8")
        else:
            stem.with_suffix(".txt").write_text("\n\n".join(lines), encoding="utf-8")
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


# -- the run ------------------------------------------------------------------------------------


def run_import(folder, unit_code, report_path):
    from django.core.management import call_command
    from django.db import connection

    statements = 0

    def count(execute, sql, params, many, context):
        # A counter costs nothing next to the statement it counts: the run is timed as it is.
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    started, cpu_started = time.monotonic(), time.process_time()
    with connection.execute_wrapper(count):
        call_command("import_documents", str(folder), unit=unit_code, report=str(report_path), stdout=io.StringIO())
    wall, cpu = time.monotonic() - started, time.process_time() - cpu_started
    report = json.loads(report_path.read_text(encoding="utf-8"))
    files = len(report["files"])
    return {
        "seconds": round(wall, 2),
        "documents_per_second": round(files / wall, 1),
        # What one free core would do: the wall rate falls when other work shares the machine.
        "cpu_seconds": round(cpu, 2),
        "documents_per_cpu_second": round(files / cpu, 1),
        # Every statement sent through Django (savepoints and BEGIN included; COMMIT is not one).
        "queries_per_document": round(statements / files, 1),
        "counts": report["counts"],
    }


def main():
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from disclosure_pages.choices import UnitType
        from disclosure_pages.models import UnitPage

        print(f"Database: {os.environ['DATABASE_URL']} (migrating, seeding a one-township county)")
        call_command("migrate", verbosity=0, interactive=False)
        call_command(
            "seed_demo", townships=1, villages_per_township=0, departments=0, items_per_unit=0, skip_index=True, quiet=True,
            stdout=io.StringIO(),
        )
        unit_code = UnitPage.objects.get(unit_type=UnitType.TOWNSHIP).code

        folder = workdir / "documents"
        folder.mkdir()
        started = time.monotonic()
        kinds = write_documents(folder, DOCUMENTS)
        print(f"Generated {DOCUMENTS} documents in {time.monotonic() - started:.1f} s: {kinds}")

        first = run_import(folder, unit_code, workdir / "first.json")
        again = run_import(folder, unit_code, workdir / "again.json")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    passed = first["documents_per_second"] >= TARGET_RATE and first["counts"]["created"] == DOCUMENTS
    results = {
        "benchmark": "import_documents",
        "command": "make bench-import",
        "date": date.today().isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": round(load_before, 2),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "database": "SQLite (temporary file)",
        "documents": DOCUMENTS,
        "kinds": kinds,
        "first_import": first,
        "re_import": again,
        "target_documents_per_second": TARGET_RATE,
        "passed": passed,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"\n{'run':<14}{'seconds':>9}{'docs/s':>9}{'CPU s':>9}{'docs/CPU s':>12}{'queries/doc':>13}  counts")
    for label, run in (("first import", first), ("re-import", again)):
        counts = ", ".join(f"{status} {number}" for status, number in run["counts"].items() if number)
        print(
            f"{label:<14}{run['seconds']:>9.1f}{run['documents_per_second']:>9.1f}"
            f"{run['cpu_seconds']:>9.1f}{run['documents_per_cpu_second']:>12.1f}{run['queries_per_document']:>13.1f}  {counts}"
        )
    print(f"load average before the run: {load_before:.2f} on {os.cpu_count()} CPUs")
    print(f"\ntarget: >= {TARGET_RATE} documents/s on the first import, all {DOCUMENTS} created: {'PASS' if passed else 'FAIL'}")
    print(f"results: {RESULTS.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
