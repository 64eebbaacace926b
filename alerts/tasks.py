"""Background work of the alerts app (django-tasks, worked by ``manage.py db_worker``)."""

from django_tasks import task

from . import answers
from .fanout import process_outbox
from .search_matching import match_saved_searches as match_new_items


@task()
def process_publications():
    """Fan out the published items waiting in alerts' outbox and send the immediate alerts; returns (matched, sent)."""
    return process_outbox()


@task()
def process_answers():
    """Fan out the answers to opinions waiting in alerts' answers outbox and send the immediate ones; returns (matched, sent)."""
    return answers.process()


@task()
def match_saved_searches():
    """Match the published items the search index has against the saved searches and send the immediate alerts; returns (matched, sent)."""
    return match_new_items()
