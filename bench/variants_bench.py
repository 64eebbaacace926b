"""Benchmark of the other-script variant sync: one 3,000-character item, in a fresh database.

Run with ``make bench-variants``. It migrates a temporary SQLite database, seeds a
one-township county (and gives the township its variant, as ``make run`` does in the
background), writes an item of about 3,000 characters (text, a table, headings), and
measures, each several times:

- OpenCC on the text alone;
- publishing a new item, which makes and publishes its variant in the same step; and the
  first sync alone (``sync_variant`` of a live item without a variant);
- the re-sync after an edit (target: under 50 ms): one sentence of the body and a table cell
  changed in the admin's way (the blocks keep their ids) and published without the variant
  sync, then ``sync_variant`` of the page that publish produced (what the receiver does):
  it stores the new segments, converts the new strings, and saves and publishes the
  variant, which then matches the source; and the whole publish of such an edit, source
  and variant in one step;
- the source's own publish of such an edit without the variant sync, for context;
- a re-sync with nothing changed (the idempotent path).

Timings are wall-clock with DEBUG off, as in production (with DEBUG on, Django records
every query and on SQLite runs one more query each to do so); the SQL queries of each step
are counted in one more round. The steps take turns, one sample each per round, so that a
slower stretch of the machine weighs on all of them alike. After each edit the variant is
read back from the database and must hold the converted edit, live and without unpublished
changes. The machine has two cores shared with other work, so run it more than once. Prints
a table and writes bench/results/variants.json.
"""

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "variants.json"
RUNS = 11
TARGET_MS = 50
SENTENCES = [
    "镇党委坚持把发展党员工作作为加强基层组织建设的重要内容，严格按照原则和程序办理。",
    "广大党员干部积极参与，范围覆盖全镇各村（社区），系统梳理了群众反映的问题。",
    "后来经支部大会讨论，同意将该同志列为发展对象，并在公开栏公示七天。",
    "本年度共收缴党费12580.50元，其中上缴县委组织部6290元，其余用于为党员服务。",
]


