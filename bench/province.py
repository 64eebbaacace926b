"""Benchmark of a province-sized county: 10,000 units and 1,000,000 items on PostgreSQL, served
as production serves it.

Run with ``make bench-province`` (``ARGS="--units 2000 --items 100000"`` for a quicker run,
``ARGS=--reuse`` to measure a database built before). The database is
``$PROVINCE_DATABASE_URL`` (else ``$DATABASE_URL`` when it is PostgreSQL, else
``postgres://postgres@127.0.0.1:5432/sunshine_province``); it is kept afterwards, for ``--reuse``.
The build, timed step by step:

- ``migrate``, then ``seed_demo --bulk-items N`` (units and items written in bulk: see
  demo_county.bulk_units and demo_county.bulk_items; townships and villages sized to the
  number of units), which also rebuilds supervision's obligations once;
- the search index rebuilt (``update_index``): one of the figures.

Then gunicorn serves it (2 workers × 8 threads, ``cms.settings.production``, responses cached in
Redis at 127.0.0.1:6379 database 8 when it answers, no API rate limit) and one keep-alive client
measures, each URL asked ``--rounds`` times (the first time included), p50/p95 with the load
average before and after each row:

- admin, signed in (sessions written for bench users): the dashboard of a township's officer,
  its approver (leading group), the county reviewer (county leading group) and a superuser;
  the explorer (the officer's township, the county for the superuser); every chooser
  registered in the admin (the page chooser and the snippet, document, image and audience
  choosers present); admin search; the item edit view;
- public and API, anonymous: the portal home, township pages, the search page
  (bench/search_bench.py's queries: first each asked once with no large match kept, as after an
  index rebuild when nobody searched them before, then ``--rounds`` times), the API's list (by
  township) and detail.

Targets: every admin screen p95 ≤ 500 ms, every public or API request p95 ≤ 100 ms. Prints a
table, writes bench/results/province.json (``province-<units>-<items>.json`` for other sizes) and
exits with status 1 when a target is missed; ``--only TEXT`` measures only the rows whose name
contains it (``--only search``) and writes nothing. ``--quick`` builds a tiny county (SQLite when no
PostgreSQL is given, in a temporary directory) so that tests/bench can run the whole script.
"""

import argparse
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from api_bench import free_port, redis_answers  # bench/ is the script's folder
from search_bench import QUERIES

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/sunshine_province"
TARGETS_MS = {"admin": 500, "public": 100}
FIRST_SEARCHES = "search page: a word's first search"
REDIS_DB = 8


def percentiles(samples):
    """p50 and p95 (nearest rank: with few samples, the slowest), in ms."""
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[math.ceil(0.95 * len(ordered)) - 1], 1)}


def county_shape(units):
    """(departments, townships, villages per township) for about ``units`` units with the county."""
    departments = 22 if units >= 200 else 2
    rest = max(units - 1 - departments, 2)
    townships = max(1, round(rest**0.5))
    return departments, townships, max(0, round(rest / townships) - 1)


def database_url(options):
    if options.database:
        return options.database
    if options.quick:
        return f"sqlite:///{options.work / 'province.sqlite3'}"
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_DATABASE


def server_env(database, work, redis):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": database,
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "SECRET_KEY": os.environ.get("PROVINCE_SECRET_KEY") or secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(work / "media"),
        "API_RATE_ANON": "",
        "API_RATE_MEMBER": "",
        # The bench measures the pages, not the sign-in: its sessions are made directly, without a second factor.
        "OTP_REQUIRED_FOR": "",
        "PYTHONUNBUFFERED": "1",
    }
    env.setdefault("PUBLIC_BASE_URL", "http://127.0.0.1")
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = f"redis://127.0.0.1:6379/{REDIS_DB}"
    return env


