"""Benchmark of the other-script variant sync: one 3,000-character item, in a fresh database.

Run with ``make bench-variants``. It migrates a temporary SQLite database, seeds a
one-township county, writes an item of about 3,000 characters (text, a table, headings),
and measures, each several times: OpenCC on the text alone; the first sync (the variant
is created and published); a re-sync after a one-sentence edit; and a re-sync with nothing
changed (the idempotent path). Prints a table and writes bench/results/variants.json.
"""

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "variants.json"
RUNS = 7
SENTENCES = [
    "镇党委坚持把发展党员工作作为加强基层组织建设的重要内容，严格按照原则和程序办理。",
    "广大党员干部积极参与，范围覆盖全镇各村（社区），系统梳理了群众反映的问题。",
    "后来经支部大会讨论，同意将该同志列为发展对象，并在公开栏公示七天。",
    "本年度共收缴党费12580.50元，其中上缴县委组织部6290元，其余用于为党员服务。",
]


def item_body(length):
    paragraphs, text = [], ""
    index = 0
    while len(text) < length:
        sentence = SENTENCES[index % len(SENTENCES)]
        text += sentence
        paragraphs.append(f"<p>{sentence}</p>")
        index += 1
    return [
        ("rich_text", "<h2>一、基本情况</h2>" + "".join(paragraphs[: len(paragraphs) // 2])),
        ("table", {"data": [["项目", "金额（元）"], ["党费收缴", "12580.50"], ["服务群众支出", "6290"]],
                   "first_row_is_table_header": True, "first_col_is_header": False, "table_caption": "党费收支"}),
        ("rich_text", "<h2>二、下一步工作</h2>" + "".join(paragraphs[len(paragraphs) // 2:])),
    ], text


def timed(action, runs=RUNS):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2), "runs": runs}


def main():
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from chinese.conversion import convert
        from disclosure_pages.models import DisclosureItemPage, UnitPage
        from script_variants.sync import sync_variant

        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", townships=1, villages_per_township=0, departments=0, items_per_unit=0,
                     skip_index=True, quiet=True, stdout=open(os.devnull, "w"))
        township = UnitPage.objects.filter(unit_type="township", locale__language_code="zh-hans").first()
        body, text = item_body(3000)
        characters = sum(len(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)) for _, value in body)

        convert("预热", "s2tw")
        results = {"characters": characters, "opencc_text_only": timed(lambda: convert(text, "s2tw"))}

        counter = iter(range(1000))

        def first_sync():
            item = DisclosureItemPage(title=f"党费收缴使用情况公示（{next(counter)}）", body=body, live=False)
            township.add_child(instance=item)
            item.save_revision()
            started = time.perf_counter()
            item.get_latest_revision().publish()  # publishing syncs the variant in the same step
            return time.perf_counter() - started

        with_variant = []
        for _ in range(RUNS):
            with_variant.append(first_sync() * 1000)
        results["publish_with_first_sync"] = {"median_ms": round(statistics.median(with_variant), 2), "runs": RUNS}

        item = DisclosureItemPage.objects.filter(locale=township.locale).live().last()

        def changed_sync():
            item.summary = f"摘要第{next(counter)}版"
            sync_variant(item)

        results["resync_after_edit"] = timed(changed_sync)
        results["resync_unchanged"] = timed(lambda: sync_variant(item))

    print(f"Other-script variant sync, one item of {characters} characters ({RUNS} runs each, median)")
    print(f"{'step':<32}{'median ms':>12}")
    for key, label in [("opencc_text_only", "OpenCC on the text alone"), ("publish_with_first_sync", "publish + first sync"),
                       ("resync_after_edit", "re-sync after an edit"), ("resync_unchanged", "re-sync, nothing changed")]:
        print(f"{label:<32}{results[key]['median_ms']:>12.1f}")
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
