"""The embedded engine: Wagtail's database backend, with disclosure items analysed for Chinese.

Wagtail's own tables keep serving the admin's search. Disclosure items are also written to
``SearchDocument`` with their facets as columns and their analysed text indexed by SQLite
FTS5 (external content, rowid = page id) or by PostgreSQL tsvector columns with GIN
indexes. A search is then one full-text match on one table plus one ordered page of it:
Wagtail's generic query (a full-text match per candidate page) took seconds at 50,000 pages.
"""

import datetime
import time
from collections import Counter, defaultdict

import numpy as np
from django.db import connection, transaction

from ..models import IndexGeneration, SearchDocument
from ..query import FACETS, SORT_DATE, EngineResults, Hit, current_validity, filter_values, unit_facet_key
from .base import documents_and_deletions, is_item_model
from .columns import columns_for

FTS_TABLE = "disclosure_search_fts"
DOC_TABLE = SearchDocument._meta.db_table
# Title terms weigh more than body terms in the ranking.
TITLE_WEIGHT = 10.0
# Body positions start after a gap so that a phrase never spans the title and the body.
BODY_OFFSET = 200
MAX_POSITION = 16383  # PostgreSQL's last tsvector position
# Above this many matches a ranking tier is ordered newest first rather than by BM25 (SQLite).
RANK_LIMIT = 1000
ROW_COLUMNS = (
    "page_id", "locale", "title", "text", "url", "unit_code", "unit_name", "unit_path", "area_key", "entry_key",
    "publish_date", "year", "stage", "importance", "scope", "validity", "expiry_date", "withdrawn", "index_number",
    "document_number", "public", "audience", "title_terms", "body_terms", "title_chars", "body_chars",
)
FACET_COLUMNS = ("unit_path", "area_key", "entry_key", "year", "stage", "validity", "expiry_date", "scope")


def _row(document, change):
    values = document.as_dict()
    values["public"] = document.public
    values["audience"] = " " + " ".join(document.audience) + " "
    return SearchDocument(change=change, **{name: values[name] for name in ROW_COLUMNS})


