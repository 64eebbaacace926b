"""Latency of a search for a few common words on an existing, indexed database (PostgreSQL or SQLite).

Run with ``BENCH_DATABASE_URL=postgres://…/name python bench/search_words_bench.py``: the
database must hold a county seeded with ``seed_demo --bulk-items`` and indexed (as
bench/search_bench.py leaves it with BENCH_DATABASE_URL). For each word: the results page's
search (``search.service.search``: first page, exact total, facets, highlights) 15 times after
one warm-up, p50/p95 in ms, with the load average beside it (other work on the machine moves
every figure). Writes bench/results/search-words-<vendor>.json (``OUT`` to name another file).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = ["党员", "公开", "党务公开", "2024年", "通知"]
RUNS = 15


def main():
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev", DEBUG="0", DATABASE_URL=os.environ["BENCH_DATABASE_URL"],
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from search import service
    from search.models import SearchDocument

    anonymous = AnonymousUser()
    report = {
        "database": connection.vendor,
        "documents": SearchDocument.objects.filter(locale="zh-hans").count(),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "words": {},
    }
    for word in WORDS:
        service.search({"q": word}, anonymous, "zh-hans")  # warm: the facet columns, the database's pages
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            results = service.search({"q": word}, anonymous, "zh-hans")
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        report["words"][word] = {
            "hits": results.count,
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[round(0.95 * (len(times) - 1))], 1),
            "load_average_1min": round(os.getloadavg()[0], 2),
        }
    print(f"Search by word: {report['documents']:,} documents ({report['database']})")
    print(f"  {'word':<8}{'hits':>8}{'p50 ms':>9}{'p95 ms':>9}{'load':>7}")
    for word, row in report["words"].items():
        print(f"  {word:<8}{row['hits']:>8,}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['load_average_1min']:>7}")
    out = Path(os.environ.get("OUT") or ROOT / "bench" / "results" / f"search-words-{connection.vendor}.json")
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
