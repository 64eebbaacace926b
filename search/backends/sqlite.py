"""The database engine on SQLite: Wagtail's SQLite backend with the item documents (see database.py).

FTS5 (external content, rowid = page id; migrations 0001 and 0003) returns the matching
ids; facets and filters are counted on the facet columns held in memory (columns.py); the
hits are ranked by FTS5's BM25.
"""

import numpy as np
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteIndex,
    SQLiteSearchAtomicRebuilder,
    SQLiteSearchBackend,
    SQLiteSearchRebuilder,
)

from ..query import SORT_DATE, filter_values
from ..schema import SUBTREE, unit_facet_key
from .columns import columns_for
from .database import ChineseSearchBackendMixin, DatabaseItemStore, ItemIndexMixin, ItemRebuilderMixin

FTS_TABLE = "disclosure_search_fts"
# Title terms weigh more than body terms in the ranking.
TITLE_WEIGHT = 10.0


class SQLiteItemStore(DatabaseItemStore):
    """Ids from FTS5, facets and filters on the in-memory columns, hits ranked by FTS5.

    (Triggers keep the FTS5 index in step with the rows: migration 0003.)
    """

    def find(self, cursor, query, search_schema):
        columns = columns_for(search_schema, query.locale)
        match, title_match = _fts_expression(query.phrases, query.title_only), _fts_expression(query.phrases, True)
        found = _matching_ids(cursor, match)
        matched = columns.positions(found)
        matched = matched[columns.allowed(query.audience)[matched]]
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
        # A title match is a match: the title expression alone finds the first tier.
        tiers = ((title_match, None), (match, len(found)))
        return count, facets, self._ranked(cursor, columns, wanted, needed, tiers)[query.offset : needed]

    def _ranked(self, cursor, columns, wanted, needed, tiers):
        """Page ids, best first: the items with the words in their titles, then the others.

        Within a tier FTS5's BM25 decides (titles weigh ten times more). FTS5 scores every
        match of the expression (2–5 µs each), so a tier of more than ``rank_limit``
        matches is ordered newest first instead: its words are so common that BM25's IDF
        hardly tells the items apart, and ranking them all cost most of a search's time.
        """
        ranked, taken = [], np.zeros(len(columns.ids), dtype=bool)
        for expression, size in tiers:
            tier_ids = None
            if size is None:
                tier_ids = _matching_ids(cursor, expression)
                size = len(tier_ids)
            members = wanted & ~taken
            if tier_ids is not None:
                in_tier = np.zeros(len(columns.ids), dtype=bool)
                in_tier[columns.positions(tier_ids)] = True
                members &= in_tier
            if not members.any():
                continue
            if size <= self.rank_limit:
                rank = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, 1.0)"
                cursor.execute(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY {rank}", [expression])
                positions = columns.positions(np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64))
                positions = positions[members[positions]]
            else:
                positions = columns.newest(np.flatnonzero(members), needed - len(ranked))
            taken[positions] = True
            ranked += columns.ids[positions].tolist()
            if len(ranked) >= needed:
                break
        return ranked


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
            buckets = {}
            for code, path in enumerate(column.values, start=1):
                key = unit_facet_key(path, query.facet_root_path)
                if key is not None and counts[code]:
                    buckets[key] = buckets.get(key, 0) + int(counts[code])
            facets[name] = buckets
        else:
            facets[name] = {value: int(counts[code]) for code, value in enumerate(column.values, start=1) if counts[code]}
    return facets


def _matching_ids(cursor, expression):
    """Page ids matching an FTS5 expression, in one string: far cheaper than a row each."""
    cursor.execute(f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    found = cursor.fetchone()[0]
    return np.fromstring(found, dtype=np.int64, sep=",") if found else np.empty(0, dtype=np.int64)


def _fts_expression(phrases, title_only):
    """An FTS5 query: every phrase, in the bigram or character columns (titles only for suggestions)."""
    parts = []
    for phrase in phrases:
        columns = ["title_terms", "body_terms"] if phrase.stream == "bigrams" else ["title_chars", "body_chars"]
        columns = columns[:1] if title_only else columns
        parts.append(f'{{{" ".join(columns)}}} : "{" ".join(phrase.terms)}"')
    return " AND ".join(parts)


class SQLiteChineseIndex(ItemIndexMixin, SQLiteIndex):
    defer_title_norms = False

    def _refresh_title_norms(self, full=False):
        if full or not self.defer_title_norms:
            super()._refresh_title_norms(full=full)


class DeferredTitleNormsMixin:
    """Wagtail's SQLite index averages every title after each chunk (a full table scan, so
    quadratic over a rebuild); its rebuilder computes them all once when it finishes."""

    def start(self):
        index = super().start()
        index.defer_title_norms = True
        return index


class SQLiteChineseRebuilder(DeferredTitleNormsMixin, ItemRebuilderMixin, SQLiteSearchRebuilder):
    pass


class SQLiteChineseAtomicRebuilder(DeferredTitleNormsMixin, ItemRebuilderMixin, SQLiteSearchAtomicRebuilder):
    pass


class SQLiteChineseSearchBackend(ChineseSearchBackendMixin, SQLiteSearchBackend):
    index_class = SQLiteChineseIndex
    rebuilder_class = SQLiteChineseRebuilder
    atomic_rebuilder_class = SQLiteChineseAtomicRebuilder
    item_store_class = SQLiteItemStore
