"""A dead worker's task and outbox rows are recovered; search_sync; two drains never apply a row together."""

import datetime
import io
import threading
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cms.workers import beat, recover, requeue_stale_tasks, schedule_overdue_drains
from disclosure_pages.models import PendingItemChange
from search.models import PendingIndexUpdate
from search.tasks import apply_index_updates
from search.updates import apply_due_updates, record
from tests.factories import build_tree, make_item
from tests.search.support import found_titles

TASKS_IN_DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TITLE = "城关镇关于做好冬季防火安全工作的通知"


def ago(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def run_worker_batch():
    """``db_worker --batch``: the queued tasks, run in this test's connection (a worker would open its own)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def left_running(worker_id, since):
    """A drain a worker had claimed when it was killed."""
    result = apply_index_updates.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(status=TaskResultStatus.RUNNING, started_at=since, worker_ids=[worker_id])
    return DBTaskResult.objects.get(pk=result.id)


@override_settings(TASKS=TASKS_IN_DATABASE)
class DeadWorkerTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()
        apply_due_updates()

    def test_the_recovery_pass_requeues_the_dead_workers_task_and_the_item_becomes_searchable(self):
        # Published; the worker applying its index update was killed 20 minutes ago.
        make_item(self.tree.township, TITLE)
        PendingIndexUpdate.objects.update(created_at=ago(minutes=10))
        dead = left_running("killed-worker", ago(minutes=20))
        readyz = self.client.get("/readyz")
        self.assertEqual(readyz.status_code, 503)
        search_check = readyz.json()["checks"]["outbox:search"]
        self.assertEqual(search_check["status"], "fail")
        self.assertGreaterEqual(search_check["oldest_pending_age_s"], 600)
        self.assertEqual(found_titles("冬季防火"), set())

        recover("live-worker", timezone.now())
        dead.refresh_from_db()
        self.assertEqual(dead.status, TaskResultStatus.READY)
        # The outbox is overdue, but its drain waits in the queue already: not enqueued twice.
        self.assertEqual(DBTaskResult.objects.ready().filter(task_path="search.tasks.apply_index_updates").count(), 1)

        run_worker_batch()
        dead.refresh_from_db()
        self.assertEqual(dead.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(dead.worker_ids[0], "killed-worker")
        self.assertFalse(PendingIndexUpdate.objects.exists())
        self.assertEqual(found_titles("冬季防火"), {TITLE})
        readyz = self.client.get("/readyz")
        self.assertEqual(readyz.status_code, 200, readyz.content)
        self.assertIsNone(readyz.json()["checks"]["outbox:search"]["oldest_pending_age_s"])

    def test_rows_whose_drain_was_lost_get_one_scheduled(self):
        make_item(self.tree.township, TITLE)  # committed, but its task never reached the queue
        self.assertEqual(schedule_overdue_drains(), [])  # young rows: their own drain is on its way
        PendingIndexUpdate.objects.update(created_at=ago(minutes=2))
        self.assertEqual(schedule_overdue_drains(), ["search"])
        self.assertEqual(schedule_overdue_drains(), [])  # the one waiting is enough
        run_worker_batch()
        self.assertEqual(found_titles("冬季防火"), {TITLE})

    def test_rows_a_failing_engine_put_off_are_not_overdue_until_their_next_attempt(self):
        make_item(self.tree.township, TITLE)
        PendingIndexUpdate.objects.update(created_at=ago(minutes=2), next_attempt_at=timezone.now() + datetime.timedelta(minutes=3))
        self.assertEqual(schedule_overdue_drains(), [])

    def test_alerts_outbox_is_recovered_the_same_way(self):
        row = PendingItemChange.objects.create(consumer="alerts", page_id=1, change={})
        PendingItemChange.objects.filter(pk=row.pk).update(created_at=ago(minutes=2))
        self.assertEqual(schedule_overdue_drains(), ["alerts"])
        self.assertTrue(DBTaskResult.objects.ready().filter(task_path="alerts.tasks.process_publications").exists())
        # Two minutes, rounded to the second the check ran in (half a second later on a busy machine).
        self.assertIn(self.client.get("/readyz").json()["checks"]["outbox:alerts"]["oldest_pending_age_s"], (120, 121))

    def test_a_live_workers_long_task_is_left_alone(self):
        beat("busy-worker", ago(hours=1))
        busy = left_running("busy-worker", ago(minutes=20))
        recent = left_running("other-worker", ago(minutes=1))
        self.assertEqual(requeue_stale_tasks(), 0)
        busy.refresh_from_db()
        recent.refresh_from_db()
        self.assertEqual((busy.status, recent.status), (TaskResultStatus.RUNNING, TaskResultStatus.RUNNING))
        # Its heartbeat stops: after the heartbeat timeout (4 × 15 s) its task is taken over.
        self.assertEqual(requeue_stale_tasks(now=timezone.now() + datetime.timedelta(minutes=2)), 1)
        busy.refresh_from_db()
        self.assertEqual(busy.status, TaskResultStatus.READY)


class SearchSyncTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()
        apply_due_updates()

    def test_check_fails_on_an_old_update_and_sync_applies_it_now(self):
        with mock.patch("search.backends.database.DatabaseItemStore.write", side_effect=ConnectionError("engine down")):
            make_item(self.tree.township, TITLE)
            apply_due_updates()  # put off for later
        PendingIndexUpdate.objects.update(created_at=ago(minutes=10))
        waiting = PendingIndexUpdate.objects.count()  # the item and the pages listing it

        out = io.StringIO()
        with self.assertRaises(CommandError) as raised:
            call_command("search_sync", "--check", stdout=out)
        self.assertEqual(raised.exception.returncode, 1)
        self.assertIn("more than 300 s", str(raised.exception))
        report = out.getvalue()
        self.assertIn(f"Pending: default {waiting}; the oldest has waited 600 s.", report)
        self.assertIn("Last error (default): engine down", report)
        call_command("search_sync", "--check", "--max-age", "3600", stdout=io.StringIO())  # young enough

        out = io.StringIO()
        call_command("search_sync", stdout=out)  # the put-off rows are tried now, not in 2 s
        self.assertEqual(out.getvalue(), f"Applied {waiting} index updates, 0 failed.\nPending: none.\n")
        self.assertEqual(found_titles("冬季防火"), {TITLE})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (SKIP LOCKED): PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_drains_never_apply_a_row_together_and_a_change_meanwhile_keeps_its_row():
    """Drain A holds its rows while it applies them: drain B, started meanwhile, skips them; a
    change to one of them waits for A's commit and leaves a new row, so it is applied later."""
    PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(page_id=page_id, backend="default") for page_id in (101, 102)])
    applied_by = []
    inside, release = threading.Event(), threading.Event()

    def slow_apply(backend_name, page_ids):
        applied_by.append((threading.current_thread().name, sorted(page_ids)))
        if threading.current_thread().name == "A":
            inside.set()
            release.wait(10)

    results = {}

    def run(name, work):
        try:
            results[name] = work()
        finally:
            connection.close()

    def change_page_101():
        with transaction.atomic():
            record([101])
        return "recorded"

    with mock.patch("search.updates._apply", side_effect=slow_apply), mock.patch("search.updates.schedule"):
        # A drains its two rows and stops: left looping, it may take the change's new row too if
        # the change commits before A asks again (it did under load), which is right but not this test.
        a = threading.Thread(target=run, args=("A", lambda: apply_due_updates(limit=2)), name="A")
        a.start()
        assert inside.wait(10)
        b = threading.Thread(target=run, args=("B", apply_due_updates), name="B")
        b.start()
        b.join(10)
        change = threading.Thread(target=run, args=("change", change_page_101), name="change")
        change.start()
        change.join(0.5)
        assert change.is_alive()  # waits for A's commit
        release.set()
        a.join(10)
        change.join(10)

    assert results == {"A": (2, 0), "B": (0, 0), "change": "recorded"}
    assert applied_by == [("A", [101, 102])]
    assert list(PendingIndexUpdate.objects.values_list("page_id", "changes")) == [(101, 1)]



@pytest.mark.django_db
def test_readyz_pings_each_engine_and_names_the_one_that_does_not_answer(osmem_server, client):
    from search.backends.elasticsearch import PlainJSONTransport
    from tests.search.test_engines import CLOSED_PORT, ELASTICSEARCH, OPENSEARCH, engine_settings

    for settings in (engine_settings(osmem_server.url), engine_settings(osmem_server.url, ELASTICSEARCH, transport_class=PlainJSONTransport)):
        with settings:
            response = client.get("/readyz")
        assert response.status_code == 200, response.content
        checks = response.json()["checks"]
        assert (checks["search:default"]["status"], checks["search:default"]["engine"]) == ("ok", "engine")
        assert checks["search:database"]["engine"] == "database"
    for backend in (OPENSEARCH, ELASTICSEARCH):
        with engine_settings(CLOSED_PORT, backend):
            response = client.get("/readyz")
        assert response.status_code == 503
        failed = {name: check for name, check in response.json()["checks"].items() if check["status"] != "ok"}
        assert list(failed) == ["search:default"], failed
        assert "127.0.0.1" not in response.content.decode()
