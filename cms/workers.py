"""Task workers that recover: heartbeats, tasks a dead worker left RUNNING, outboxes whose drain was lost.

Work after a commit goes through outboxes — rows written in the change's own transaction —
drained by django-tasks tasks (``search.updates``: index updates; ``alerts.fanout``: the
publications' fan-out). A worker killed mid-task leaves its task RUNNING in
django-tasks-db's table for ever, and the rows it had not applied wait for the next change's
task. ``manage.py task_worker`` (``db_worker`` with a recovery pass in a thread) runs
``recover()`` every ``SUNSHINE_WORKER_HEARTBEAT_SECONDS``:

- it writes the worker's heartbeat (/readyz: is some worker alive?);
- it puts back in the queue the tasks RUNNING longer than ``SUNSHINE_TASK_STALE_SECONDS``
  whose worker is not alive (no fresh heartbeat: killed, or a plain ``db_worker``);
- for every outbox (``OUTBOXES``, the one list) with a row due for longer than
  ``SUNSHINE_OUTBOX_OVERDUE_SECONDS``, it schedules that outbox's drain, unless one waits
  in the queue already.

The drains are safe to run twice or side by side: search's locks its rows (``SKIP LOCKED``)
and deletes only the rows it applied; alerts' writes deliveries that are unique per
subscriber and item, and claims them before sending.
"""

import dataclasses
import datetime
import logging
import os
import socket
from collections.abc import Callable

from django.db.models import Max
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from .conf import app_settings
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Heartbeats of workers gone longer than this are forgotten.
FORGET_AFTER = datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Outbox:
    name: str
    task_path: str  # the task that drains it
    oldest_pending_at: Callable  # (due_only) -> when its oldest waiting row was written, or None
    schedule: Callable  # enqueues its drain


def _search_outbox():
    from search import updates

    return Outbox("search", "search.tasks.apply_index_updates", updates.oldest_pending_at, updates.schedule)


def _alerts_outbox():
    from alerts import fanout

    # Every row of alerts' outbox is due at once.
    return Outbox("alerts", "alerts.tasks.process_publications", lambda due_only=False: fanout.outbox.oldest_pending_at(), fanout.schedule)


def _answers_outbox():
    from alerts import answers

    return Outbox("alerts-answers", "alerts.tasks.process_answers", answers.oldest_pending_at, answers.schedule)


def _saved_searches_outbox():
    from alerts import search_matching

    # Due once the search index has the item.
    return Outbox("alerts-searches", "alerts.tasks.match_saved_searches", search_matching.oldest_pending_at, search_matching.schedule)


def outboxes():
    """Every outbox a worker drains: the search index's, alerts' (the item change feed's durable
    subscribers: the fan-out, and the saved searches' matching) and, with participation
    installed, alerts' answers to opinions."""
    from alerts import answers

    return [_search_outbox(), _alerts_outbox(), _saved_searches_outbox()] + ([_answers_outbox()] if answers.enabled() else [])


def uses_database_queue():
    """Whether tasks wait in django-tasks-db's table for workers (else they run at once, or elsewhere)."""
    return isinstance(task_backends["default"], DatabaseBackend)


def heartbeat_timeout():
    return datetime.timedelta(seconds=4 * app_settings.SUNSHINE_WORKER_HEARTBEAT_SECONDS)


def beat(worker_id, started_at):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "started_at": started_at, "seen_at": now},
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()


def last_heartbeat():
    """When a worker was last seen alive (None: never)."""
    return WorkerHeartbeat.objects.aggregate(last=Max("seen_at"))["last"]


def requeue_stale_tasks(now=None):
    """Put back in the queue the tasks a dead worker left RUNNING; returns how many."""
    now = now or timezone.now()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - heartbeat_timeout()).values_list("worker_id", flat=True))
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - datetime.timedelta(seconds=app_settings.SUNSHINE_TASK_STALE_SECONDS))
    requeued = 0
    for result in stale.only("id", "worker_ids", "task_path", "started_at"):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue  # a live worker still running a long task
        # Conditional on the status: a worker that finished it meanwhile keeps its result.
        if DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning(
                "Task %s (%s) was RUNNING since %s on worker %s, which is not alive: queued again",
                result.pk, result.task_path, result.started_at.isoformat(), (result.worker_ids or ["?"])[-1],
            )
    return requeued


def schedule_overdue_drains(now=None):
    """Schedule the drain of every outbox with a row due for too long; returns the outboxes' names."""
    now = now or timezone.now()
    overdue_before = now - datetime.timedelta(seconds=app_settings.SUNSHINE_OUTBOX_OVERDUE_SECONDS)
    scheduled = []
    for outbox in outboxes():
        oldest = outbox.oldest_pending_at(due_only=True)
        if oldest is None or oldest > overdue_before:
            continue
        if DBTaskResult.objects.ready().filter(task_path=outbox.task_path).exists():
            continue  # a drain waits for a worker already: one more would not help
        logger.warning("The %s outbox has waited since %s: its drain is scheduled", outbox.name, oldest.isoformat())
        outbox.schedule()
        scheduled.append(outbox.name)
    return scheduled


def recover(worker_id, started_at):
    """One recovery pass of a worker: heartbeat, stale tasks back in the queue, overdue outboxes drained."""
    beat(worker_id, started_at)
    requeue_stale_tasks()
    schedule_overdue_drains()