def item_body(length, revision=0):
    """The body of about ``length`` characters; ``revision`` > 0 rewrites one sentence and one table cell."""
    paragraphs, text = [], ""
    index = 0
    while len(text) < length:
        sentence = SENTENCES[index % len(SENTENCES)]
        if revision and index == 5:
            sentence = f"第{revision}次修订：干部群众反映的问题已经全部办结。"
        text += sentence
        paragraphs.append(f"<p>{sentence}</p>")
        index += 1
    service = f"{6290 + revision}"
    return [
        ("rich_text", "<h2>一、基本情况</h2>" + "".join(paragraphs[: len(paragraphs) // 2])),
        ("table", {"data": [["项目", "金额（元）"], ["党费收缴", "12580.50"], ["服务群众支出", service]],
                   "first_row_is_table_header": True, "first_col_is_header": False, "table_caption": "党费收支"}),
        ("rich_text", "<h2>二、下一步工作</h2>" + "".join(paragraphs[len(paragraphs) // 2:])),
    ], text


def summary(samples):
    return {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2), "runs": len(samples)}


def main():
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext, override_settings
        from wagtail.models import Locale
        from wagtail.signals import page_published

        from chinese.conversion import convert
        from disclosure_pages.changes import item_changes
        from disclosure_pages.models import DisclosureItemPage, UnitPage
        from script_variants.signals import follow_item
        from script_variants.sync import sync_variant

        call_command("migrate", verbosity=0, interactive=False)
        call_command("seed_demo", townships=1, villages_per_township=0, departments=0, items_per_unit=0,
                     skip_index=True, quiet=True, stdout=open(os.devnull, "w"))
        township = UnitPage.objects.filter(unit_type="township", locale__language_code="zh-hans").first()
        hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        sync_variant(township)  # the units' variants exist before items are published, as after make run
        body, text = item_body(3000)
        characters = sum(len(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)) for _, value in body)
        convert("预热", "s2tw")

        published = []

        def remember(sender, instance, **kwargs):
            published.append(instance)

        @contextmanager
        def variant_sync_off():
            """The source's publish without the variant sync (the receiver that makes it); the
            page it publishes is kept: the receiver syncs that object (``published.pop()``)."""
            item_changes.disconnect(dispatch_uid="script_variants_item_changes")
            page_published.connect(remember, weak=False)
            try:
                yield
            finally:
                page_published.disconnect(remember)
                item_changes.connect(follow_item, dispatch_uid="script_variants_item_changes")

        counted, counts = [], []  # counting queries (not timing) while ``counted`` is not empty

        def stopwatch(step):
            """Seconds ``step()`` takes (and, when counting, its queries into ``counts``)."""
            if counted:
                connection.queries_log.clear()
                with CaptureQueriesContext(connection) as queries:
                    step()
                counts.append(len(queries))
                return 0
            started = time.perf_counter()
            step()
            return time.perf_counter() - started

        counter = iter(range(1, 10000))

        def new_item():
            item = DisclosureItemPage(title=f"党费收缴使用情况公示（{next(counter)}）", body=body, live=False)
            township.add_child(instance=item)
            revision = item.save_revision()
            return item, revision

        def opencc_text_only():
            return stopwatch(lambda: convert(text, "s2tw"))

        def publish_with_first_sync():
            item, revision = new_item()
            return stopwatch(revision.publish)  # publishing syncs the variant in the same step

        def first_sync():
            item, revision = new_item()
            with variant_sync_off():
                revision.publish()
            source = published.pop().specific
            return stopwatch(lambda: sync_variant(source))

        item, revision = new_item()
        revision.publish()
        edits = iter(range(1, 10000))

        def edit_and_save_revision():
            """The item with one sentence and one table cell changed, as an editor changes them
            in the admin (the blocks keep their ids), saved as a revision."""
            number = next(edits)
            item = DisclosureItemPage.objects.get(pk=revision.object_id)
            edited = item_body(3000, revision=number)[0]
            item.body = [{**block, "value": edited[index][1]} for index, block in enumerate(item.body.raw_data)]
            return item.save_revision(), number

        def check(number):
            """The variant in the database holds the edit, converted, and is live and up to date."""
            variant = DisclosureItemPage.objects.get(translation_key=item.translation_key, locale=hant)
            html = str(variant.body)
            assert f"第{number}次修訂：幹部群眾反映的問題已經全部辦結。" in html, "the edit did not reach the variant"
            assert str(6290 + number) in html and variant.live and not variant.has_unpublished_changes

        def source_publish_alone():
            edited, number = edit_and_save_revision()
            with variant_sync_off():
                elapsed = stopwatch(edited.publish)
            published.clear()
            return elapsed

        def resync_after_edit():
            edited, number = edit_and_save_revision()
            with variant_sync_off():
                edited.publish()
            source = published.pop().specific  # what the receiver would sync
            elapsed = stopwatch(lambda: sync_variant(source))
            check(number)
            return elapsed

        def publish_with_resync():
            edited, number = edit_and_save_revision()
            elapsed = stopwatch(edited.publish)
            check(number)
            return elapsed

        def resync_unchanged():
            source = DisclosureItemPage.objects.get(pk=revision.object_id)
            return stopwatch(lambda: sync_variant(source))

        # Each round takes one sample of every step in turn (resync_unchanged after an edit
        # has been synced), so that a slower stretch of the shared machine weighs on all steps
        # alike; then one more round counts the queries of each step.
        steps = [opencc_text_only, publish_with_first_sync, first_sync, source_publish_alone,
                 resync_after_edit, publish_with_resync, resync_unchanged]
        samples = {step.__name__: [] for step in steps}
        with override_settings(DEBUG=False):
            for _ in range(RUNS):
                for step in steps:
                    samples[step.__name__].append(step() * 1000)
        counted.append(True)
        queries = {}
        for step in steps:
            step()
            queries[step.__name__] = counts.pop()
        counted.clear()
        results = {"characters": characters, "target_ms": TARGET_MS}
        results.update({name: {**summary(values), "queries": queries[name]} for name, values in samples.items()})

    results["meets_target"] = results["resync_after_edit"]["median_ms"] < TARGET_MS
    print(f"Other-script variant sync, one item of {characters} characters ({RUNS} runs each, median; DEBUG off)")
    print(f"{'step':<44}{'median ms':>10}{'min ms':>9}{'queries':>9}")
    for key, label in [
        ("opencc_text_only", "OpenCC on the text alone"),
        ("publish_with_first_sync", "publish a new item + first sync"),
        ("first_sync", "first sync alone"),
        ("source_publish_alone", "publish an edit, source only (context)"),
        ("publish_with_resync", "publish an edit + re-sync"),
        ("resync_after_edit", f"re-sync after an edit (target {TARGET_MS} ms)"),
        ("resync_unchanged", "re-sync, nothing changed"),
    ]:
        row = results[key]
        print(f"{label:<44}{row['median_ms']:>10.1f}{row['min_ms']:>9.1f}{row['queries']:>9}")
    # The load average tells how busy the (shared) machine was while this ran.
    results["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "load_average_1min": round(os.getloadavg()[0], 2)}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
