"""Benchmark of alerts: fan-out to 100,000 subscribers and sending into a local SMTP server.

Run with ``make bench-alerts`` (``SUBSCRIBERS=20000 make bench-alerts`` for a quicker run;
``BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>`` for PostgreSQL: that database
is dropped, created, and dropped again afterwards; results in bench/results/alerts-postgresql.json).
It migrates a temporary database (SQLite by default), seeds a small county, bulk-creates the
confirmed subscribers of one township (a sample at once, a sample daily, the rest weekly:
every one of them gets a ``Delivery`` row) and publishes one item in the township, then times:

1. **Fan-out**: the publication drained from alerts' outbox (``fanout.fan_out`` in its
   transaction, as ``process_outbox`` does) until every subscriber's ``Delivery`` row is
   written. Target: 100,000 within 60 s.
2. **Sending**: the immediate sample's alerts (``fanout.send_immediate``: claim, render the
   text and HTML message, SMTP, record) into an aiosmtpd server on 127.0.0.1 in a process of
   its own (a relay's), which accepts and counts them. Target: ≥ 200 messages/s.
3. **Daily digests**: the daily sample, each with five waiting items
   (``fanout.send_digests``: built, sent and recorded), digests/s.

The machine's other work moves every figure: the load average before and after is recorded,
and the bench process's CPU seconds beside the wall-clock ones (the SMTP server's are not in them).
Prints a table, writes bench/results/alerts.json and exits with status 1 when a target is missed.
"""

import json
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SUBSCRIBERS = int(os.environ.get("SUBSCRIBERS", 100_000))
IMMEDIATE_SAMPLE = int(os.environ.get("IMMEDIATE_SAMPLE", 5_000))
DAILY_SAMPLE = int(os.environ.get("DAILY_SAMPLE", 2_000))
DIGEST_ITEMS = 5
TARGET_FAN_OUT_S = 60
TARGET_MESSAGES_PER_S = 200


