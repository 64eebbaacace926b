"""Benchmark of supervision's pages: the public 绩效评估 page and the admin 督办 board on a county
of 2,000 units and 100,000 items, against the portal's own pages in the same run.

Run with ``make bench-supervision`` (``--units 200 --items 10000`` for a quick run, which writes
bench/results/supervision-quick.json; ``BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432`` for
PostgreSQL, in a database of its own that it drops afterwards). It migrates a temporary
database and seeds the demo county with ``seed_demo --bulk-items`` (townships and villages
sized to the number of units), then writes every unit's obligations (应公开事项) since the start
of last year: with the obligations engine (``supervision.obligations.rebuild``) where it is
installed, else bulk-created as the engine leaves them (one per period of each periodic and
standing entry, one per item of an ad hoc entry; statuses drawn in a county's proportions).

Measured in-process through Django's test client (middleware, routing, views, templates; no
network), p50/p95 of:

- ``/zh-hans/performance/``: the year, each quarter, and townships' pages, **warm** (asked
  again: the figures cached) and **first after a change** (an obligation saved before each
  request: the cached figures are obsolete and computed anew);
- ``/admin/supervision/board/`` as a county-office user, the same two ways (reported as not
  measured when that route is not built);
- baselines: a township's unit page and the participation ledger (``/zh-hans/opinions/``).

Target: p95 ≤ 300 ms for both pages, warm and after a change. Prints a table, writes
bench/results/supervision.json, and exits with status 1 when a target is missed or could not be
measured. Timings are wall-clock with DEBUG off on a shared two-core machine (the load average
is recorded).
"""

import argparse
import importlib.util
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from api_bench import drop_postgres_database, fresh_postgres_database, percentiles  # bench/ is the script's folder

# The participation bench's Django set-up and page timer (loaded under another name: its own,
# ``participation``, is the app's).
_spec = importlib.util.spec_from_file_location("participation_bench", Path(__file__).with_name("participation.py"))
participation_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(participation_bench)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGET_P95_MS = 300
DEPARTMENTS = 22
# A county's obligations, once their deadline has passed.
STATUS_WEIGHTS = {"on_time": 72, "late": 16, "missing": 12}


def county_shape(units):
    """(townships, villages per township) giving about ``units`` units with the county and its 22 departments."""
    rest = max(units - 1 - DEPARTMENTS, 2)
    townships = max(1, round(rest / 50))
    return townships, max(0, round(rest / townships) - 1)


def seed_county(units, items):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    townships, villages = county_shape(units)
    started = time.perf_counter()
    call_command("seed_demo", townships=townships, villages_per_township=villages, departments=DEPARTMENTS, bulk_items=items,
                 skip_index=True, no_files=True, quiet=True, stdout=io.StringIO())
    return time.perf_counter() - started


# -- obligations --------------------------------------------------------------------------------


def write_obligations(county, rng):
    """Every unit's obligations since the start of last year; (how, seconds)."""
    try:
        from supervision import obligations
    except ImportError:
        obligations = None
    started = time.perf_counter()
    if obligations is not None and hasattr(obligations, "rebuild"):
        obligations.rebuild(county)
        return "supervision.obligations.rebuild", time.perf_counter() - started
    bulk_obligations(county, rng)
    return "bulk_create (the obligations engine is not installed)", time.perf_counter() - started


def periods_of(entry, start, end, standing_months=6):
    """(period start, period end, due on) of a periodic or standing entry from ``start`` to ``end``."""
    from disclosure_pages.choices import TimingKind

    from supervision.periods import months_in, spans_between

    months = standing_months if entry.timing == TimingKind.STANDING else months_in(entry.period)
    for span in spans_between(start, end, months):
        yield span.start, span.end, span.end + timedelta(days=10)


