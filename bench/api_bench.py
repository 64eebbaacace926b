"""Benchmark of the headless API (/api/v2/) on a county of 100,000 disclosure items.

Run with ``make bench-api`` (``ITEMS=10000 make bench-api`` for a quicker run;
``BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432 make bench-api`` for PostgreSQL, in a
database of its own that it drops afterwards, results in bench/results/api-postgres.json;
``BENCH_DATABASE_URL=postgres://…/name`` measures a database seeded and indexed before, and
keeps it). It migrates
a temporary SQLite database, seeds the demo county with ``seed_demo --bulk-items``, serves
it with gunicorn (2 workers × 8 threads, production settings, responses cached in Redis at
127.0.0.1:6379 database 7 when it answers, else in each worker's memory; no rate limit:
every client here is one address), then measures on loopback:

- latency, one client, keep-alive: the list (20 a page, filtered by a township), the detail
  and the search, each **cold** (every URL asked for the first time: no response cached) and
  **warm** (the same URLs again: answered from the response cache); pages of one township's
  list share its ids once read, so the list is also measured by filters asked for the first
  time (``list_new_filter``: a township and a year);
- throughput: wrk with 50 connections for 20 s over a mix of list and detail URLs,
  counting errors (non-2xx, socket errors, timeouts).

Prints a table, writes bench/results/api.json, and exits with status 1 when a target is
missed: list p95 ≤ 30 ms, detail p95 ≤ 20 ms warm, no errors under load.
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "api.json"
PYTHON = sys.executable
TARGETS = {"list_p95_ms": 30, "detail_warm_p95_ms": 20}
SEARCH_WORDS = ["党费", "民主生活会", "发展党员", "主题党日", "三会一课", "预算", "换届", "整改"]


def run(args, env, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_postgres_database(server_url):
    """A new, empty database on the server at ``server_url``; its URL."""
    import psycopg

    name = f"sunshine_api_bench_{os.getpid()}"
    with psycopg.connect(f"{server_url.rstrip('/')}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server_url.rstrip('/')}/{name}"


def drop_postgres_database(database_url):
    import psycopg

    server_url, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Client:
    """One keep-alive connection; ``get`` returns (status, body, milliseconds)."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def get(self, path):
        started = time.perf_counter()
        self.connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, (time.perf_counter() - started) * 1000


def percentiles(samples):
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def measure(client, paths):
    timings, errors = [], 0
    for path in paths:
        status, _, elapsed = client.get(path)
        errors += status != 200
        timings.append(elapsed)
    return {**percentiles(timings), "errors": errors}


