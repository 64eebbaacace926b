"""Facet columns in memory, for the database engine (SQLite and PostgreSQL).

Counting facets means reading the facet values of every match: for a common word at 100,000
items that is most of the table, and SQLite's row lookups alone take hundreds of
milliseconds (PostgreSQL's reading and counting the rows in Python, 800). So each process holds one locale's facet values as NumPy arrays (a few MB at
100,000 items) and counts with them; SQLite only returns the matching ids.

The arrays follow ``IndexGeneration``, which every write to the documents moves in its own
transaction: a search never counts, filters or shows a hit by a stale audience. Reading all
rows again takes seconds at 100,000 items, so after a write a process reads only the rows
written since it last looked (each row carries the number of the write that wrote it) and
the list of ids (for deletions).
"""

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from django.db import connection

from ..models import IndexGeneration, SearchDocument

_cache = {}
_lock = threading.Lock()
GROUPINGS_KEPT = 256  # per column: each an array of its values' codes


class Coded:
    """A column of repeated values as small integer codes and the values they stand for."""

    def __init__(self, values):
        self.values = sorted({value for value in values if value is not None}, key=str)
        index = {value: code for code, value in enumerate(self.values, start=1)}  # 0: none
        self.codes = np.fromiter((index.get(value, 0) for value in values), dtype=np.int32, count=len(values))
        self.index = index

    def code(self, value):
        return self.index.get(value, -1)

    def grouped(self, key_of, argument):
        """(keys, group of each code): ``key_of(value, argument)`` for every value, None left out,
        as an index into ``keys`` per code (-1: none; code 0 too). Worked out once per argument:
        the unit column of a province's county has ten thousand values, and each search groups
        them by the unit facet's root."""
        with _lock:
            memo = self.__dict__.setdefault("_grouped", OrderedDict())
            found = memo.get((key_of, argument))
            if found is not None:
                memo.move_to_end((key_of, argument))
                return found
        keys, positions, groups = [], {}, np.full(len(self.values) + 1, -1, dtype=np.int64)
        for code, value in enumerate(self.values, start=1):
            key = key_of(value, argument)
            if key is not None:
                if key not in positions:
                    positions[key] = len(keys)
                    keys.append(key)
                groups[code] = positions[key]
        with _lock:
            memo[(key_of, argument)] = (keys, groups)
            if len(memo) > GROUPINGS_KEPT:  # one per audience searching: bounded
                memo.popitem(last=False)
        return keys, groups

    def codes_of(self, texts):
        """The codes of the values written as ``texts`` (filter values arrive as text)."""
        wanted = set(texts)
        return [code for code, value in enumerate(self.values, start=1) if str(value) in wanted]

    def merged(self, keep, other, order):
        """This column's ``keep`` rows followed by ``other``'s, rearranged by ``order``.

        New values get the next codes; values no longer used keep theirs (and count nothing).
        """
        merged = Coded.__new__(Coded)
        merged.values, merged.index = list(self.values), dict(self.index)
        recode = np.zeros(len(other.values) + 1, dtype=np.int32)
        for code, value in enumerate(other.values, start=1):
            if value not in merged.index:
                merged.values.append(value)
                merged.index[value] = len(merged.values)
            recode[code] = merged.index[value]
        merged.codes = np.concatenate([self.codes[keep], recode[other.codes]])[order]
        return merged


