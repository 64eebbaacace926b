"""Benchmark of the search: index build, latency and relevance, against stock Wagtail, in one run.

Run with ``make bench-search`` (``N=100000 make bench-search`` for the full size). It builds a
demo county with N items (``seed_demo --bulk-items``) in a temporary SQLite database, adds
the documents of ../shared/corpus as live items, and then measures:

- index build rate (items/s) on the database engine (ours: Wagtail's tables plus the item
  documents) and on the OpenSearch-compatible in-memory engine (osmem-server);
- query latency p50/p95 over a fixed query set for (a) stock Wagtail database search (first
  page + total, as a results page needs), (b) our query service on the database engine and
  (c) on the OpenSearch engine (both end to end: facets, highlights, labels), and the
  engine's own time for the same queries;
- relevance (recall@10, MRR) on a labelled query set made from phrases of the corpus
  paragraphs, queried in Simplified and in Traditional script, for stock Wagtail, ours on
  both engines, and how often jieba's search-mode segmentation would even match (every
  query token among the document's tokens), which is why bigrams were chosen;
- what stock Wagtail finds for a few words (found / items containing them) on the database
  and on the OpenSearch engine with Wagtail's standard mapping (N ≤ 20,000 only: slow).

On PostgreSQL (``BENCH_DATABASE_URL=postgres://…/name``): the county is seeded into that
database once and reused by later runs (seeded, corpus added and indexed only where missing);
stock Wagtail queries are stopped by ``statement_timeout``, the OpenSearch columns are left
out, and the results go to bench/results/search-postgres.json (search-postgres-N.json below
100,000 items).

Prints a table and writes bench/results/search.json. Exits with status 1 when a target is
missed at N = 100,000 (p95 ≤ 50 ms on the database engine, end to end ≤ 1.5 × the engine's
own time, recall@10 ≥ 0.95 in both scripts).
"""

import io
import json
import logging
import os
import platform
import random
import re
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = ROOT / "bench" / "results" / "search.json"
N = int(os.environ.get("N", "10000"))
# An existing database to seed once and reuse (PostgreSQL), instead of a temporary SQLite file.
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL")
TARGET_P95_MS = 50
TARGET_ENGINE_RATIO = 1.5
TARGET_RECALL = 0.95
QUERIES = [
    "党费", "党员", "民主评议", "发展对象", "主题党日", "三会一课", "村务公开", "换届选举", "公示", "通知",
    "2024年", "第一季度", "党支部书记", "组织生活会", "预备党员", "党务公开", "为民办实事", "村集体经济",
    "专题学习", "整改落实", "黨費", "黨務公開", "民主評議", "党费 公示", "党员 大会", "支部 学习",
    "党员发展对象", "关于召开", "情况的报告", "意见征集",
]
PROBE_WORDS = ["党务", "公开", "党务公开", "黨務"]
# The in-memory engine keeps every document in RAM (about 12 GB at 100,000 items with their
# analysed text): beyond this size the OpenSearch columns are measured at 10,000 only.
ENGINE_MAX = int(os.environ.get("ENGINE_MAX", "20000"))
ITEMS_PER_CORPUS_DOCUMENT = 12
# Stock Wagtail takes seconds a query at 100,000 items, minutes for some: each of its queries is
# stopped after this long and counted at this time (a miss for relevance).
STOCK_LIMIT_SECONDS = float(os.environ.get("STOCK_LIMIT", "5"))
stock_timeouts = Counter()


class TimedOut(Exception):
    pass


@contextmanager
def time_limit(seconds, kind):
    """Interrupt the query running after ``seconds`` (raises ``TimedOut``)."""
    from django.db import OperationalError, connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with postgres_time_limit(connection, seconds, kind):
            yield
        return
    deadline = time.perf_counter() + seconds
    connection.connection.set_progress_handler(lambda: int(time.perf_counter() > deadline), 100_000)
    try:
        yield
    except OperationalError as error:
        if "interrupt" not in str(error):
            raise
        stock_timeouts[kind] += 1
        raise TimedOut from error
    finally:
        connection.connection.set_progress_handler(None, 0)


