"""The embedded engine: Wagtail's database backend, with disclosure items analysed for Chinese.

Wagtail's own tables keep serving the admin's search. Disclosure items are also written to
``SearchDocument`` with their facets as columns (search.schema) and their analysed text
indexed by SQLite FTS5 (external content, rowid = page id; search.backends.sqlite) or by
PostgreSQL tsvector columns with GIN indexes (search.backends.postgres). A search is then one
full-text match on one table (the matching ids), facets, filters and access counted on the
facet columns each process holds in memory (search.backends.columns), and one ordered page:
Wagtail's generic query (a full-text match per candidate page) took seconds at 50,000 pages.
"""

import time

import numpy as np
from django.db import connection, transaction
from django.utils.module_loading import import_string

from .. import schema
from ..models import IndexGeneration, SearchDocument
from ..query import SORT_DATE, EngineResults, filter_values, hit_fields, make_hit
from ..schema import SUBTREE, unit_facet_key
from .base import documents_and_deletions, is_item_model
from . import matches
from .columns import columns_for

DOC_TABLE = SearchDocument._meta.db_table
# Wagtail's choice of database backend by vendor, with the item documents added to each.
VENDOR_BACKENDS = {
    "sqlite": "search.backends.sqlite.SQLiteChineseSearchBackend",
    "postgresql": "search.backends.postgres.PostgresChineseSearchBackend",
}


class DatabaseItemStore:
    """Disclosure items in ``SearchDocument``, matched with the database's own full text search.

    A vendor's store says which documents match (``matching_ids``) and ranks a few of them
    (``ranked_ids``); facets, filters, access and the order of many matches are worked out
    on the in-memory columns, the same on every database, as are writing the rows and
    reading the hits back.
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
            IndexGeneration.lock_writes()
            SearchDocument.objects.filter(page_id__in=ids).delete()
            change = IndexGeneration.next_change()
            self.insert([self._row(document, change) for document in documents], documents)
            IndexGeneration.bump(self._locales({document.locale for document in documents}), change)

    def insert(self, rows, documents):
        """Insert the new ``rows`` of ``documents`` (in the same order), in the write's transaction."""
        SearchDocument.objects.bulk_create(rows)

    def clear(self):
        with transaction.atomic():
            IndexGeneration.lock_writes()
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
        columns = columns_for(search_schema, query.locale)
        found = matches.matching_positions(self, cursor, query.phrases, query.title_only, query.locale, columns)
        matched = found[columns.allowed(query.audience)[found]]
        if query.page_ids is not None:
            matched = matched[np.isin(columns.ids[matched], np.asarray(query.page_ids, dtype=np.int64))]
        current = {field.name: columns.current_codes(field, query.today) for field in search_schema.facet_fields}
        masks = _column_filters(search_schema, columns, current, matched, query)
        selected = np.logical_and.reduce(list(masks.values())) if masks else np.ones(len(matched), dtype=bool)
        count = int(selected.sum())
        facets = count_column_facets(search_schema, columns, current, matched, masks, query) if query.facets else {}
        wanted = np.zeros(len(columns.ids), dtype=bool)
        wanted[matched[selected]] = True
        needed = query.offset + query.limit
        if not count or not query.limit:
            return count, facets, []
        if query.sort == SORT_DATE:
            return count, facets, columns.ids[columns.newest(matched[selected], needed)][query.offset :].tolist()
        # A title match is a match: the title match alone finds the first tier.
        tiers = (True, None), (query.title_only, len(found))
        return count, facets, self._ranked(cursor, query, columns, wanted, needed, tiers)[query.offset : needed]

    def matching_ids(self, cursor, phrases, title_only, locale=None, among=None):
        """The ids of the documents containing every phrase, in their titles only if
        ``title_only``, as a NumPy array; only of those ``among`` when given (ids). An engine
        may leave out those of other locales (the columns filter them anyway).

        Large sets are kept in memory between searches (matches.py)."""
        raise NotImplementedError

    def ranked_ids(self, cursor, phrases, title_only, ids):
        """``ids`` (a few matches of the phrases) best first, by the engine's relevance."""
        raise NotImplementedError

    def _ranked(self, cursor, query, columns, wanted, needed, tiers):
        """Page ids, best first: the items with the words in their titles, then the others.

        Within a tier the engine's relevance decides (titles weigh more). Scoring costs
        a few µs a match, so a tier of more than ``rank_limit`` matches is ordered newest
        first instead: its words are so common that BM25's or ts_rank's weights hardly
        tell the items apart, and ranking them all cost most of a search's time.
        """
        ranked, taken = [], np.zeros(len(columns.ids), dtype=bool)
        for title_only, size in tiers:
            members = wanted & ~taken
            if size is None:
                tier = matches.matching_positions(self, cursor, query.phrases, title_only, query.locale, columns)
                size = len(tier)
                in_tier = np.zeros(len(columns.ids), dtype=bool)
                in_tier[tier] = True
                members &= in_tier
            if not members.any():
                continue
            if size <= self.rank_limit:
                ordered = self.ranked_ids(cursor, query.phrases, title_only, columns.ids[np.flatnonzero(members)])
                positions = columns.positions(np.asarray(ordered, dtype=np.int64))
                positions = positions[members[positions]]
            else:
                positions = columns.newest(np.flatnonzero(members), needed - len(ranked))
            taken[positions] = True
            ranked += columns.ids[positions].tolist()
            if len(ranked) >= needed:
                break
        return ranked

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