class FacetColumns:
    """The facet values of one locale's documents, ordered by page id.

    ``coded``: the audience and each facet field's values, by field name; ``plain``: whether
    public, and dates as ordinals (0: none), by field name.
    """

    def __init__(self, search_schema, rows):
        names = column_names(search_schema)
        columns = list(zip(*rows)) if rows else [()] * len(names)
        count = len(rows)
        self.ids = np.fromiter(columns[0], dtype=np.int64, count=count)
        self.coded, self.plain = {}, {}
        for name, values in zip(names[1:], columns[1:], strict=True):
            kind = search_schema.by_name[name].kind
            if kind.python_type is bool:
                self.plain[name] = np.fromiter(values, dtype=bool, count=count)
            elif kind.python_type is datetime.date:
                self.plain[name] = np.fromiter((_ordinal(value) for value in values), dtype=np.int32, count=count)
            else:
                self.coded[name] = Coded(values)

    def updated(self, search_schema, rows, present_ids):
        """These columns with ``rows`` (documents written since) in, and those not in ``present_ids`` out."""
        fresh = FacetColumns(search_schema, rows)
        keep = np.isin(self.ids, present_ids) & ~np.isin(self.ids, fresh.ids)
        ids = np.concatenate([self.ids[keep], fresh.ids])
        order = np.argsort(ids, kind="stable")
        merged = FacetColumns.__new__(FacetColumns)
        merged.ids = ids[order]
        merged.plain = {name: np.concatenate([array[keep], fresh.plain[name]])[order] for name, array in self.plain.items()}
        merged.coded = {name: column.merged(keep, fresh.coded[name], order) for name, column in self.coded.items()}
        return merged

    def positions(self, ids):
        """Positions of ``ids`` in these columns, in the order given; ids of other locales are dropped."""
        positions = np.searchsorted(self.ids, ids)
        inside = positions < len(self.ids)
        positions, ids = positions[inside], ids[inside]
        return positions[self.ids[positions] == ids]

    def newest(self, positions, count):
        """The ``count`` newest of ``positions`` (by publication date, then page id), newest first."""
        if count <= 0 or not len(positions):
            return positions[:0]
        # One sortable key: the date's ordinal above the page id (ids stay below 2**32).
        keys = (self.plain["publish_date"][positions].astype(np.int64) << 32) | self.ids[positions]
        if count < len(positions):
            top = np.argpartition(-keys, count - 1)[:count]
            return positions[top[np.argsort(-keys[top])]]
        return positions[np.argsort(-keys)]

    def allowed(self, keys):
        """Mask of the documents the audience ``keys`` may see (None: all)."""
        if keys is None:
            return np.ones(len(self.ids), dtype=bool)
        audience = self.coded["audience"]
        _, passing = audience.grouped(_passes, frozenset(keys))
        return self.plain["public"] | (passing[audience.codes] >= 0)

    def current_codes(self, field, today):
        """The codes of ``field``'s values as of ``today``, by its facet's lapse rule (search.schema.Lapse)."""
        column, lapse = self.coded[field.name], field.facet.lapse
        if lapse is None:
            return column.codes
        codes = column.codes.copy()
        stored, becomes = column.code(lapse.stored), column.code(lapse.becomes)
        dates = self.plain[lapse.date]
        lapsed = (codes == stored) & (dates > 0) & (dates < today.toordinal())
        if lapsed.any():
            if becomes < 0:  # no document has the state yet: give it a code
                column.values.append(lapse.becomes)
                becomes = column.index[lapse.becomes] = len(column.values)
            codes[lapsed] = becomes
        return codes


def _passes(audience, keys):
    """True if one of ``keys`` is among an ``audience`` value's (space-separated), else None."""
    return True if keys.intersection(audience.split()) else None


def column_names(search_schema):
    """The columns held: page id, public, audience, publication date, and what facet counts read."""
    return ["page_id", "public", "audience", "publish_date", *search_schema.facet_columns()]


def _ordinal(value):
    if value is None:
        return 0
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.toordinal()


@dataclass(frozen=True)
class _Cached:
    token: str
    change: int
    columns: FacetColumns
    committed: bool  # read outside any transaction: nothing in it can be rolled back


def _rows(search_schema, locale, since=None):
    table, columns = SearchDocument._meta.db_table, ", ".join(column_names(search_schema))
    # Raw rows: Django's per-row converters cost more than the reading at 100,000 rows.
    with connection.cursor() as cursor:
        if since is None:
            cursor.execute(f"SELECT {columns} FROM {table} WHERE locale = %s ORDER BY page_id", [locale])
        else:
            # Looked up by change number (``+locale`` keeps SQLite off the locale index), in any
            # order: merging sorts them.
            locale_column = "+locale" if connection.vendor == "sqlite" else "locale"
            cursor.execute(f"SELECT {columns} FROM {table} WHERE change > %s AND {locale_column} = %s", [since, locale])
        return cursor.fetchall()


def _ids(locale):
    joined = "group_concat(page_id)" if connection.vendor == "sqlite" else "string_agg(page_id::text, ',')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {joined} FROM {SearchDocument._meta.db_table} WHERE locale = %s", [locale])
        found = cursor.fetchone()[0]
    return np.fromstring(found, dtype=np.int64, sep=",") if found else np.empty(0, dtype=np.int64)


def columns_for(search_schema, locale):
    """The current ``FacetColumns`` of ``locale``, brought up to date if the documents changed since."""
    token, change = IndexGeneration.state(locale)
    key = (connection.settings_dict["NAME"], locale, search_schema)
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached.token == token:
        return cached.columns
    # Inside a transaction the rows read may yet be rolled back, and a later write take their
    # number: such columns are reread in full next time rather than caught up.
    if cached is not None and cached.committed and cached.change < change:
        columns = cached.columns.updated(search_schema, _rows(search_schema, locale, since=cached.change), _ids(locale))
    else:
        columns = FacetColumns(search_schema, _rows(search_schema, locale))
    # The generation read: what the matches kept beside these columns are reckoned against (matches.py).
    columns.token, columns.change = token, change
    with _lock:
        _cache[key] = _Cached(token, change, columns, committed=outside_transactions())
    return columns


def outside_transactions():
    """Whether what is read now is committed: what a transaction read may yet be rolled back."""
    return not connection.in_atomic_block
