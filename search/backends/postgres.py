"""The database engine on PostgreSQL: Wagtail's PostgreSQL backend with the item documents (see database.py).

The analysed title and body are kept in two tsvector columns with GIN indexes (migration
0001): bigrams in ``terms_vector``, single characters in ``chars_vector``, titles at weight A.
"""

import datetime
from collections import Counter, defaultdict

from django.db import connection
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchRebuilder,
)

from ..query import SORT_DATE, filter_values
from ..schema import SUBTREE, unit_facet_key
from .database import DOC_TABLE, ChineseSearchBackendMixin, DatabaseItemStore, ItemIndexMixin, ItemRebuilderMixin

# Body positions start after a gap so that a phrase never spans the title and the body.
BODY_OFFSET = 200
MAX_POSITION = 16383  # PostgreSQL's last tsvector position


class PostgresItemStore(DatabaseItemStore):
    """The matching rows read once, with their facet columns and dates.

    Facets are counted from those rows, and the hits are those passing every filter. Up to
    ``rank_limit`` of them are ranked with ts_rank; more are ordered as on SQLite: title
    matches first, then newest first (ranking every match of a common word, and matching it a
    second time to do so, was most of a 300 ms search at 100,000 items).
    """

    def written(self, documents):
        if not documents:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {DOC_TABLE} SET terms_vector = %s::tsvector, chars_vector = %s::tsvector WHERE page_id = %s",
                [
                    (
                        tsvector(document.title_terms, document.body_terms),
                        tsvector(document.title_chars, document.body_chars),
                        document.page_id,
                    )
                    for document in documents
                ],
            )

    def find(self, cursor, query, search_schema):
        match_sql, match_params = _match(query.phrases, query.title_only)
        where, params = [match_sql, "d.locale = %s"], [*match_params, query.locale]
        if query.audience is not None:
            audience_sql, audience_params = _audience(query.audience)
            where.append(audience_sql)
            params += audience_params
        if not query.facets:
            for sql, filter_params in _filters(search_schema, query).values():
                where.append(sql)
                params += filter_params
        in_title_sql, in_title_params = _in_title(query.phrases)
        facet_columns = search_schema.facet_columns() if query.facets else []
        columns = ["d.page_id", "d.publish_date", in_title_sql, *("d." + name for name in facet_columns)]
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {DOC_TABLE} d WHERE {' AND '.join(where)}", [*in_title_params, *params]
        )
        rows = cursor.fetchall()
        if query.facets:
            count, facets, passing = count_facets(search_schema, rows, query)
        else:
            count, facets, passing = len(rows), {}, rows
        return count, facets, (self._page(cursor, passing, query) if query.limit else [])

    def _page(self, cursor, rows, query):
        """The ids of the requested page of ``rows`` (page id, date, in title, …), in order."""
        stop = query.offset + query.limit
        if query.sort != SORT_DATE and len(rows) <= self.rank_limit:
            rank_sql, rank_params = _rank(query.phrases)
            cursor.execute(
                f"SELECT d.page_id FROM {DOC_TABLE} d WHERE d.page_id = ANY(%s) "
                f"ORDER BY {rank_sql}, d.publish_date DESC, d.page_id DESC LIMIT %s OFFSET %s",
                [[row[0] for row in rows], *rank_params, query.limit, query.offset],
            )
            return [row[0] for row in cursor.fetchall()]
        in_title = (lambda row: row[2]) if query.sort != SORT_DATE else (lambda row: False)
        newest = sorted(rows, key=lambda row: (in_title(row), row[1] or datetime.date.min, row[0]), reverse=True)
        return [row[0] for row in newest[query.offset : stop]]


def _match(phrases, title_only=False):
    clauses, params = [], []
    for column, query in _vector_queries(phrases, weights="A" if title_only else ""):
        clauses.append(f"{column} @@ %s::tsquery")
        params.append(query)
    return " AND ".join(clauses), params


def _in_title(phrases):
    """SQL true when every phrase is in the title: its terms in a row in the analysed title,
    as the tsvector holds them (a short column, where the vectors are long and stored apart)."""
    clauses, params = [], []
    for phrase in phrases:
        column = "d.title_terms" if phrase.stream == "bigrams" else "d.title_chars"
        clauses.append(f"(' ' || {column} || ' ') LIKE %s")
        params.append(f"% {' '.join(phrase.terms)} %")
    return "(" + (" AND ".join(clauses) or "FALSE") + ")", params