@contextmanager
def postgres_time_limit(connection, seconds, kind):
    from django.db import OperationalError, transaction

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
            yield
    except OperationalError as error:
        if "statement timeout" not in str(error):
            raise
        stock_timeouts[kind] += 1
        raise TimedOut from error


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(function, repeat=1):
    """Milliseconds per call of ``function`` (and its last result)."""
    started = time.perf_counter()
    for _ in range(repeat):
        result = function()
    return (time.perf_counter() - started) * 1000 / repeat, result


def setup_django(database_url, search_url):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev", DEBUG="0", DATABASE_URL=database_url, SEARCH_URL=search_url,
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend", SEARCH_TIMEOUT="300",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # Stock Wagtail reads the same Wagtail tables our database backend writes.
    settings.WAGTAILSEARCH_BACKENDS["stock"] = {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
    settings.ALLOWED_HOSTS = ["*"]


def build_county():
    from django.core.management import call_command

    from disclosure_pages.models import DisclosureItemPage

    call_command("migrate", verbosity=0)
    if DATABASE_URL and DisclosureItemPage.objects.exists():
        return None  # seeded by an earlier run
    started = time.perf_counter()
    call_command("seed_demo", bulk_items=N, skip_index=True, quiet=True, stdout=io.StringIO())
    return time.perf_counter() - started


def add_corpus_items():
    """The corpus documents as live, public items of one township; returns {page id: text}."""
    from disclosure_pages.models import DisclosureItemPage, UnitPage
    from importer.documents import body_html, prepare_document
    from search.documents import plain_text

    unit = UnitPage.objects.filter(locale__language_code="zh-hans", depth=4).order_by("path").first()
    labelled = {}
    for path in sorted(CORPUS.glob("*.txt")):
        slug = "corpus-" + path.stem.replace(".", "-")
        added = DisclosureItemPage.objects.filter(slug=slug, locale=unit.locale).first()
        if added is not None:  # by an earlier run on the same database
            labelled[added.pk] = plain_text(added)
            continue
        prepared = prepare_document(path, path.read_bytes())
        body = [("rich_text", body_html(prepared.metadata.body))]
        title = (prepared.metadata.title or path.stem)[:250]
        item = DisclosureItemPage(title=title, body=body, slug=slug)
        item.unit = unit
        unit.add_child(instance=item)
        item.save_revision().publish()
        item = DisclosureItemPage.objects.get(pk=item.pk)
        labelled[item.pk] = plain_text(item)
    return labelled


def labelled_queries(labelled, seed=7):
    """Phrases of 6–10 characters from the corpus paragraphs, each labelled with its item."""
    rng = random.Random(seed)
    queries = []
    for page_id, text in labelled.items():
        # Runs of Chinese characters between punctuation: a phrase a reader might remember.
        runs = [run for run in re.findall(r"[\u4e00-\u9fff]+", text) if len(run) >= 8]
        for run in rng.sample(runs, min(ITEMS_PER_CORPUS_DOCUMENT, len(runs))):
            length = rng.randint(6, min(10, len(run)))
            start = rng.randint(0, len(run) - length)
            queries.append((run[start : start + length], page_id))
    return queries


def index_rate(backend_name):
    from django.core.management import call_command

    from disclosure_pages.models import DisclosureItemPage

    started = time.perf_counter()
    call_command("update_index", backend_name=backend_name, chunk_size=250, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    items = DisclosureItemPage.objects.count()
    return {"seconds": round(seconds, 1), "items": items, "items_per_second": round(items / seconds, 1)}


def latency(function, queries, repeat=1):
    times = []
    for query in queries:
        function(query)  # warm caches (OpenCC, SQLite pages) as a running site has them
        times.append(timed(lambda q=query: function(q), repeat)[0])
    return {"p50_ms": round(percentile(times, 0.5), 1), "p95_ms": round(percentile(times, 0.95), 1), "max_ms": round(max(times), 1)}


def relevance(rank_of, queries):
    """recall@10 and MRR of ``rank_of(query) -> ranked page ids`` over labelled queries."""
    hits = reciprocal = 0.0
    for text, page_id in queries:
        ranked = rank_of(text)[:10]
        if page_id in ranked:
            hits += 1
            reciprocal += 1 / (ranked.index(page_id) + 1)
    return {"recall_at_10": round(hits / len(queries), 3), "mrr": round(reciprocal / len(queries), 3), "queries": len(queries)}


def main():
    from osmem_server import OsmemServer

    workdir = Path(tempfile.mkdtemp(prefix="search-bench-"))
    server = OsmemServer.start(japanese=False)
    setup_django(DATABASE_URL or f"sqlite:///{workdir / 'bench.sqlite3'}", "opensearch://" + server.url.split("://", 1)[1])

    from django.contrib.auth.models import AnonymousUser
    from modelsearch.backends import get_search_backend
    from wagtail.models import Locale

    from chinese.analysis import normalise
    from chinese.conversion import convert
    from disclosure_pages.models import DisclosureItemPage
    from search import service
    from search.query import ItemQuery

    # Indexing the corpus items before the engine's index exists logs (and keeps) their updates.
    logging.disable(logging.CRITICAL)
    anonymous = AnonymousUser()
    print(f"Building a county with {N:,} items (seed_demo --bulk-items) …", flush=True)
    seed_seconds = build_county()
    labelled = add_corpus_items()
    seeded = "seeded by an earlier run" if seed_seconds is None else f"seeded in {seed_seconds:.0f} s"
    print(f"  {seeded}; {len(labelled)} corpus documents", flush=True)

    from search.models import SearchDocument

    print("Indexing …", flush=True)
    with_engine = N <= ENGINE_MAX and not DATABASE_URL
    if DATABASE_URL and SearchDocument.objects.count() >= DisclosureItemPage.objects.live().count():
        indexing = {"database": "indexed by an earlier run"}
    else:
        indexing = {"database": index_rate("database")}
    if with_engine:
        indexing["opensearch"] = index_rate("default")
        get_search_backend("default").refresh_indexes()

    def ours(backend_name):
        def run(text):
            from django.test import override_settings

            with override_settings(SUNSHINE_SEARCH_BACKEND=backend_name):
                return service.search({"q": text}, anonymous, "zh-hans")

        return run

    def engine_only(backend_name):
        backend = get_search_backend(backend_name)

        def run(text):
            return backend.search_items(ItemQuery(text=text, locale="zh-hans", audience=["public"]))

        return run

    # Stock Wagtail without its .public() filter: with thousands of members-only items that
    # filter grows past SQLite's expression depth limit (1000) and the query fails outright.
    stock_queryset = DisclosureItemPage.objects.live().filter(locale=Locale.objects.get(language_code="zh-hans"))

    def stock(text):
        try:
            with time_limit(STOCK_LIMIT_SECONDS, "latency"):
                results = stock_queryset.search(text, backend="stock")
                return list(results[:10]), results.count()
        except TimedOut:
            return None

    print("Timing queries …", flush=True)
    load_before = os.getloadavg()
    latencies = {
        "stock_wagtail_database": latency(stock, QUERIES),
        "ours_database": latency(ours("database"), QUERIES),
    }
    if with_engine:
        latencies["ours_opensearch"] = latency(ours("default"), QUERIES)
        engine_times = [engine_only("default")(text).engine_ms for text in QUERIES for _ in range(2)]
        latencies["opensearch_engine_own"] = {
            "p50_ms": round(percentile(engine_times, 0.5), 1), "p95_ms": round(percentile(engine_times, 0.95), 1),
            "max_ms": round(max(engine_times), 1),
        }
    database_engine = [engine_only("database")(text).engine_ms for text in QUERIES]
    latencies["database_engine_own"] = {
        "p50_ms": round(percentile(database_engine, 0.5), 1), "p95_ms": round(percentile(database_engine, 0.95), 1),
        "max_ms": round(max(database_engine), 1),
    }

    print("Relevance …", flush=True)
    queries = labelled_queries(labelled)
    traditional = [(convert(text, "s2t"), page_id) for text, page_id in queries]

    def ranked_ours(backend_name):
        backend = get_search_backend(backend_name)

        def run(text):
            answer = backend.search_items(ItemQuery(text=text, locale="zh-hans", audience=["public"], facets=False))
            return [hit.page_id for hit in answer.hits]

        return run

    def ranked_stock(text):
        try:
            with time_limit(STOCK_LIMIT_SECONDS, "relevance"):
                return [page.pk for page in stock_queryset.search(text, backend="stock")[:10]]
        except TimedOut:
            return []

    import jieba

    jieba.setLogLevel(60)
    segmented = {page_id: set(jieba.cut_for_search(normalise(text))) for page_id, text in labelled.items()}

    def jieba_matches(pairs):
        found = sum(
            1 for text, page_id in pairs
            if {t for t in jieba.cut_for_search(normalise(text)) if t.strip()} <= segmented[page_id]
        )
        return round(found / len(pairs), 3)

    relevance_results = {}
    for script, pairs in (("simplified", queries), ("traditional", traditional)):
        relevance_results[script] = {
            "stock_wagtail_database": relevance(ranked_stock, pairs),
            "ours_database": relevance(ranked_ours("database"), pairs),
            **({"ours_opensearch": relevance(ranked_ours("default"), pairs)} if with_engine else {}),
            "jieba_search_mode_and_match_rate": jieba_matches(pairs),
        }

    probes = probe_words(anonymous)
    server.close()

    total = DisclosureItemPage.objects.filter(locale__language_code="zh-hans").count()
    ratio = (
        latencies["ours_opensearch"]["p95_ms"] / max(latencies["opensearch_engine_own"]["p95_ms"], 0.1) if with_engine else None
    )
    from django.db import connection

    report = {
        "n_items": total,
        "database": connection.vendor,
        "load_average": {"before_timing": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()]},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": ("BENCH_DATABASE_URL=… " if DATABASE_URL else "") + f"N={N} make bench-search",
        "seed_seconds": round(seed_seconds, 1) if seed_seconds is not None else None,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "indexing": indexing,
        "latency": latencies,
        "end_to_end_over_engine_p95": round(ratio, 2) if ratio is not None else None,
        "relevance": relevance_results,
        "probe_words": probes,
        "targets": {"p95_ms_database": TARGET_P95_MS, "engine_ratio": TARGET_ENGINE_RATIO, "recall_at_10": TARGET_RECALL},
        "query_set": QUERIES,
        "stock_limit_seconds": STOCK_LIMIT_SECONDS,
        "stock_queries_stopped": dict(stock_timeouts),
    }
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    stem = "search-postgres" if connection.vendor == "postgresql" else "search"
    name = RESULTS.with_name(f"{stem}.json" if N >= 100_000 else f"{stem}-{N}.json")
    name.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten to {name.relative_to(ROOT)}")
    missed = [
        latencies["ours_database"]["p95_ms"] > TARGET_P95_MS,
        ratio is not None and ratio > TARGET_ENGINE_RATIO,
        any(r["ours_database"]["recall_at_10"] < TARGET_RECALL for r in relevance_results.values()),
    ]
    return 1 if N >= 100_000 and any(missed) else 0


def probe_words(user):
    """Found / containing for a few words: ours and stock Wagtail on both engines."""
    from django.conf import settings
    from django.core.management import call_command
    from modelsearch.backends import get_search_backend

    from chinese.analysis import normalise
    from wagtail.models import Locale

    from disclosure_pages.models import DisclosureItemPage
    from search.models import SearchDocument
    from search.query import ItemQuery

    texts = {
        pk: normalise(title + "\n" + text)
        for pk, title, text in SearchDocument.objects.filter(locale="zh-hans").values_list("page_id", "title", "text")
    }
    stock_opensearch = N <= 20_000
    if stock_opensearch:
        settings.WAGTAILSEARCH_BACKENDS["stock_opensearch"] = {
            **settings.WAGTAILSEARCH_BACKENDS["default"], "BACKEND": "wagtail.search.backends.opensearch3",
            "INDEX_PREFIX": "stock_", "AUTO_UPDATE": False,
        }
        call_command("update_index", backend_name="stock_opensearch", stdout=io.StringIO())
        get_search_backend("stock_opensearch").refresh_indexes()
    public = DisclosureItemPage.objects.live().filter(locale=Locale.objects.get(language_code="zh-hans"))
    probes = {}
    for word in PROBE_WORDS:
        containing = {pk for pk, text in texts.items() if normalise(word) in text}
        row = {"containing": len(containing)}
        answer = get_search_backend("database").search_items(
            ItemQuery(text=word, locale="zh-hans", audience=None, facets=False, limit=len(texts) or 1)
        )
        found = {hit.page_id for hit in answer.hits}
        row["ours_found"], row["ours_found_containing"] = len(found), len(found & containing)
        try:
            with time_limit(STOCK_LIMIT_SECONDS * 4, "probe"):
                stock = {page.pk for page in public.search(word, backend="stock")}
        except TimedOut:
            row["stock_database_error"] = f"stopped after {STOCK_LIMIT_SECONDS * 4:.0f} s"
            stock = set()
        except Exception as error:  # stock Wagtail's SQL outgrows SQLite's limits on large result sets
            row["stock_database_error"] = str(error)
            stock = set()
        row["stock_database_found"], row["stock_database_found_containing"] = len(stock), len(stock & containing)
        if stock_opensearch:
            stock_os = {page.pk for page in public.search(word, backend="stock_opensearch")[: len(texts) or 1]}
            row["stock_opensearch_found"], row["stock_opensearch_found_containing"] = len(stock_os), len(stock_os & containing)
        probes[word] = row
    return probes


def print_table(report):
    print(f"\nSearch benchmark: {report['n_items']:,} items (zh-hans), {report['database']}, {report['machine']['cores']} cores, "
          f"load average {report['load_average']['before_timing']} → {report['load_average']['after']}")
    print("\nIndex build            items/s    seconds")
    for name, row in report["indexing"].items():
        if isinstance(row, dict):
            print(f"  {name:<20} {row['items_per_second']:>8,.0f} {row['seconds']:>10}")
        else:
            print(f"  {name:<20} {row}")
    print("\nLatency (ms)                    p50     p95     max")
    for name, row in report["latency"].items():
        print(f"  {name:<28} {row['p50_ms']:>6} {row['p95_ms']:>7} {row['max_ms']:>7}")
    if report["end_to_end_over_engine_p95"] is not None:
        print(f"  end to end / engine's own p95 (OpenSearch): {report['end_to_end_over_engine_p95']}")
    else:
        print(f"  OpenSearch engine not measured above ENGINE_MAX={ENGINE_MAX:,} items (see search-10000.json)")
    if report["stock_queries_stopped"]:
        print(f"  stock Wagtail queries stopped at {report['stock_limit_seconds']:.0f} s (counted at that time): "
              + ", ".join(f"{count} in {kind}" for kind, count in report["stock_queries_stopped"].items()))
    print("\nRelevance                        recall@10    MRR")
    for script, rows in report["relevance"].items():
        for name, row in rows.items():
            if isinstance(row, dict):
                print(f"  {script:<12} {name:<24} {row['recall_at_10']:>6} {row['mrr']:>7}")
            else:
                print(f"  {script:<12} {name:<24} {row:>6}  (share of queries whose jieba tokens all occur in the item)")
    print("\nFound / containing")
    for word, row in report["probe_words"].items():
        parts = [f"ours {row['ours_found_containing']}/{row['containing']} (of {row['ours_found']} found)",
                 f"stock db {row['stock_database_found_containing']}/{row['containing']} (of {row['stock_database_found']})"
                 + (" error: " + row["stock_database_error"] if "stock_database_error" in row else "")]
        if "stock_opensearch_found" in row:
            parts.append(f"stock OpenSearch {row['stock_opensearch_found_containing']}/{row['containing']} (of {row['stock_opensearch_found']})")
        print(f"  {word:<6} " + "; ".join(parts))


if __name__ == "__main__":
    sys.exit(main())