def postgres_database(url):
    """(Re)create the database named by ``url`` (the server's ``postgres`` database does it)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(url):
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Counter:
    """An aiosmtpd handler counting the messages it accepts (in a counter the bench reads)."""

    def __init__(self, received):
        self.received = received

    async def handle_DATA(self, server, session, envelope):
        with self.received.get_lock():
            self.received.value += 1
        return "250 Message accepted for delivery"


def smtp_server(port, received, ready, stop):
    """The SMTP server's process (a mail relay is another process: it does not share the sender's interpreter)."""
    from aiosmtpd.controller import Controller

    controller = Controller(Counter(received), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def load():
    return [round(value, 2) for value in os.getloadavg()]


def main():
    postgres_url = os.environ.get("BENCH_DATABASE_URL", "")
    if postgres_url:
        postgres_database(postgres_url)
        database_url = postgres_url
    else:
        database_url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='alerts-bench-')) / 'alerts.sqlite3'}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev", DEBUG="0", DATABASE_URL=database_url,
        # The publication's task is queued, not run: the bench drains the outbox itself, timed.
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        return run(vendor="postgresql" if postgres_url else "sqlite")
    finally:
        if postgres_url:
            from django.db import connections

            connections.close_all()
            drop_postgres_database(postgres_url)


def run(vendor):
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale

    from alerts import fanout
    from alerts.models import Delivery, DeliveryStatus, Frequency, Subscriber, Subscription
    from disclosure_pages.choices import UnitType
    from disclosure_pages.models import UnitPage
    from tests.factories import make_item

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command(
        "seed_demo", townships=1, villages_per_township=2, departments=1, items_per_unit=0,
        no_files=True, no_opinions=True, no_supervision=True, skip_index=True, quiet=True,
    )
    township = UnitPage.objects.filter(locale=Locale.get_default(), unit_type=UnitType.TOWNSHIP).order_by("path").first()
    now = timezone.now()
    Subscriber.objects.bulk_create(
        [Subscriber(kind="email", address=f"reader{n}@example.cn", confirmed_at=now) for n in range(SUBSCRIBERS)], batch_size=5000
    )
    ids = list(Subscriber.objects.order_by("pk").values_list("pk", flat=True))

    def frequency(index):
        if index < IMMEDIATE_SAMPLE:
            return Frequency.IMMEDIATE
        return Frequency.DAILY if index < IMMEDIATE_SAMPLE + DAILY_SAMPLE else Frequency.WEEKLY

    Subscription.objects.bulk_create(
        [Subscription(subscriber_id=pk, unit=township, frequency=frequency(n), confirmed_at=now) for n, pk in enumerate(ids)],
        batch_size=5000,
    )
    setup_s = time.perf_counter() - started
    print(f"{vendor}: {SUBSCRIBERS} subscribers of {township.title} set up in {setup_s:.0f} s")

    # The demo's own publications are not the bench's: the outbox starts empty.
    fanout.outbox.done([row for row, _change in fanout.outbox.pending(10_000)])
    item = make_item(township, "城关镇2024年第四季度党费收缴使用情况公示")
    rows = fanout.outbox.pending(fanout.BATCH)
    report = {"vendor": vendor, "subscribers": SUBSCRIBERS, "load_average_before": load()}

    # 1. Fan-out, as process_outbox drains the outbox.
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        matched = fanout.fan_out({change.translation_key for _row, change in rows})
        fanout.outbox.done([row for row, _change in rows])
    fan_out_s, fan_out_cpu = time.perf_counter() - started, time.process_time() - cpu
    queued = Delivery.objects.filter(item_key=item.translation_key).count()
    report["fan_out"] = {
        "matched": matched, "queued": queued, "seconds": round(fan_out_s, 2), "cpu_seconds": round(fan_out_cpu, 2),
        "rows_per_s": round(queued / fan_out_s),
    }

    # The daily sample's other waiting items, written straight (not timed).
    extra = [make_item(township, f"城关镇公告第{n + 1}号") for n in range(DIGEST_ITEMS - 1)]
    fanout.outbox.done([row for row, _change in fanout.outbox.pending(fanout.BATCH)])
    daily = ids[IMMEDIATE_SAMPLE:IMMEDIATE_SAMPLE + DAILY_SAMPLE]
    Delivery.objects.bulk_create(
        [Delivery(subscriber_id=pk, item_key=other.translation_key, item=other, frequency=Frequency.DAILY) for other in extra for pk in daily],
        batch_size=5000,
    )

    port, received, ready, stop = free_port(), multiprocessing.Value("i", 0), multiprocessing.Event(), multiprocessing.Event()
    server = multiprocessing.Process(target=smtp_server, args=(port, received, ready, stop), daemon=True)
    server.start()
    ready.wait(30)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        # 2. Immediate alerts.
        started, cpu = time.perf_counter(), time.process_time()
        sent = fanout.send_immediate()
        send_s, send_cpu = time.perf_counter() - started, time.process_time() - cpu
        report["immediate"] = {
            "sent": sent, "received": received.value, "seconds": round(send_s, 2), "messages_per_s": round(sent / send_s, 1),
            "cpu_seconds": round(send_cpu, 2), "messages_per_cpu_s": round(sent / send_cpu, 1),
        }
        # 3. Daily digests (the creation times are moved back: digests take what is older than their run).
        Delivery.objects.filter(frequency=Frequency.DAILY).update(created_at=timezone.now() - timedelta(minutes=1))
        received_before = received.value
        started, cpu = time.perf_counter(), time.process_time()
        digests = fanout.send_digests(Frequency.DAILY)
        digest_s, digest_cpu = time.perf_counter() - started, time.process_time() - cpu
        report["daily_digests"] = {
            "sent": digests, "received": received.value - received_before, "items_each": DIGEST_ITEMS,
            "seconds": round(digest_s, 2), "digests_per_s": round(digests / digest_s, 1),
            "cpu_seconds": round(digest_cpu, 2), "digests_per_cpu_s": round(digests / digest_cpu, 1),
        }
    finally:
        stop.set()
        server.join(30)
    report["still_pending_immediate"] = Delivery.objects.filter(frequency=Frequency.IMMEDIATE, status=DeliveryStatus.PENDING).count()
    report["load_average_after"] = load()
    report["database"] = connection.vendor
    report["targets"] = {"fan_out_s": TARGET_FAN_OUT_S, "messages_per_s": TARGET_MESSAGES_PER_S}

    fan, immediate, digest = report["fan_out"], report["immediate"], report["daily_digests"]
    print(f"\nAlerts on {vendor} (load average {report['load_average_before']} → {report['load_average_after']})")
    print(f"  {'step':<16} {'count':>8} {'seconds':>9} {'rate':>12} {'CPU s':>7}   target")
    print(
        f"  {'fan-out':<16} {fan['queued']:>8} {fan['seconds']:>9} {fan['rows_per_s']:>9} /s"
        f" {fan['cpu_seconds']:>7}   {SUBSCRIBERS} in ≤ {TARGET_FAN_OUT_S} s"
    )
    print(
        f"  {'immediate SMTP':<16} {immediate['sent']:>8} {immediate['seconds']:>9} {immediate['messages_per_s']:>9} /s"
        f" {immediate['cpu_seconds']:>7}   ≥ {TARGET_MESSAGES_PER_S} /s ({immediate['messages_per_cpu_s']} per CPU second)"
    )
    print(
        f"  {'daily digests':<16} {digest['sent']:>8} {digest['seconds']:>9} {digest['digests_per_s']:>9} /s"
        f" {digest['cpu_seconds']:>7}   {DIGEST_ITEMS} items each ({digest['digests_per_cpu_s']} per CPU second)"
    )
    path = RESULTS / ("alerts.json" if vendor == "sqlite" else f"alerts-{vendor}.json")
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    print(f"written to {path.relative_to(ROOT)}")
    met = (
        fan["queued"] == SUBSCRIBERS and fan["seconds"] * SUBSCRIBERS / max(fan["queued"], 1) <= TARGET_FAN_OUT_S
        and immediate["received"] == immediate["sent"] == IMMEDIATE_SAMPLE and immediate["messages_per_s"] >= TARGET_MESSAGES_PER_S
        and digest["received"] == digest["sent"] == DAILY_SAMPLE
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
