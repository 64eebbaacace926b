"""Apply the waiting search index updates now, or (``--check``) report how long they have waited.

The outbox (``search.updates``) is normally drained by a task after each change, and by the
workers' recovery pass (``manage.py task_worker``) when a drain was lost. This is the
operator's way to drain it at once, e.g. after an engine outage (rows a failing engine put
off are tried again now, not at their next attempt), and, with ``--check``, a probe for
monitoring: exit status 1 when an update has waited longer than ``--max-age`` seconds.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from ...models import PendingIndexUpdate
from ...updates import apply_due_updates, oldest_pending_at


class Command(BaseCommand):
    help = "Apply the pending search index updates now; --check only reports and fails when one is too old."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Apply nothing; exit 1 if an update waits longer than --max-age.")
        parser.add_argument("--max-age", type=int, default=300, help="Seconds an update may wait before --check fails (default 300).")

    def handle(self, *, check, max_age, **options):
        if max_age < 0:
            raise CommandError("--max-age must be zero or more seconds.")
        if not check:
            # Rows a failing backend put off are tried now: the operator asks for it.
            PendingIndexUpdate.objects.filter(next_attempt_at__gt=timezone.now()).update(next_attempt_at=None)
            applied, failed = apply_due_updates()
            self.stdout.write(f"Applied {applied} index updates, {failed} failed.")
        waiting = dict(PendingIndexUpdate.objects.values_list("backend").annotate(count=Count("pk")).order_by("backend"))
        oldest = oldest_pending_at()
        if not waiting:
            self.stdout.write("Pending: none.")
            return
        age = max(0, int((timezone.now() - oldest).total_seconds()))
        counts = ", ".join(f"{backend} {count}" for backend, count in waiting.items())
        self.stdout.write(f"Pending: {counts}; the oldest has waited {age} s.")
        errors = PendingIndexUpdate.objects.exclude(last_error="").order_by("-attempts").values_list("backend", "last_error").first()
        if errors:
            self.stdout.write(f"Last error ({errors[0]}): {errors[1]}")
        if check and age > max_age:
            raise CommandError(f"The oldest search index update has waited {age} s (more than {max_age} s).", returncode=1)