def _column_filters(search_schema, columns, current, matched, query):
    """A mask over ``matched`` for each selected facet filter, by facet name."""
    masks = {}
    for name, value in query.selected().items():
        field = search_schema.field_of(name)
        column = columns.coded[field.name]
        if field.facet.filter == SUBTREE:
            codes = [code for code, path in enumerate(column.values, start=1) if path.startswith(value)]
        else:
            codes = column.codes_of(filter_values(value))
        masks[name] = np.isin(current[field.name][matched], codes)
    return masks


def count_column_facets(search_schema, columns, current, matched, masks, query):
    """Facet counts over the in-memory columns: each facet applies every filter but its own."""
    facets = {}
    for field in search_schema.facet_fields:
        name, column = field.facet.name, columns.coded[field.name]
        others = [mask for other, mask in masks.items() if other != name]
        positions = matched[np.logical_and.reduce(others)] if others else matched
        counts = np.bincount(current[field.name][positions], minlength=len(column.values) + 1)
        if field.facet.filter == SUBTREE:
            keys, groups = column.grouped(unit_facet_key, query.facet_root_path)
            under = groups >= 0
            totals = np.bincount(groups[under], weights=counts[under], minlength=len(keys))
            facets[name] = {key: int(total) for key, total in zip(keys, totals, strict=True) if total}
        else:
            facets[name] = {value: int(counts[code]) for code, value in enumerate(column.values, start=1) if counts[code]}
    return facets


class ItemIndexMixin:
    """Mixed into Wagtail's database index: items also go to (or leave) ``SearchDocument``.

    Wagtail's index averages the length of every title after each chunk it adds (a full table
    scan, so quadratic over a rebuild: at 1,000,000 items, a thousand scans of a million
    rows); while a rebuild runs, its rebuilder works them all out once when it finishes.
    """

    defer_title_norms = False

    def _refresh_title_norms(self, full=False):
        if full or not self.defer_title_norms:
            super()._refresh_title_norms(full=full)

    def add_items(self, model, items):
        super().add_items(model, items)
        if is_item_model(model):
            self.backend.item_store.write(*documents_and_deletions(items))

    def delete_item(self, item):
        super().delete_item(item)
        # A deleted page arrives as a bare Page (its type is gone with it): always look.
        self.backend.item_store.write([], [item.pk])


class ItemRebuilderMixin:
    """``update_index`` starts from an empty item table, in the rebuild's transaction when
    atomic, and leaves the title norms to the rebuilder's ``finish``."""

    def start(self):
        index = super().start()
        index.backend.item_store.clear()
        index.defer_title_norms = True
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

    def warm_up(self, locale):
        """Read ``locale``'s facet columns and the matches other processes kept now rather than in
        the first search (seconds at 1,000,000 items)."""
        columns_for(schema.SCHEMA, locale)
        matches.load(locale)


def SearchBackend(params):
    """The database backend for the default database's vendor, as Wagtail's own factory chooses.

    The vendor modules are imported here: Wagtail's SQLite module needs its FTS model, which
    only exists on SQLite.
    """
    if connection.vendor not in VENDOR_BACKENDS:
        raise NotImplementedError(f"Sunshine's search supports SQLite and PostgreSQL, not {connection.vendor}.")
    return import_string(VENDOR_BACKENDS[connection.vendor])(params)
