"""Helpers for bulk work (the demo seed, imports, variant syncs): index once, at the end.

Pages are added in bulk by ``disclosure_pages.tree.add_children``."""

from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.models.signals import post_save
from django.test.utils import override_settings
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update


@contextmanager
def index_updates_paused():
    """Stop per-save search and reference index updates; call ``rebuild_indexes`` afterwards.

    AUTO_UPDATE=False stops the backends from writing, but the post_save handler would still
    enqueue a task per save that reloads the object only to find no backend to update, so
    the handler is detached too (and always reattached).
    """
    backends = {name: {**config, "AUTO_UPDATE": False} for name, config in settings.WAGTAILSEARCH_BACKENDS.items()}
    models = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    detached = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS=backends), disable_reference_index_auto_update():
            yield
    finally:
        for model in detached:
            post_save.connect(post_save_signal_handler, sender=model)


@contextmanager
def queries_unrecorded():
    """Stop Django recording the SQL of every query, as it does while DEBUG is on.

    It keeps the last 9,000 with their parameters written in — for bulk INSERTs, hundreds of
    megabytes — and on SQLite runs one more query per query to write them.
    """
    with override_settings(DEBUG=False):
        yield


def refresh_planner_statistics(*models, using="default"):
    """After bulk writes, have PostgreSQL read its planner statistics and visibility map now:
    of the tables of ``models``, or of the whole database when none are given.

    Until autovacuum gets to the tables (and never, where it is switched off) the planner
    guesses from empty statistics: at 100,000 items an API detail took 160 ms instead of 18.
    SQLite: nothing; the project's queries are planned well there without statistics.
    """
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {tables}")


def rebuild_indexes():
    """Rebuild the search index and Wagtail's reference index after bulk work."""
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    call_command("rebuild_references_index", stdout=StringIO(), stderr=StringIO())
