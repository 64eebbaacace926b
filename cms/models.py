"""What the site stores for its operation: the task workers' heartbeats."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A task worker (``manage.py task_worker``) that was alive at ``seen_at``.

    Written by the worker's recovery pass every ``SUNSHINE_WORKER_HEARTBEAT_SECONDS``: /readyz
    reads the newest, and a RUNNING task is taken over only when its worker is not seen alive.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
