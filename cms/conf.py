"""The site's operational settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # How often (seconds) each `manage.py task_worker` writes its heartbeat and runs its recovery
    # pass; /readyz counts a worker alive when it was seen within four of these.
    SUNSHINE_WORKER_HEARTBEAT_SECONDS=15,
    # A task RUNNING longer than this (seconds) whose worker is not alive is put back in the
    # queue for another worker (its worker died mid-task).
    SUNSHINE_TASK_STALE_SECONDS=600,
    # An outbox row (search index updates, alerts' publications) due longer than this
    # (seconds) gets a drain scheduled by the workers' recovery pass (its own drain was lost).
    SUNSHINE_OUTBOX_OVERDUE_SECONDS=30,
    # /readyz fails when the oldest waiting outbox row is older than this (seconds).
    SUNSHINE_OUTBOX_MAX_AGE_SECONDS=300,
)