def _rank(phrases):
    weights = "'{0.1, 0.2, 0.1, 1.0}'"  # D, C, B (body), A (title)
    parts, params = [], []
    for column, query in _vector_queries(phrases):
        parts.append(f"ts_rank({weights}, {column}, %s::tsquery)")
        params.append(query)
    return f"-({' + '.join(parts)})", params


def _audience(keys):
    others = [key for key in keys if key != "public"]
    clauses = ["d.public"] + ["d.audience LIKE %s"] * len(others)
    return "(" + " OR ".join(clauses) + ")", [f"% {key} %" for key in others]


def _filters(search_schema, query):
    """SQL for each selected facet filter, by facet name."""
    filters = {}
    for name, value in query.selected().items():
        field = search_schema.field_of(name)
        column, lapse = f"d.{field.name}", field.facet.lapse
        if field.facet.filter == SUBTREE:
            filters[name] = (f"{column} LIKE %s", [value + "%"])
        elif lapse and value in (lapse.stored, lapse.becomes):
            date = f"d.{lapse.date}"
            if value == lapse.stored:
                filters[name] = (f"({column} = %s AND ({date} IS NULL OR {date} >= %s))", [value, query.today])
            else:
                filters[name] = (f"({column} = %s OR ({column} = %s AND {date} < %s))", [value, lapse.stored, query.today])
        else:
            values = field.values_of(value)
            filters[name] = (f"{column} IN ({', '.join(['%s'] * len(values))})", list(values))
    return filters


def count_facets(search_schema, rows, query):
    """(total, facet counts, the rows passing every filter) of the matching ``rows``: tuples of
    three leading columns and then the schema's ``facet_columns``.

    Each row's facet values are compared with the selected filters once; a facet counts the
    rows that pass every filter but its own.
    """
    selected = query.selected()
    wanted = {name: filter_values(value) for name, value in selected.items()}
    columns = {name: position for position, name in enumerate(search_schema.facet_columns(), start=3)}
    # (facet name, position of its value, lapse rule, position of the rule's date, counted by subtree)
    facets = []
    for field in search_schema.facet_fields:
        lapse = field.facet.lapse
        facets.append(
            (field.facet.name, columns[field.name], lapse, columns[lapse.date] if lapse else None, field.facet.filter == SUBTREE)
        )
    subtrees = {name for name, _position, _lapse, _date, subtree in facets if subtree}
    counts = defaultdict(Counter)
    passing = []
    for row in rows:
        values = {
            name: lapse.current(row[position], row[date], query.today) if lapse else row[position]
            for name, position, lapse, date, _subtree in facets
        }
        failed = [
            name for name in selected
            if not (values[name].startswith(selected[name]) if name in subtrees else str(values[name]) in wanted[name])
        ]
        if not failed:
            passing.append(row)
        if len(failed) > 1:
            continue
        for name, _position, _lapse, _date, subtree in facets:
            if failed and failed[0] != name:
                continue
            key = unit_facet_key(values[name], query.facet_root_path) if subtree else values[name]
            if key is not None:
                counts[name][key] += 1
    return len(passing), {name: dict(counts[name]) for name, *_rest in facets}, passing


def tsvector(title_terms, body_terms):
    """A PostgreSQL tsvector literal of the analysed title (weight A) and body (weight B)."""
    positions = defaultdict(list)
    for offset, weight, terms in ((1, "A", title_terms), (BODY_OFFSET, "B", body_terms)):
        for position, term in enumerate(terms.split(), start=offset):
            positions[term].append(f"{min(position, MAX_POSITION)}{weight}")
    return " ".join(f"'{term}':{','.join(places[:256])}" for term, places in positions.items())


def _vector_queries(phrases, weights=""):
    """(tsvector column, tsquery) for each term stream the phrases use."""
    for stream, column in (("bigrams", "d.terms_vector"), ("chars", "d.chars_vector")):
        stream_phrases = [phrase for phrase in phrases if phrase.stream == stream]
        if stream_phrases:
            yield column, tsquery(stream_phrases, weights)


def tsquery(phrases, weights=""):
    """A PostgreSQL tsquery literal: every phrase, its terms consecutive (``weights="A"``: titles only)."""
    suffix = f":{weights}" if weights else ""
    return " & ".join("(" + " <-> ".join(f"'{term}'{suffix}" for term in phrase.terms) + ")" for phrase in phrases)


class PostgresChineseIndex(ItemIndexMixin, PostgresIndex):
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