def manage(args, env, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


# -- the build ------------------------------------------------------------------------------------


def ensure_postgres_database(url):
    """Create the database of ``url`` when missing; whether it was created."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        connection.execute(f'CREATE DATABASE "{name}"')
    return True


def database_size(url):
    if not url.startswith("postgres"):
        return None
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        return connection.execute("SELECT pg_size_pretty(pg_database_size(%s))", [name]).fetchone()[0]


def step(name, timings, function):
    print(f"{name} …", flush=True)
    load = os.getloadavg()[0]
    started = time.monotonic()
    output = function()
    timings[name] = {"seconds": round(time.monotonic() - started, 1), "load_1min": [round(load, 2), round(os.getloadavg()[0], 2)]}
    print(f"  {timings[name]['seconds']} s (load {load:.2f} → {os.getloadavg()[0]:.2f})", flush=True)
    return output


def seed_county(args, env):
    """``seed_demo`` with its progress passed on as it goes; its output."""
    process = subprocess.Popen([PYTHON, "manage.py", "seed_demo", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in process.stdout:
        lines.append(line)
        print(f"    {line}", end="", flush=True)
    if process.wait():
        raise subprocess.CalledProcessError(process.returncode, process.args)
    return "".join(lines)


def build(options, database, env):
    """Migrate, seed and index; the timings (seconds, load) of each step and the seed's own figures."""
    timings = {}
    dev = {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}  # the demo county is not among production's apps
    step("migrate", timings, lambda: manage(["migrate", "--noinput", "-v0"], env))
    departments, townships, villages = county_shape(options.units)
    seed = step("seed", timings, lambda: seed_county(
        ["--bulk-items", str(options.items), "--departments", str(departments), "--townships", str(townships),
         "--villages-per-township", str(villages), "--skip-index", "--no-files"],
        dev,
    ))
    # "用时 …：单位 U 秒，事项 I 秒（R 条/秒）…": the seed's own split between units and items.
    split = re.search(r"单位 ([\d.]+) 秒，事项 ([\d.]+) 秒", seed)
    if split:
        timings["seed"]["units_seconds"], timings["seed"]["items_seconds"] = float(split.group(1)), float(split.group(2))
    # One process per core (update_index --workers): the rebuild is mostly Python work per item.
    workers = str(os.cpu_count() or 1)
    step("update_index", timings, lambda: manage(["update_index", "--workers", workers], env, stdout=subprocess.DEVNULL))
    return timings


# -- what is measured -----------------------------------------------------------------------------


def setup_django(env):
    os.environ.update({key: value for key, value in env.items() if key in (
        "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ALLOW_SQLITE_IN_PRODUCTION", "SECRET_KEY", "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT", "MEDIA_ROOT", "REDIS_URL", "PUBLIC_BASE_URL", "OTP_REQUIRED_FOR",
    )})
    if "REDIS_URL" not in env:
        os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_user(username, groups=(), superuser=False):
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username=f"bench-province-{username}")
    user.is_active, user.is_superuser, user.is_staff = True, superuser, superuser
    user.save()
    user.groups.set([group for group in groups if group is not None])
    return user


