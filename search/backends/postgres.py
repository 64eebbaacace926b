"""The database engine on PostgreSQL: Wagtail's PostgreSQL backend with the item documents (see database.py).

The analysed title and body are kept in two tsvector columns with GIN indexes (migration
0001): bigrams in ``terms_vector``, single characters in ``chars_vector``, titles at weight A;
their title parts again in ``title_terms_vector`` and ``title_chars_vector`` (migration 0006).
"""

from collections import defaultdict
from itertools import islice

import numpy as np
from django.db import connection
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchRebuilder,
)

from disclosure_pages.pages_compat import add_index_entries, copy_rows, fast_paths, insert_fields

from ..models import SearchDocument
from .database import DOC_TABLE, ChineseSearchBackendMixin, DatabaseItemStore, ItemIndexMixin, ItemRebuilderMixin

# Body positions start after a gap so that a phrase never spans the title and the body.
BODY_OFFSET = 200
MAX_POSITION = 16383  # PostgreSQL's last tsvector position
POSITION_LABELS = {weight: [f"{position}{weight}" for position in range(MAX_POSITION + 1)] for weight in "AB"}


class PostgresItemStore(DatabaseItemStore):
    """Ids from the GIN indexes, hits ranked with ts_rank (titles weigh ten times more).

    Titles are matched in their own short vectors (the title part of the full ones, kept by
    PostgreSQL: migration 0006): matching a phrase rechecks each candidate's positions, and
    reading the full vector of every item with a common word in its title only to learn
    whether it is there cost more than the whole search.
    """

    def insert(self, rows, documents):
        """The rows with their vectors, by COPY: an INSERT and then an UPDATE of the vectors
        wrote every row and its index entries twice (most of a rebuild's database time)."""
        copy_rows(
            SearchDocument, rows, insert_fields(SearchDocument), connection,
            extra_columns=["terms_vector", "chars_vector"],
            extra_values=[
                (tsvector(document.title_terms, document.body_terms), tsvector(document.title_chars, document.body_chars))
                for document in documents
            ],
        )

    def matching_ids(self, cursor, phrases, title_only, locale=None, among=None):
        clauses, params = [], []
        # Every term, from the GIN indexes: without positions nothing is rechecked…
        for column, query in _vector_queries(phrases, title_only, consecutive=False):
            clauses.append(f"{column} @@ %s::tsquery")
            params.append(query)
        # …then the phrases' terms consecutive, which reads each such document's vector. The
        # full vectors are stored out of line (a few KB each), the title ones in the row: a
        # phrase in the title is a match without reading the full vector (a phrase of common
        # words such as 民主评议 has thousands of such documents, mostly with it in the title).
        # CASE, not OR: PostgreSQL would rewrite an OR into index conditions and test every
        # vector twice.
        for column, query in _vector_queries([phrase for phrase in phrases if len(phrase.terms) > 1], title_only):
            if title_only:
                clauses.append(f"{column} @@ %s::tsquery")
                params.append(query)
            else:
                title_column = column.replace("d.", "d.title_")
                clauses.append(f"CASE WHEN {title_column} @@ %s::tsquery THEN true ELSE {column} @@ %s::tsquery END")
                params += [query, query]
        # The locale too: PostgreSQL tests such cheap conditions first, so a phrase's
        # positions are not rechecked in documents of the other script.
        if locale is not None:
            clauses.append("d.locale = %s")
            params.append(locale)
        if among is not None:
            clauses.append("d.page_id = ANY(%s)")
            params.append([int(pk) for pk in among])
        # One string rather than a row each: far cheaper to fetch tens of thousands.
        sql = f"SELECT string_agg(page_id::text, ',') FROM {DOC_TABLE} d WHERE {' AND '.join(clauses)}"
        # From the GIN indexes even when the terms are in most items: a sequential scan
        # decompresses every row's vector to test it (1 s at 36,000 items), where the index
        # answers without reading any. The bitmap is kept exact (work_mem): a lossy one would
        # recheck whole pages. Reset after, for an enclosing transaction. One round trip
        # (statements sent together run as one transaction): on a busy server each costs
        # milliseconds.
        cursor.execute(f"SET LOCAL enable_seqscan = off; SET LOCAL work_mem = '64MB'; {sql}; RESET enable_seqscan; RESET work_mem", params)
        cursor.nextset()  # past the two SETs' results
        cursor.nextset()
        found = cursor.fetchone()[0]
        return np.fromstring(found, dtype=np.int64, sep=",") if found else np.empty(0, dtype=np.int64)

    def ranked_ids(self, cursor, phrases, title_only, ids):
        weights = "'{0.1, 0.2, 0.1, 1.0}'"  # D, C, B (body), A (title)
        parts, params = [], []
        for column, query in _vector_queries(phrases):
            parts.append(f"ts_rank({weights}, {column}, %s::tsquery)")
            params.append(query)
        cursor.execute(
            f"SELECT d.page_id FROM {DOC_TABLE} d WHERE d.page_id = ANY(%s) "
            f"ORDER BY {' + '.join(parts)} DESC, d.publish_date DESC NULLS LAST, d.page_id DESC",
            [[int(pk) for pk in ids], *params],
        )
        return [row[0] for row in cursor.fetchall()]