def bulk_obligations(county, rng):
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from disclosure_pages.choices import TimingKind
    from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
    from supervision.models import Obligation

    today = timezone.localdate()
    start = date(today.year - 1, 1, 1)
    units = list(UnitPage.objects.filter(locale=Locale.get_default(), path__startswith=county.path).order_by("path"))
    by_path = {unit.path: unit for unit in units}
    entries = {}
    for entry in CatalogueEntry.objects.select_related("area"):
        entries.setdefault(entry.area.catalogue_id, []).append(entry)
    items = {}
    for pk, unit_id, entry_id, published in DisclosureItemPage.objects.filter(
        catalogue_entry__timing=TimingKind.AD_HOC, publish_date__gte=start
    ).values_list("pk", "unit_id", "catalogue_entry_id", "publish_date"):
        items.setdefault(unit_id, []).append((pk, entry_id, published))
    timings = {entry.pk: entry for entries_of in entries.values() for entry in entries_of}

    def status(due_on):
        if due_on >= today:
            return "due"
        return rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]

    rows = []
    for unit in units:
        section = by_path.get(unit.path[: len(county.path) + county.steplen], county) if unit.pk != county.pk else county
        for entry in entries.get(unit.catalogue_id, []):
            if entry.unit_id not in (None, unit.pk) or entry.timing not in (TimingKind.PERIODIC, TimingKind.STANDING):
                continue
            for period_start, period_end, due_on in periods_of(entry, start, today):
                state = status(due_on)
                rows.append(Obligation(
                    unit=unit, section=section, entry=entry, timing=entry.timing, period_start=period_start, period_end=period_end,
                    due_on=due_on, status=state, met_on=due_on - timedelta(days=rng.randint(0, 9)) if state == "on_time" else None,
                ))
        for pk, entry_id, published in items.get(unit.pk, []):
            entry = timings[entry_id]
            due_on = published + timedelta(days=entry.deadline_days or 7)
            rows.append(Obligation(unit=unit, section=section, entry=entry, timing=entry.timing, period_start=published,
                                   period_end=published, due_on=due_on, subject_id=pk, status=status(due_on)))
    with transaction.atomic():
        Obligation.objects.bulk_create(rows, batch_size=2000)


# -- the pages ------------------------------------------------------------------------------------


def office_user(county):
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username="bench-county-office")
    user.groups.add(county.officers_group)
    return user


def urls(county):
    """{name: (urls, signed in)} of the pages measured and the baselines; the routes not built."""
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone, translation
    from wagtail.models import Locale

    from disclosure_pages.choices import UnitType
    from disclosure_pages.models import UnitPage

    year = timezone.localdate().year
    townships = list(UnitPage.objects.filter(locale=Locale.get_default(), unit_type=UnitType.TOWNSHIP).order_by("path")[:8])
    measured, missing = {}, []
    with translation.override("zh-hans"):
        page = reverse("supervision:performance")
        measured["performance_page"] = ([page, f"{page}?year={year}"] + [f"{page}?year={year}&quarter={q}" for q in range(1, 5)]
                                        + [f"{page}?year={year}&section={unit.pk}" for unit in townships], False)
        try:
            board = reverse("supervision_board:board")
            measured["admin_board"] = ([board] + [f"{board}?section={unit.pk}" for unit in townships[:4]], True)
        except NoReverseMatch:
            missing.append("admin_board (supervision_board:board)")
        baselines = {"baseline_unit_page": ([unit.url for unit in townships] or [county.url], False)}
        try:
            ledger = reverse("participation:ledger")
            baselines["baseline_participation_ledger"] = ([ledger] + [f"{ledger}?unit={unit.pk}" for unit in townships[:4]], False)
        except NoReverseMatch:
            pass
    return measured, baselines, missing


def one(client, url):
    began = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - began) * 1000, response.status_code


def measure(client, urls, rounds, change):
    """Warm: each URL asked once, then ``rounds`` more times (the later ones timed). After a
    change: ``change()`` before each request (untimed), ``rounds`` passes."""
    for url in urls:
        one(client, url)
    warm = [one(client, url) for _ in range(rounds) for url in urls]
    after = []
    for _ in range(rounds):
        for url in urls:
            change()
            after.append(one(client, url))
    return {
        "urls": len(urls),
        "warm": percentiles([ms for ms, _ in warm]),
        "after_change": percentiles([ms for ms, _ in after]),
        "errors": sum(status != 200 for _, status in warm + after),
    }