class DatabaseItemStore:
    """Disclosure items in ``SearchDocument``, matched with the database's own full text search."""

    name = "database"

    def __init__(self):
        self.vendor = connection.vendor

    # -- writing -----------------------------------------------------------------------------

    def write(self, documents, delete_ids=()):
        ids = [document.page_id for document in documents] + list(delete_ids)
        if not ids:
            return
        with transaction.atomic():
            # On SQLite, triggers keep the FTS5 index in step (migration 0003).
            SearchDocument.objects.filter(page_id__in=ids).delete()
            change = IndexGeneration.next_change()
            SearchDocument.objects.bulk_create([_row(document, change) for document in documents])
            if self.vendor == "postgresql":
                self._write_vectors(documents)
            IndexGeneration.bump(self._locales({document.locale for document in documents}), change)

    def clear(self):
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            IndexGeneration.bump(self._locales())

    def _locales(self, also=()):
        # A deleted document's locale is not known any more: every locale moves on.
        return set(also) | set(IndexGeneration.objects.values_list("locale", flat=True))

    def _write_vectors(self, documents):
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

    # -- searching ---------------------------------------------------------------------------

    def search(self, query):
        if self.vendor == "sqlite":
            return self._search_with_columns(query)
        return self._search_in_sql(query)

    def _search_in_sql(self, query):
        """PostgreSQL: the matching rows read once, with their facet columns and dates.

        Facets are counted from those rows, and the hits are those passing every filter.
        Up to ``RANK_LIMIT`` of them are ranked with ts_rank; more are ordered as on SQLite:
        title matches first, then newest first (ranking every match of a common word, and
        matching it a second time to do so, was most of a 300 ms search at 100,000 items).
        """
        started = time.perf_counter()
        match_sql, match_params = self._match(query.phrases, query.title_only)
        where, params = [match_sql, "d.locale = %s"], [*match_params, query.locale]
        if query.audience is not None:
            audience_sql, audience_params = self._audience(query.audience)
            where.append(audience_sql)
            params += audience_params
        if not query.facets:
            for sql, filter_params in self._filters(query).values():
                where.append(sql)
                params += filter_params
        in_title_sql, in_title_params = self._in_title(query.phrases)
        columns = ["d.page_id", "d.publish_date", in_title_sql, *(["d." + c for c in FACET_COLUMNS] if query.facets else [])]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {self._from()} WHERE {' AND '.join(where)}",
                [*in_title_params, *params],
            )
            rows = cursor.fetchall()
            if query.facets:
                count, facets, passing = count_facets(rows, query)
            else:
                count, facets, passing = len(rows), {}, rows
            page_ids = self._page(cursor, passing, query) if query.limit else []
            hits = self._hits(cursor, page_ids, query.today)
        elapsed = (time.perf_counter() - started) * 1000
        return EngineResults(count=count, hits=hits, facets=facets, engine_ms=elapsed)

    def _page(self, cursor, rows, query):
        """The ids of the requested page of ``rows`` (page id, date, in title, …), in order."""
        stop = query.offset + query.limit
        if query.sort != SORT_DATE and len(rows) <= RANK_LIMIT:
            rank_sql, rank_params = self._rank(query.phrases)
            cursor.execute(
                f"SELECT d.page_id FROM {DOC_TABLE} d WHERE d.page_id = ANY(%s) "
                f"ORDER BY {rank_sql}, d.publish_date DESC, d.page_id DESC LIMIT %s OFFSET %s",
                [[row[0] for row in rows], *rank_params, query.limit, query.offset],
            )
            return [row[0] for row in cursor.fetchall()]
        in_title = (lambda row: row[2]) if query.sort != SORT_DATE else (lambda row: False)
        newest = sorted(rows, key=lambda row: (in_title(row), row[1] or datetime.date.min, row[0]), reverse=True)
        return [row[0] for row in newest[query.offset : stop]]

    def _search_with_columns(self, query):
        """SQLite: ids from FTS5, facets and filters on the in-memory columns, hits ranked by FTS5."""
        started = time.perf_counter()
        columns = columns_for(query.locale)
        match, title_match = _fts_expression(query.phrases, query.title_only), _fts_expression(query.phrases, True)
        with connection.cursor() as cursor:
            found = _matching_ids(cursor, match)
            matched = columns.positions(found)
            matched = matched[columns.allowed(query.audience)[matched]]
            masks = self._column_filters(columns, matched, query)
            selected = np.logical_and.reduce(list(masks.values())) if masks else np.ones(len(matched), dtype=bool)
            count = int(selected.sum())
            facets = count_column_facets(columns, matched, masks, query) if query.facets else {}
            wanted = np.zeros(len(columns.ids), dtype=bool)
            wanted[matched[selected]] = True
            needed = query.offset + query.limit
            if not count or not query.limit:
                page_ids = []
            elif query.sort == SORT_DATE:
                page_ids = columns.ids[columns.newest(matched[selected], needed)][query.offset :].tolist()
            else:
                # A title match is a match: the title expression alone finds the first tier.
                tiers = ((title_match, None), (match, len(found)))
                page_ids = self._ranked(cursor, columns, wanted, needed, tiers)[query.offset : needed]
            hits = self._hits(cursor, page_ids, query.today)
        elapsed = (time.perf_counter() - started) * 1000
        return EngineResults(count=count, hits=hits, facets=facets, engine_ms=elapsed)

    def _ranked(self, cursor, columns, wanted, needed, tiers):
        """Page ids, best first: the items with the words in their titles, then the others.

        Within a tier FTS5's BM25 decides (titles weigh ten times more). FTS5 scores every
        match of the expression (2–5 µs each), so a tier of more than ``RANK_LIMIT``
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
            if size <= RANK_LIMIT:
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

    def _hits(self, cursor, page_ids, today):
        if not page_ids:
            return []
        placeholders = ",".join(["%s"] * len(page_ids))
        cursor.execute(
            f"SELECT page_id, title, url, text, unit_name, unit_code, publish_date, index_number, document_number, "
            f"stage, validity, expiry_date, withdrawn FROM {DOC_TABLE} WHERE page_id IN ({placeholders})",
            page_ids,
        )
        rows = {row[0]: row for row in cursor.fetchall()}
        return [
            Hit(
                page_id=row[0], title=row[1], url=row[2], text=row[3], unit_name=row[4], unit_code=row[5],
                publish_date=_date(row[6]), index_number=row[7], document_number=row[8], stage=row[9],
                validity=current_validity(row[10], _date(row[11]), today), withdrawn=bool(row[12]),
            )
            for row in (rows[page_id] for page_id in page_ids if page_id in rows)
        ]

    def _column_filters(self, columns, matched, query):
        """A mask over ``matched`` for each selected facet filter, by facet name."""
        masks = {}
        if query.unit_path:
            codes = [code for code, path in enumerate(columns.unit_path.values, start=1) if path.startswith(query.unit_path)]
            masks["unit"] = np.isin(columns.unit_path.codes[matched], codes)
        for name, column in (("area", columns.area), ("entry", columns.entry), ("year", columns.year),
                             ("stage", columns.stage), ("scope", columns.scope)):
            value = getattr(query, name)
            if value not in (None, ""):
                if name == "year":
                    masks[name] = column.codes[matched] == column.code(int(value))
                else:
                    masks[name] = np.isin(column.codes[matched], [column.code(each) for each in filter_values(value)])
        if query.validity:
            masks["validity"] = columns.current_validity(query.today)[matched] == columns.validity.code(query.validity)
        return masks

    # -- PostgreSQL: one table, tsvector columns ---------------------------------------------

    def _from(self):
        return f"{DOC_TABLE} d"

    def _match(self, phrases, title_only=False):
        clauses, params = [], []
        for column, query in _vector_queries(phrases, weights="A" if title_only else ""):
            clauses.append(f"{column} @@ %s::tsquery")
            params.append(query)
        return " AND ".join(clauses), params

    def _in_title(self, phrases):
        """SQL true when every phrase is in the title: its terms in a row in the analysed title,
        as the tsvector holds them (a short column, where the vectors are long and stored apart)."""
        clauses, params = [], []
        for phrase in phrases:
            column = "d.title_terms" if phrase.stream == "bigrams" else "d.title_chars"
            clauses.append(f"(' ' || {column} || ' ') LIKE %s")
            params.append(f"% {' '.join(phrase.terms)} %")
        return "(" + (" AND ".join(clauses) or "FALSE") + ")", params

    def _rank(self, phrases):
        weights = "'{0.1, 0.2, 0.1, 1.0}'"  # D, C, B (body), A (title)
        parts, params = [], []
        for column, query in _vector_queries(phrases):
            parts.append(f"ts_rank({weights}, {column}, %s::tsquery)")
            params.append(query)
        return f"-({' + '.join(parts)})", params

    def _audience(self, keys):
        others = [key for key in keys if key != "public"]
        clauses = ["d.public"] + ["d.audience LIKE %s"] * len(others)
        return "(" + " OR ".join(clauses) + ")", [f"% {key} %" for key in others]

    def _filters(self, query):
        """SQL for each selected facet filter, by facet name."""
        filters = {}
        if query.unit_path:
            filters["unit"] = ("d.unit_path LIKE %s", [query.unit_path + "%"])
        for name, column in (("area", "area_key"), ("entry", "entry_key"), ("year", "year"), ("stage", "stage"), ("scope", "scope")):
            value = getattr(query, name)
            if value not in (None, ""):
                values = filter_values(value) if name in ("area", "entry") else (value,)
                filters[name] = (f"d.{column} IN ({', '.join(['%s'] * len(values))})", list(values))
        if query.validity == "valid":
            filters["validity"] = ("(d.validity = 'valid' AND (d.expiry_date IS NULL OR d.expiry_date >= %s))", [query.today])
        elif query.validity == "expired":
            filters["validity"] = ("(d.validity = 'expired' OR (d.validity = 'valid' AND d.expiry_date < %s))", [query.today])
        elif query.validity:
            filters["validity"] = ("d.validity = %s", [query.validity])
        return filters


def _date(value):
    """SQLite hands dates back as text from raw queries."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


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


