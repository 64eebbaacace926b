"""The embedded engine: Wagtail's database backend, with disclosure items analysed for Chinese.

Wagtail's own tables keep serving the admin's search. Disclosure items are also written to
``SearchDocument`` with their facets as columns (search.schema) and their analysed text
indexed by SQLite FTS5 (external content, rowid = page id; search.backends.sqlite) or by
PostgreSQL tsvector columns with GIN indexes (search.backends.postgres). A search is then one
full-text match on one table plus one ordered page of it: Wagtail's generic query (a
full-text match per candidate page) took seconds at 50,000 pages.
"""

import time

from django.db import connection, transaction
from django.utils.module_loading import import_string

from .. import schema
from ..models import IndexGeneration, SearchDocument
from ..query import EngineResults, hit_fields, make_hit
from .base import documents_and_deletions, is_item_model

DOC_TABLE = SearchDocument._meta.db_table
# Wagtail's choice of database backend by vendor, with the item documents added to each.
VENDOR_BACKENDS = {
    "sqlite": "search.backends.sqlite.SQLiteChineseSearchBackend",
    "postgresql": "search.backends.postgres.PostgresChineseSearchBackend",
}


class DatabaseItemStore:
    """Disclosure items in ``SearchDocument``, matched with the database's own full text search.

    A vendor's store finds the matches, counts the facets and picks the page of hits
    (``find``); writing the rows and reading the hits back are the same on every database.
    """

    name = "database"
    # Above this many matches a ranking tier is ordered newest first rather than by BM25 or ts_rank.
    rank_limit = 1000

    # -- writing -----------------------------------------------------------------------------

    def write(self, documents, delete_ids=()):
        ids = [document.page_id for document in documents] + list(delete_ids)
        if not ids:
            return
        with transaction.atomic():
            SearchDocument.objects.filter(page_id__in=ids).delete()
            change = IndexGeneration.next_change()
            SearchDocument.objects.bulk_create([self._row(document, change) for document in documents])
            self.written(documents)
            IndexGeneration.bump(self._locales({document.locale for document in documents}), change)

    def written(self, documents):
        """Called after ``documents``' rows were inserted, in the same transaction: nothing more to write."""

    def clear(self):
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            IndexGeneration.bump(self._locales())

    def _row(self, document, change):
        return SearchDocument(
            change=change,
            **{field.name: field.kind.to_column(getattr(document, field.name)) for field in schema.SCHEMA.column_fields()},
        )

    def _locales(self, also=()):
        # A deleted document's locale is not known any more: every locale moves on.
        return set(also) | set(IndexGeneration.objects.values_list("locale", flat=True))

    # -- searching ---------------------------------------------------------------------------

    def search(self, query):
        started = time.perf_counter()
        search_schema = schema.SCHEMA
        with connection.cursor() as cursor:
            count, facets, page_ids = self.find(cursor, query, search_schema)
            hits = self._hits(cursor, search_schema, page_ids, query.today)
        elapsed = (time.perf_counter() - started) * 1000
        return EngineResults(count=count, hits=hits, facets=facets, engine_ms=elapsed)

    def find(self, cursor, query, search_schema):
        """(total, facet counts, the page ids of the requested page in order) for ``query``."""
        raise NotImplementedError

    def _hits(self, cursor, search_schema, page_ids, today):
        if not page_ids:
            return []
        names = hit_fields(search_schema)
        placeholders = ",".join(["%s"] * len(page_ids))
        cursor.execute(f"SELECT {', '.join(names)} FROM {DOC_TABLE} WHERE page_id IN ({placeholders})", page_ids)
        rows = {row[0]: row for row in cursor.fetchall()}
        return [
            make_hit(search_schema, dict(zip(names, rows[page_id], strict=True)), today)
            for page_id in page_ids if page_id in rows
        ]


class ItemIndexMixin:
    """Mixed into Wagtail's database index: items also go to (or leave) ``SearchDocument``."""

    def add_items(self, model, items):
        super().add_items(model, items)
        if is_item_model(model):
            self.backend.item_store.write(*documents_and_deletions(items))

    def delete_item(self, item):
        super().delete_item(item)
        # A deleted page arrives as a bare Page (its type is gone with it): always look.
        self.backend.item_store.write([], [item.pk])


class ItemRebuilderMixin:
    """``update_index`` starts from an empty item table, in the rebuild's transaction when atomic."""

    def start(self):
        index = super().start()
        index.backend.item_store.clear()
        return index


class ChineseSearchBackendMixin:
    """Mixed into Wagtail's database backend of a vendor: item searches go to its ``item_store_class``."""

    name = "database"
    item_store_class = DatabaseItemStore

    def __init__(self, params):
        super().__init__(params)
        self.item_store = self.item_store_class()

    def search_items(self, query):
        return self.item_store.search(query)


def SearchBackend(params):
    """The database backend for the default database's vendor, as Wagtail's own factory chooses.

    The vendor modules are imported here: Wagtail's SQLite module needs its FTS model, which
    only exists on SQLite.
    """
    if connection.vendor not in VENDOR_BACKENDS:
        raise NotImplementedError(f"Sunshine's search supports SQLite and PostgreSQL, not {connection.vendor}.")
    return import_string(VENDOR_BACKENDS[connection.vendor])(params)
