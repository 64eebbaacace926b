"""A task worker killed while it applies index updates: how long until a fresh worker recovers them.

Run with ``DATABASE_URL=postgres://…/<a scratch database> python bench/worker_recovery_drill.py``
(PostgreSQL: a second connection holds a table lock). It migrates and seeds a small county,
starts ``manage.py task_worker --interval 0.5`` (worker A), publishes items while the lock keeps
A's drain from finishing, kills A with SIGKILL while its task is RUNNING, drops the drains still
queued (the worst case: nothing waits in the queue), then starts worker B and times until the
outbox is empty, every item searchable and /readyz ready. Before the workers' recovery pass
this waited for the next publication (150+ s in issue 20). Workers' logs: the temp directory.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ITEMS = 6


def main():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database.")
    os.environ.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", DEBUG="0", TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import psycopg
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.test import Client
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from cms.conf import app_settings
    from disclosure_pages.models import DisclosureItemPage, UnitPage
    from search import service
    from search.models import PendingIndexUpdate

    call_command("migrate", verbosity=0)
    if not UnitPage.objects.exists():
        call_command("seed_demo", townships=1, villages_per_township=1, departments=1, items_per_unit=1, quiet=True)
    DBTaskResult.objects.all().delete()
    PendingIndexUpdate.objects.all().delete()

    def worker(name):
        log = open(Path(tempfile.gettempdir()) / f"drill-worker-{name}.log", "w")  # noqa: SIM115 - the worker's lifetime
        return subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--interval", "0.5", "--no-reload", "--worker-id", f"drill-{name}"],
            cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
        )

    def searchable(word):
        return service.search({"q": word}, AnonymousUser(), "zh-hans").count

    def readyz():
        response = Client().get("/readyz", HTTP_HOST="127.0.0.1")
        return response.status_code, response.json()["checks"]["outbox:search"]

    a = worker("a")
    time.sleep(3)  # A starts and beats
    # A second connection keeps the drain from writing the index: A's task stays RUNNING.
    blocker = psycopg.connect(os.environ["DATABASE_URL"])
    blocker.execute("LOCK TABLE disclosure_search_searchdocument IN EXCLUSIVE MODE")
    unit = UnitPage.objects.filter(locale__language_code="zh-hans", depth=4).first()
    words = []
    for n in range(ITEMS):
        word = f"恢复演练{'甲乙丙丁戊己'[n]}号"
        item = DisclosureItemPage(title=f"关于{word}事项的公示", slug=f"drill-{time.time_ns()}-{n}")
        item.unit = unit
        unit.add_child(instance=item)
        item.save_revision().publish()
        unit.refresh_from_db()
        words.append(word)
    while not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, worker_ids__contains=["drill-a"]).exists():
        time.sleep(0.1)
    a.send_signal(signal.SIGKILL)
    a.wait()
    blocker.rollback()
    blocker.close()
    # The drains the later publications queued are gone too (as in issue 20: nothing waits in
    # the queue; before the recovery pass the rows waited for the next publication).
    DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path="search.tasks.apply_index_updates").delete()
    killed_at = time.perf_counter()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    pending = PendingIndexUpdate.objects.count()
    print(f"Worker A killed: {running} task RUNNING, {pending} outbox rows pending, no drain queued")

    b = worker("b")
    try:
        while PendingIndexUpdate.objects.exists() or not all(searchable(word) for word in words):
            time.sleep(0.2)
            if time.perf_counter() - killed_at > 300:
                sys.exit("Not recovered within 300 s")
        recovered = time.perf_counter() - killed_at
        status, check = readyz()
        print(
            f"Worker B (started at once) applied the outbox, all {ITEMS} items searchable, {recovered:.1f} s after the kill "
            f"(recovery pass every {app_settings.SUNSHINE_WORKER_HEARTBEAT_SECONDS} s, outbox overdue after "
            f"{app_settings.SUNSHINE_OUTBOX_OVERDUE_SECONDS} s); /readyz {status}, outbox:search {check}"
        )
    finally:
        b.terminate()
        b.wait()


if __name__ == "__main__":
    main()