def tsvector(title_terms, body_terms):
    """A PostgreSQL tsvector literal of the analysed title (weight A) and body (weight B).

    A rebuild writes hundreds of millions of positions: each is a label looked up, not formatted.
    """
    positions = defaultdict(list)
    for offset, weight, terms in ((1, "A", title_terms), (BODY_OFFSET, "B", body_terms)):
        labels, terms = POSITION_LABELS[weight], terms.split()
        for term, label in zip(terms, islice(labels, offset, None)):
            positions[term].append(label)
        for term in terms[MAX_POSITION + 1 - offset :]:  # past the last position, all at it
            positions[term].append(labels[MAX_POSITION])
    return " ".join([f"'{term}':{','.join(places[:256])}" for term, places in positions.items()])


def _vector_queries(phrases, title_only=False, consecutive=True):
    """(tsvector column, tsquery) for each term stream the phrases use, in the title vectors if ``title_only``."""
    prefix = "d.title_" if title_only else "d."
    for stream, column in (("bigrams", "terms_vector"), ("chars", "chars_vector")):
        stream_phrases = [phrase for phrase in phrases if phrase.stream == stream]
        if stream_phrases:
            yield prefix + column, tsquery(stream_phrases, consecutive)


def tsquery(phrases, consecutive=True):
    """A PostgreSQL tsquery literal: every phrase, its terms consecutive (else merely all there)."""
    joint = " <-> " if consecutive else " & "
    return " & ".join("(" + joint.join(f"'{term}'" for term in phrase.terms) + ")" for phrase in phrases)


class PostgresEntriesIndex(PostgresIndex):
    """Wagtail's index, its entries written by ``pages_compat.add_index_entries`` with the fast
    paths on: the same rows in a fraction of the time (half a rebuild went to writing them)."""

    def add_items(self, model, items):
        if not fast_paths():
            return super().add_items(model, items)
        add_index_entries(self, model, items)
        self._refresh_title_norms()


class PostgresChineseIndex(ItemIndexMixin, PostgresEntriesIndex):
    pass


class PostgresChineseRebuilder(ItemRebuilderMixin, PostgresSearchRebuilder):
    pass


class PostgresChineseAtomicRebuilder(ItemRebuilderMixin, PostgresSearchAtomicRebuilder):
    pass


class PostgresChineseSearchBackend(ChineseSearchBackendMixin, PostgresSearchBackend):
    index_class = PostgresChineseIndex
    rebuilder_class = PostgresChineseRebuilder
    atomic_rebuilder_class = PostgresChineseAtomicRebuilder
    item_store_class = PostgresItemStore
