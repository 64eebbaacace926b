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

from .database import ChineseSearchBackendMixin, DatabaseItemStore, ItemIndexMixin, ItemRebuilderMixin

FTS_TABLE = "disclosure_search_fts"
# Title terms weigh more than body terms in the ranking.
TITLE_WEIGHT = 10.0


class SQLiteItemStore(DatabaseItemStore):
    """Ids from FTS5, hits ranked by FTS5's BM25 (titles weigh ten times more).

    (Triggers keep the FTS5 index in step with the rows: migration 0003.)
    """

    def matching_ids(self, cursor, phrases, title_only, locale=None, among=None):
        # The locale is applied on the columns: FTS5 has no cheaper way to.
        return _matching_ids(cursor, _fts_expression(phrases, title_only), among)

    def ranked_ids(self, cursor, phrases, title_only, ids):
        # FTS5 ranks every match of the expression: the caller keeps those it asked about.
        rank = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, 1.0)"
        cursor.execute(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY {rank}", [_fts_expression(phrases, title_only)]
        )
        return [row[0] for row in cursor.fetchall()]


def _matching_ids(cursor, expression, among=None):
    """Page ids matching an FTS5 expression (of those ``among``), in one string: far cheaper than a row each."""
    if among is None:
        cursor.execute(f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [expression])
    else:
        among = [int(pk) for pk in among]
        placeholders = ",".join(["%s"] * len(among))
        cursor.execute(
            f"SELECT group_concat(rowid) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s AND rowid IN ({placeholders})",
            [expression, *among],
        )
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
    pass


class SQLiteChineseRebuilder(ItemRebuilderMixin, SQLiteSearchRebuilder):
    pass


class SQLiteChineseAtomicRebuilder(ItemRebuilderMixin, SQLiteSearchAtomicRebuilder):
    pass


class SQLiteChineseSearchBackend(ChineseSearchBackendMixin, SQLiteSearchBackend):
    index_class = SQLiteChineseIndex
    rebuilder_class = SQLiteChineseRebuilder
    atomic_rebuilder_class = SQLiteChineseAtomicRebuilder
    item_store_class = SQLiteItemStore