def count_column_facets(columns, matched, masks, query):
    """Facet counts over the in-memory columns: each facet applies every filter but its own."""
    facets = {}
    coded = {"area": columns.area, "entry": columns.entry, "year": columns.year, "stage": columns.stage,
             "scope": columns.scope}
    validity_codes = columns.current_validity(query.today)
    for name in FACETS:
        others = [mask for other, mask in masks.items() if other != name]
        positions = matched[np.logical_and.reduce(others)] if others else matched
        if name == "unit":
            counts = np.bincount(columns.unit_path.codes[positions], minlength=len(columns.unit_path.values) + 1)
            buckets = Counter()
            for code, path in enumerate(columns.unit_path.values, start=1):
                key = unit_facet_key(path, query.facet_root_path)
                if key is not None and counts[code]:
                    buckets[key] += int(counts[code])
            facets[name] = dict(buckets)
        else:
            column = coded.get(name, columns.validity)
            codes = validity_codes[positions] if name == "validity" else column.codes[positions]
            counts = np.bincount(codes, minlength=len(column.values) + 1)
            facets[name] = {value: int(counts[code]) for code, value in enumerate(column.values, start=1) if counts[code]}
    return facets


def count_facets(rows, query):
    """(total, facet counts, the rows passing every filter) of the matching ``rows``: tuples of
    three leading columns and then FACET_COLUMNS.

    Each row's facet values are compared with the selected filters once; a facet counts the
    rows that pass every filter but its own.
    """
    selected = query.selected()
    counts = defaultdict(Counter)
    passing = []
    unit_prefix = query.unit_path
    for row in rows:
        unit_path, area, entry, year, stage, validity, expiry, scope = row[3:]
        values = {
            "unit": unit_path,
            "area": str(area) if area else None,
            "entry": str(entry) if entry else None,
            "year": year,
            "stage": stage,
            "validity": current_validity(validity, _date(expiry), query.today),
            "scope": scope,
        }
        failed = [
            name for name, wanted in selected.items()
            if not (values[name].startswith(unit_prefix) if name == "unit" else str(values[name]) in filter_values(wanted))
        ]
        if not failed:
            passing.append(row)
        if len(failed) > 1:
            continue
        for name in FACETS:
            if failed and failed[0] != name:
                continue
            if name == "unit":
                key = unit_facet_key(unit_path, query.facet_root_path)
            else:
                key = values[name]
            if key is not None:
                counts[name][key] += 1
    return len(passing), {name: dict(counts[name]) for name in FACETS}, passing


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
        # Wagtail's SQLite index averages every title after each chunk (a full table scan, so
        # quadratic over a rebuild); its rebuilder computes them all once when it finishes.
        index.defer_title_norms = True
        return index


class ChineseSearchBackendMixin:
    name = "database"

    def __init__(self, params):
        super().__init__(params)
        self.item_store = DatabaseItemStore()

    def search_items(self, query):
        return self.item_store.search(query)


def SearchBackend(params):
    """The database backend for the default database's vendor, as Wagtail's own factory chooses.

    The vendor modules are imported here: Wagtail's SQLite module needs its FTS model, which
    only exists on SQLite.
    """
    if connection.vendor == "sqlite":
        from .sqlite import SQLiteChineseSearchBackend

        return SQLiteChineseSearchBackend(params)
    if connection.vendor == "postgresql":
        from .postgres import PostgresChineseSearchBackend

        return PostgresChineseSearchBackend(params)
    raise NotImplementedError(f"Sunshine's search supports SQLite and PostgreSQL, not {connection.vendor}.")
