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


def insert_fields(model):
    """The fields an INSERT of ``model`` (one model of an inheritance chain) writes: its own
    concrete fields, not generated ones nor an auto key."""
    return [field for field in model._meta.local_concrete_fields if not field.generated and field is not model._meta.auto_field]


def copy_rows(model, objs, fields, connection, extra_columns=(), extra_values=()):
    """INSERT ``objs`` into ``model``'s table on PostgreSQL by COPY, for many rows: Django's
    batched INSERT quotes every value in Python (psycopg's client-side binding), most of the
    time of a bulk write. The auto key's values are drawn from its sequence first, as the
    INSERT would draw them, and set on ``objs``; each value is prepared as
    ``SQLInsertCompiler.prepare_value`` prepares it (``pre_save``, then ``get_db_prep_save``).
    ``extra_columns`` are columns the model does not declare (e.g. a tsvector written beside
    its text), with ``extra_values`` a sequence of values per object, in the same order."""
    quote = connection.ops.quote_name
    auto = model._meta.auto_field
    extra_values = list(extra_values) or [()] * len(objs)
    if len(extra_values) != len(objs):
        raise ValueError("copy_rows needs the extra values of every object.")
    with connection.cursor() as cursor:
        ids = []
        if auto:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, auto.column, len(objs)],
            )
            ids = [row for row in cursor.fetchall()]
            for obj, (pk,) in zip(objs, ids, strict=True):
                setattr(obj, auto.attname, pk)
        columns = ([auto] if auto else []) + fields
        names = [quote(field.column) for field in columns] + [quote(name) for name in extra_columns]
        with cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({', '.join(names)}) FROM STDIN") as copy:
            for obj, extra in zip(objs, extra_values, strict=True):
                copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in columns] + list(extra))
    return ids