def session_cookie(user):
    """A signed-in session for ``user``, as ``django.contrib.auth.login`` writes one."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The first backend that can load a user, as Django's test client takes (axes' backend only refuses).
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def choosers():
    """The choose URL of every chooser registered in the admin (the page chooser first)."""
    from django.urls import NoReverseMatch, get_resolver, reverse
    from wagtail.admin.viewsets import viewsets
    from wagtail.admin.viewsets.chooser import ChooserViewSet

    get_resolver().url_patterns  # the admin's URLs register its viewsets
    found = {"page": reverse("wagtailadmin_choose_page")}
    for viewset in viewsets.viewsets:
        if isinstance(viewset, ChooserViewSet):
            model = getattr(viewset, "model", None)
            try:
                found[model._meta.model_name if hasattr(model, "_meta") else viewset.name] = reverse(viewset.get_url_name("choose"))
            except NoReverseMatch:
                continue
    return found


def plan(samples):
    """{row name: (kind, role, [paths])}: what is measured, as whom (None: anonymous)."""
    from django.urls import reverse
    from django.utils import translation
    from wagtail.models import Locale

    from disclosure_pages.choices import UnitType
    from disclosure_pages.models import DisclosureItemPage, PortalPage, UnitPage
    from disclosure_pages.visibility import ANONYMOUS, visible_pages

    default = Locale.get_default()
    units = UnitPage.objects.filter(locale=default)
    county = units.filter(unit_type=UnitType.COUNTY).order_by("path").first()
    townships = list(
        units.filter(unit_type=UnitType.TOWNSHIP).order_by("path")[: max(2, samples // 2)]
    )
    township = townships[0]
    villages = list(UnitPage.objects.child_of(township).order_by("path")[:3])
    items = DisclosureItemPage.objects.filter(locale=default).only("pk")
    own_items = list(items.child_of(township).order_by("-path").values_list("pk", flat=True)[:samples])
    # What the public may read, by the one visibility rule: a random public-scope item may be a draft.
    public_items = list(visible_pages(items, ANONYMOUS).order_by("?").values_list("pk", flat=True)[:samples])

    roles = {
        "officer": bench_user("officer", [township.officers_group, township.members_group]),
        "approver": bench_user("approver", [township.leading_group, township.members_group]),
        "reviewer": bench_user("reviewer", [county.leading_group]),
        "superuser": bench_user("superuser", superuser=True),
    }
    words = QUERIES[:samples]
    rows = {}
    for role in roles:
        rows[f"dashboard ({role})"] = ("admin", role, [reverse("wagtailadmin_home")])
    rows["explorer: officer's township"] = ("admin", "officer", [reverse("wagtailadmin_explore", args=[township.pk])])
    rows["explorer: county (superuser)"] = ("admin", "superuser", [reverse("wagtailadmin_explore", args=[county.pk])])
    rows["explorer: village (superuser)"] = ("admin", "superuser", [reverse("wagtailadmin_explore", args=[v.pk]) for v in villages])
    for name, path in choosers().items():
        rows[f"chooser: {name} (officer)"] = ("admin", "officer", [path])
    rows["chooser: page, county (reviewer)"] = ("admin", "reviewer", [reverse("wagtailadmin_choose_page_child", args=[county.pk])])
    search = reverse("wagtailadmin_pages:search")
    rows["admin search (officer)"] = ("admin", "officer", [f"{search}?{urlencode({'q': word})}" for word in words[:5]])
    rows["admin search (superuser)"] = ("admin", "superuser", [f"{search}?{urlencode({'q': word})}" for word in words[:5]])
    rows["item edit (officer)"] = ("admin", "officer", [reverse("wagtailadmin_pages:edit", args=[pk]) for pk in own_items[:5]])
    rows["item edit (superuser)"] = ("admin", "superuser", [reverse("wagtailadmin_pages:edit", args=[pk]) for pk in public_items[:5]])

    portal = PortalPage.objects.filter(locale=default).first()
    with translation.override(default.language_code):
        search_page = reverse("search")
    rows["portal home"] = ("public", None, [portal.url])
    rows["township page"] = ("public", None, [unit.url for unit in townships])
    searches = [f"{search_page}?{urlencode({'q': word})}" for word in words]
    # Asked once each with no match kept (serve_and_measure empties KeptMatch): what the first
    # reader of a word pays after an index rebuild when nobody searched it before.
    rows[FIRST_SEARCHES] = ("public", None, searches, 1)
    rows["search page"] = ("public", None, searches)
    rows["API list (by township)"] = ("public", None, [f"/api/v2/disclosures/?{urlencode({'unit': t.pk, 'limit': 20})}" for t in townships])
    rows["API detail"] = ("public", None, [f"/api/v2/disclosures/{pk}/" for pk in public_items])
    cookies = {role: session_cookie(user) for role, user in roles.items()}
    return rows, cookies, {"township": township.title, "county": county.title}


class Client:
    """One keep-alive connection; ``get`` returns (status, milliseconds)."""

    def __init__(self, port):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path, cookie=None):
        headers = {"Host": "127.0.0.1"}
        if cookie:
            headers["Cookie"] = cookie
        started = time.perf_counter()
        try:
            self.connection.request("GET", quote(path, safe="/?=&%:"), headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            return 599, (time.perf_counter() - started) * 1000
        return response.status, (time.perf_counter() - started) * 1000


def wait_for(port, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port).get("/api/v2/units/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not come up")


def measure(client, rows, cookies, rounds):
    results = {}
    for name, (kind, role, paths, *times) in rows.items():
        load_before = os.getloadavg()[0]
        timings, statuses = [], []
        for _ in range(times[0] if times else rounds):
            for path in paths:
                status, elapsed = client.get(path, cookies.get(role))
                statuses.append(status)
                timings.append(elapsed)
        figures = percentiles(timings)
        row = {
            "kind": kind, "as": role or "anonymous", "urls": len(paths), "n": figures["n"],
            "p50_ms": figures["p50_ms"], "p95_ms": figures["p95_ms"], "target_p95_ms": TARGETS_MS[kind],
            "errors": sum(status != 200 for status in statuses),
            "statuses": sorted(set(statuses)),
            "load_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
        row["met"] = row["errors"] == 0 and row["p95_ms"] <= row["target_p95_ms"]
        results[name] = row
        print(f"  {name:<38} p50 {row['p50_ms']:>8} p95 {row['p95_ms']:>8} ms  (≤ {row['target_p95_ms']})"
              f"  errors {row['errors']}  load {row['load_1min'][0]} → {row['load_1min'][1]}", flush=True)
    return results


def serve_and_measure(options, env, redis):
    setup_django(env)
    from disclosure_pages.models import DisclosureItemPage, UnitPage

    counts = {"units": UnitPage.objects.count(), "items": DisclosureItemPage.objects.count()}
    rows, cookies, names = plan(options.samples)
    if options.only:
        rows = {name: row for name, row in rows.items() if any(text in name for text in options.only)}
    if FIRST_SEARCHES in rows:
        from search.models import KeptMatch

        KeptMatch.objects.all().delete()
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "cms.wsgi:application", "--config", "deploy/gunicorn.conf.py",
         "-w", "2", "-k", "gthread", "--threads", "8", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "300"],
        cwd=ROOT, env=env,
    )
    try:
        wait_for(port)
        if redis:
            subprocess.run(["redis-cli", "-n", str(REDIS_DB), "FLUSHDB"], check=False, capture_output=True)
        return {**counts, **names, "pages": measure(Client(port), rows, cookies, options.rounds)}
    finally:
        server.terminate()
        server.wait(timeout=60)


# -- the run ----------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--database", help="the database URL (default: $PROVINCE_DATABASE_URL, $DATABASE_URL if PostgreSQL, "
                        f"else {DEFAULT_DATABASE}); created when missing, kept afterwards")
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is (built by an earlier run)")
    parser.add_argument("--build-only", action="store_true", help="build and index, measure nothing")
    parser.add_argument("--rounds", type=int, default=5, help="times each URL is asked (the first included)")
    parser.add_argument("--samples", type=int, default=10, help="URLs per row where a row has several (townships, items, queries)")
    parser.add_argument("--only", action="append", metavar="TEXT",
                        help="measure only the rows whose name contains TEXT (repeatable); the results are not written")
    parser.add_argument("--quick", action="store_true", help="a tiny county (SQLite unless --database): for the test that runs the script")
    options = parser.parse_args()
    options.database = options.database or os.environ.get("PROVINCE_DATABASE_URL")
    if options.quick:
        options.units, options.items, options.rounds, options.samples = 12, 120, 2, 2

    options.work = Path(tempfile.mkdtemp(prefix="province-bench-"))
    database = database_url(options)
    postgres = database.startswith("postgres")
    if not postgres and not options.quick:
        raise SystemExit("The province bench runs on PostgreSQL: give --database or DATABASE_URL (postgres://…).")
    redis = redis_answers()
    env = server_env(database, options.work, redis)
    try:
        created = ensure_postgres_database(database) if postgres else True
        if options.reuse and created:
            raise SystemExit(f"--reuse: there is no database at {database} to reuse.")
        timings = {} if options.reuse else build(options, database, env)
        results = {"build": timings, "reused": options.reuse}
        if timings.get("seed", {}).get("items_seconds"):
            results["items_per_second"] = round(options.items / timings["seed"]["items_seconds"], 1)
        if timings.get("seed", {}).get("units_seconds"):
            results["units_per_second"] = round(options.units / timings["seed"]["units_seconds"], 1)
        results["database_size"] = database_size(database)
        if not options.build_only:
            results.update(serve_and_measure(options, env, redis))
    finally:
        shutil.rmtree(options.work, ignore_errors=True)

    results.update({
        "database": "PostgreSQL" if postgres else "SQLite (file, WAL)",
        "server": "gunicorn, 2 workers × 8 threads (gthread), production settings",
        "cache": f"Redis 127.0.0.1:6379/{REDIS_DB}" if redis else "per-process memory",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    })
    if options.reuse and "units" in results:  # named by what was measured, not by the defaults
        options.units, options.items = results["units"], results["items"]
    full = options.units >= 10_000 and options.items >= 1_000_000
    name = "province" if full else f"province-quick{'' if postgres else '-sqlite'}" if options.quick else f"province-{options.units}-{options.items}"
    report(results)
    if not options.only:  # a partial run would replace the full one's figures
        results_file = RESULTS / f"{name}.json"
        results_file.parent.mkdir(parents=True, exist_ok=True)
        results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        print(f"\nWritten to {results_file.relative_to(ROOT)}")
    pages = results.get("pages", {})
    return 0 if options.build_only or (pages and all(row["met"] for row in pages.values())) else 1


def report(results):
    if results.get("build"):
        print("\nBuild:")
        for name, row in results["build"].items():
            extra = "".join(f", {key} {value}" for key, value in row.items() if key not in ("seconds", "load_1min"))
            print(f"  {name:<14} {row['seconds']:>8} s   load {row['load_1min'][0]} → {row['load_1min'][1]}{extra}")
        print(f"  units/s {results.get('units_per_second')}, items/s {results.get('items_per_second')}")
    print(f"  database size: {results.get('database_size')}")
    if not results.get("pages"):
        return
    print(f"\nProvince: {results['units']:,} units, {results['items']:,} items ({results['database']}, {results['server']}, "
          f"cache: {results['cache']})")
    print(f"{'':<40}{'p50':>9}{'p95':>9}{'target':>8}{'errors':>8}  load (1 min)")
    for name, row in results["pages"].items():
        print(f"{'✓' if row['met'] else '✗'} {name:<38}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['target_p95_ms']:>8}"
              f"{row['errors']:>8}  {row['load_1min'][0]} → {row['load_1min'][1]}")


if __name__ == "__main__":
    sys.exit(main())
