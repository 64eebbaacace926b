"""Helpers for bulk work (the demo seed, imports, variant syncs): index once, at the end; add pages in bulk."""

from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import NotSupportedError, connections, router, transaction
from django.db.models import F
from django.db.models.signals import post_save
from django.test.utils import override_settings
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from treebeard.exceptions import PathOverflow
from wagtail.models import Page
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


def bulk_add_children(parent, pages):
    """Add unsaved ``pages`` (all of one type, with their slugs) as the last children of ``parent``, in order.

    Writes each table of the pages (``wagtailcore_page``, then the specific type's) with one
    INSERT per batch, as ``bulk_create`` does for a single table, instead of one ``add_child``
    per page. Only what Wagtail and treebeard set when a page is first saved is filled in:
    the tree position (materialised path, depth, the parent's ``numchild``), ``url_path``,
    ``draft_title`` and ``locale``. Nothing else runs: no ``save()``, no validation, no
    signals, no revision, no log entry. So the caller writes whatever the type's ``save()``
    adds (see ``demo_county.bulk_items``), and must be the only writer under
    ``parent``: the paths are counted on from its last child as it is now.
    """
    if not pages:
        return pages
    model = type(pages[0])
    using = router.db_for_write(model)
    if not connections[using].features.can_return_rows_from_bulk_insert:
        # The specific type's rows need the new pages' ids (SQLite ≥ 3.35 and PostgreSQL return them).
        raise NotSupportedError("bulk_add_children needs a database that returns the ids of a bulk INSERT.")
    last_child = parent.get_last_child()
    first_step = last_child._get_lastpos_in_path() + 1 if last_child else 1
    if len(Page._int2str(first_step + len(pages) - 1)) > Page.steplen:
        raise PathOverflow(f"“{parent}” cannot take {len(pages)} more children.")
    depth = parent.depth + 1
    for step, page in enumerate(pages, start=first_step):
        page.depth = depth
        page.path = Page._get_path(parent.path, depth, step)
        page.numchild = 0
        page.set_url_path(parent)
        page.draft_title = page.draft_title or page.title
        if page.locale_id is None:
            page.locale_id = parent.locale_id

    # Django's bulk_create refuses multi-table models because it cannot in general get the
    # parent rows' new keys back; with RETURNING it can, so the tables are written in turn,
    # root first, as Model.save() writes them for one row.
    root, *children = [*reversed(model._meta.get_parent_list()), model]
    with transaction.atomic(using=using):
        ids = _insert(root, pages, using)
        for page, (pk,) in zip(pages, ids, strict=True):
            setattr(page, root._meta.pk.attname, pk)
            for table in children:
                for parent_model, link in table._meta.parents.items():
                    setattr(page, link.attname, getattr(page, parent_model._meta.pk.attname))
        for page in pages:
            # A page may point at another of ``pages`` (e.g. an earlier stage of the same matter)
            # that had no id when it was assigned: take the id now, as save() would. This also
            # refuses a reference to an object that is still unsaved.
            page._prepare_related_fields_for_save(operation_name="bulk_add_children")
        for table in children:
            _insert(table, pages, using)
        Page.objects.using(using).filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)
    for page in pages:
        page._state.adding = False
        page._state.db = using
    return pages


def _insert(table, objs, using):
    """INSERT the columns of ``table`` (one model of an inheritance chain) for ``objs``, in batches.

    The same private QuerySet method bulk_create uses; returns the new keys of an auto key.
    """
    fields = [field for field in table._meta.local_concrete_fields if not field.generated and field is not table._meta.auto_field]
    return table._base_manager.using(using)._batched_insert(objs, fields, batch_size=None)