def obligation_changer(rng):
    """Saving an obligation (its status flipped between on time and late): the signals move the cached figures on."""
    from supervision.models import Obligation

    pool = list(Obligation.objects.filter(status__in=["on_time", "late"]).values_list("pk", flat=True)[:500])

    def change():
        obligation = Obligation.objects.get(pk=rng.choice(pool))
        obligation.status = "late" if obligation.status == "on_time" else "on_time"
        obligation.save(update_fields=["status", "updated_at"])

    return change


# -- the run ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed passes over each page's URLs, warm and after a change")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES"),
                        help="a PostgreSQL server URL (postgres://user@host:port): the bench creates and drops its own database there")
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="supervision-bench-"))
    server = participation_bench.postgres_server(options)
    database = fresh_postgres_database(server) if server else None
    participation_bench.setup_django(database or f"sqlite:///{work / 'bench.sqlite3'}", work / "media")
    try:
        results = run(options)
    finally:
        from django.db import connections

        connections.close_all()
        if database:
            drop_postgres_database(database)
    results.update({
        "database": "PostgreSQL" if database else "SQLite (file, WAL)",
        "measured_through": "Django's test client, in-process (middleware, routing, views, templates; no network)",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    })
    name = "supervision" if (options.units, options.items) == (2000, 100_000) else "supervision-quick"
    results_file = RESULTS / f"{name}{'-postgres' if database else ''}.json"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    report(results)
    print(f"\nWritten to {results_file.relative_to(ROOT)}")
    return 0 if results["targets"] and all(results["targets"].values()) else 1


def run(options):
    from django.test import Client
    from wagtail.models import Locale

    from disclosure_pages.models import DisclosureItemPage, UnitPage
    from supervision.models import Obligation

    rng = random.Random(18)
    print(f"Seeding a county of about {options.units:,} units and {options.items:,} items …", flush=True)
    seed_seconds = seed_county(options.units, options.items)
    county = UnitPage.objects.filter(locale=Locale.get_default()).order_by("depth", "path").first()
    print("Writing the obligations …", flush=True)
    how, obligation_seconds = write_obligations(county, rng)
    load_before = os.getloadavg()[0]

    measured, baselines, missing = urls(county)
    anonymous, office = Client(), Client()
    office.force_login(office_user(county))
    change = obligation_changer(rng)
    pages = {}
    for name, (page_urls, signed_in) in {**measured, **baselines}.items():
        print(f"Measuring {name} …", flush=True)
        pages[name] = measure(office if signed_in else anonymous, page_urls, options.rounds, change)
    targets = {}
    for name in ("performance_page", "admin_board"):
        label = f"{name} p95 <= {TARGET_P95_MS} ms (warm and first after a change)"
        targets[label] = (name in pages and pages[name]["errors"] == 0
                          and max(pages[name]["warm"]["p95_ms"], pages[name]["after_change"]["p95_ms"]) <= TARGET_P95_MS)
    return {
        "units": UnitPage.objects.filter(locale=Locale.get_default()).count(),
        "items": DisclosureItemPage.objects.filter(locale=Locale.get_default()).count(),
        "obligations": Obligation.objects.count(),
        "obligations_written_by": how,
        "seed_seconds": round(seed_seconds, 1),
        "obligation_seconds": round(obligation_seconds, 1),
        "pages": pages,
        "not_measured": missing,
        "targets": targets,
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }


def report(results):
    print(f"\nSupervision pages: {results['units']:,} units, {results['items']:,} items, {results['obligations']:,} obligations "
          f"({results['database']}; obligations by {results['obligations_written_by']}); "
          f"load {results['load_average_1min']['before']} → {results['load_average_1min']['after']}")
    print(f"{'page':<32}{'urls':>5}{'warm p50':>10}{'warm p95':>10}{'change p50':>12}{'change p95':>12}{'errors':>8}")
    for name, row in results["pages"].items():
        print(f"{name:<32}{row['urls']:>5}{row['warm']['p50_ms']:>10}{row['warm']['p95_ms']:>10}"
              f"{row['after_change']['p50_ms']:>12}{row['after_change']['p95_ms']:>12}{row['errors']:>8}")
    for name in results["not_measured"]:
        print(f"{name:<32} not built yet: not measured")
    for target, met in results["targets"].items():
        print(f"  {'✓' if met else '✗'} {target}")


if __name__ == "__main__":
    sys.exit(main())
