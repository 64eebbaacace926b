"""Background work of the search app (django-tasks)."""

from django_tasks import task

from .updates import apply_due_updates


@task()
def apply_index_updates():
    """Apply the due search index updates (see search.updates); returns (applied, failed)."""
    return apply_due_updates()