def wait_for(port, seconds=180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _, _ = Client(port).get("/api/v2/units/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not come up")


def wrk(port, paths, seconds, connections=50):
    """wrk over ``paths`` in turn; returns its numbers, or None when wrk is not installed."""
    if shutil.which("wrk") is None:
        return None
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        "paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
    )
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout
    script.unlink()

    def number(pattern, default=0.0):
        match = re.search(pattern, output)
        return float(match.group(1)) if match else default

    def ms(label):
        match = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output)
        if not match:
            return None
        return round(float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)], 2)

    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "connections": connections,
        "seconds": seconds,
        "requests_per_second": number(r"Requests/sec:\s+([\d.]+)"),
        "requests": int(number(r"(\d+) requests in")),
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "non_2xx": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        "timeouts": int(socket_errors.group(4)) if socket_errors else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=int(os.environ.get("ITEMS", 100_000)))
    parser.add_argument("--samples", type=int, default=200, help="requests per latency measurement")
    parser.add_argument("--seconds", type=int, default=20, help="wrk's duration")
    parser.add_argument(
        "--postgres", default=os.environ.get("BENCH_POSTGRES"),
        help="a PostgreSQL server URL (postgres://user@host:port): the bench creates and drops its own database there",
    )
    parser.add_argument(
        "--database", default=os.environ.get("BENCH_DATABASE_URL"),
        help="a database seeded and indexed before (by an earlier run or seed_demo --bulk-items): measured as it is, kept",
    )
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="api-bench-"))
    redis = redis_answers()
    database = options.database or (fresh_postgres_database(options.postgres) if options.postgres else None)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DATABASE_URL": database or f"sqlite:///{work / 'bench.sqlite3'}",
        "ALLOW_SQLITE_IN_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": str(work / "media"),
        "API_RATE_ANON": "",
        "API_RATE_MEMBER": "",
        "PYTHONUNBUFFERED": "1",
    }
    if redis:
        env["REDIS_URL"] = "redis://127.0.0.1:6379/7"
    try:
        if options.database:
            run(["migrate", "--noinput", "-v0"], env)
            seed_seconds = index_seconds = 0.0
        else:
            seed_seconds, index_seconds = seed(env, options, work)
        results = serve_and_measure(env, options, redis)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if database and not options.database:
            drop_postgres_database(database)

    results.update(
        {
            "items": options.items,
            "database": ("PostgreSQL" if database.startswith("postgres") else database.split(":")[0]) if database else "SQLite (file, WAL)",
            "reused_database": bool(options.database),
            "cache": "Redis 127.0.0.1:6379/7" if redis else "per-process memory",
            "server": "gunicorn, 2 workers × 8 threads (gthread), production settings",
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "seed_seconds": round(seed_seconds, 1),
            "index_seconds": round(index_seconds, 1),
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
    )
    results_file = RESULTS.with_name("api-postgres.json") if database and database.startswith("postgres") else RESULTS
    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    report(results)
    return 0 if all(results["targets"].values()) else 1


def seed(env, options, work):
    """The demo county with ``options.items`` items, indexed; (seed seconds, index seconds)."""
    print(f"Seeding {options.items:,} items ({env['DATABASE_URL'].split(':')[0]}, files in {work}) …", flush=True)
    started = time.monotonic()
    run(["migrate", "--noinput", "-v0"], env)
    # The demo county is not among production's apps.
    run(["seed_demo", "--bulk-items", str(options.items), "--townships", "12", "--villages-per-township", "17",
         "--skip-index", "--quiet"], {**env, "DJANGO_SETTINGS_MODULE": "cms.settings.dev"}, stdout=subprocess.DEVNULL)
    seed_seconds = time.monotonic() - started
    print(f"Seeded in {seed_seconds:.0f} s; rebuilding the search index …", flush=True)
    started = time.monotonic()
    run(["update_index"], env, stdout=subprocess.DEVNULL)
    return seed_seconds, time.monotonic() - started


def serve_and_measure(env, options, redis):
    port = free_port()
    server = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "cms.wsgi:application", "-w", "2", "-k", "gthread", "--threads", "8",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    try:
        wait_for(port)
        if redis:
            subprocess.run(["redis-cli", "-n", "7", "FLUSHDB"], check=False, capture_output=True)
        # Other work on the two cores doubles every figure: the load says whether there was any.
        load_before = os.getloadavg()[0]
        results = bench(port, options)
        results["load_average_1min"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench(port, options):
    rng = random.Random(7)
    client = Client(port)
    _, body, _ = client.get("/api/v2/units/")
    townships = [unit["id"] for unit in json.loads(body)["units"][0]["children"] if unit["unit_type"]["value"] == "township"]
    # Cold list URLs: every township, its pages in turn; none asked for before.
    list_paths, item_ids = [], set()
    totals = {}
    for township in townships:
        _, body, _ = client.get(f"/api/v2/disclosures/?{urlencode({'unit': township, 'limit': 100})}")
        data = json.loads(body)
        totals[township] = data["meta"]["total_count"]
        item_ids.update(item["id"] for item in data["items"])
    for index in range(options.samples):
        township = townships[index % len(townships)]
        offset = 20 * rng.randrange(max(1, min(totals[township], 2000) // 20))
        list_paths.append(f"/api/v2/disclosures/?{urlencode({'unit': township, 'limit': 20, 'offset': offset})}")
    list_paths = list(dict.fromkeys(list_paths))
    detail_paths = [f"/api/v2/disclosures/{pk}/" for pk in rng.sample(sorted(item_ids), min(options.samples, len(item_ids)))]
    # Lists by filters not asked for before (a township and a year): the list's ids are read
    # afresh for each, where the cold pages above share the ids of their township's list.
    filter_paths = [
        f"/api/v2/disclosures/?{urlencode({'unit': township, 'year': year, 'limit': 20})}"
        for township in townships for year in range(2023, 2027)
    ][: options.samples]
    search_paths = list(dict.fromkeys(
        f"/api/v2/search/?{urlencode({'q': rng.choice(SEARCH_WORDS), 'page': rng.randint(1, 3)})}"
        for _ in range(options.samples)
    ))

    results = {"latency": {}}
    for name, paths in (("list", list_paths), ("list_new_filter", filter_paths), ("detail", detail_paths), ("search", search_paths)):
        cold = measure(client, paths)
        warm = measure(client, paths)
        results["latency"][name] = {"cold": cold, "warm": warm}
        print(f"  {name:<7} cold p50/p95 {cold['p50_ms']}/{cold['p95_ms']} ms   warm {warm['p50_ms']}/{warm['p95_ms']} ms", flush=True)
    load = wrk(port, list_paths + detail_paths, options.seconds)
    results["load"] = load
    latency = results["latency"]
    results["targets"] = {
        "list_p95_ms <= 30 (cold and warm)": max(latency["list"]["cold"]["p95_ms"], latency["list"]["warm"]["p95_ms"]) <= TARGETS["list_p95_ms"],
        "detail_warm_p95_ms <= 20": latency["detail"]["warm"]["p95_ms"] <= TARGETS["detail_warm_p95_ms"],
        "no errors under load": load is not None and load["non_2xx"] == 0 and load["socket_errors"] == 0,
        "no errors in latency runs": all(m[phase]["errors"] == 0 for m in latency.values() for phase in ("cold", "warm")),
    }
    return results


def report(results):
    print(f"\nHeadless API on {results['items']:,} items ({results['database']}, cache: {results['cache']})")
    print(f"{'':<8}{'cold p50':>10}{'cold p95':>10}{'warm p50':>10}{'warm p95':>10}  (ms)")
    for name, phases in results["latency"].items():
        cold, warm = phases["cold"], phases["warm"]
        print(f"{name:<8}{cold['p50_ms']:>10}{cold['p95_ms']:>10}{warm['p50_ms']:>10}{warm['p95_ms']:>10}")
    load = results["load"]
    if load:
        print(f"load: {load['requests_per_second']:.0f} req/s with {load['connections']} connections, "
              f"p50 {load['p50_ms']} ms, p99 {load['p99_ms']} ms, non-2xx {load['non_2xx']}, socket errors {load['socket_errors']}")
    else:
        print("load: wrk is not installed (apt-get install wrk)")
    for target, met in results["targets"].items():
        print(f"  {'✓' if met else '✗'} {target}")


if __name__ == "__main__":
    sys.exit(main())
