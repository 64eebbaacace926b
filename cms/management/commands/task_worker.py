"""``db_worker`` (django-tasks-db) with the recovery pass of ``cms.workers`` in a thread.

Takes db_worker's options. Every ``SUNSHINE_WORKER_HEARTBEAT_SECONDS``, starting at once, the
thread writes this worker's heartbeat, puts back in the queue the tasks a dead worker left
RUNNING and schedules the drains of overdue outboxes; the worker's own loop then runs them.
Run several (systemd units, ``make run``): any one of them recovers what another left.
"""

import logging
import os
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from ...conf import app_settings
from ...workers import recover

logger = logging.getLogger("cms.workers")


def recovery_loop(worker_id, stop):
    started_at = timezone.now()
    while not stop.is_set():
        close_old_connections()
        try:
            recover(worker_id, started_at)
        except Exception:  # the database is away, say: the next pass tries again
            logger.exception("The worker's recovery pass failed")
        finally:
            connection.close()
        stop.wait(app_settings.SUNSHINE_WORKER_HEARTBEAT_SECONDS)


class Command(db_worker.Command):
    help = "Run a database task worker that also recovers what dead workers left (heartbeat, stale tasks, outboxes)"

    def handle(self, **options):
        # With --reload only the reloader's child works (and recovers).
        if not options["reload"] or os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            stop = threading.Event()
            threading.Thread(target=recovery_loop, args=(options["worker_id"], stop), name="worker-recovery", daemon=True).start()
            try:
                return super().handle(**options)
            finally:
                stop.set()
        return super().handle(**options)
