"""Facet columns in memory, for the database engine on SQLite.

Counting facets means reading the facet values of every match: for a common word at 100,000
items that is most of the table, and SQLite's row lookups alone take hundreds of
milliseconds. So each process holds one locale's facet values as NumPy arrays (a few MB at
100,000 items) and counts with them; SQLite only returns the matching ids. The arrays are
reloaded whenever ``IndexGeneration`` moves, which every write to the documents does in its
own transaction: a search never counts, filters or shows a hit by a stale audience.
"""

import datetime
import threading

import numpy as np
from django.db import connection

from ..models import IndexGeneration, SearchDocument
from ..query import EXPIRED, VALID

_cache = {}
_lock = threading.Lock()
FIELDS = (
    "public", "audience", "unit_path", "area_key", "entry_key", "year", "stage", "validity", "expiry_date", "scope",
    "publish_date",
)


class Coded:
    """A column of repeated values as small integer codes and the values they stand for."""

    def __init__(self, values):
        self.values = sorted({value for value in values if value is not None}, key=str)
        index = {value: code for code, value in enumerate(self.values, start=1)}  # 0: none
        self.codes = np.fromiter((index.get(value, 0) for value in values), dtype=np.int32, count=len(values))
        self.index = index

    def code(self, value):
        return self.index.get(value, -1)


class FacetColumns:
    """The facet values of one locale's documents, ordered by page id."""

    def __init__(self, rows):
        columns = list(zip(*rows)) if rows else [()] * (len(FIELDS) + 1)
        self.ids = np.fromiter(columns[0], dtype=np.int64, count=len(rows))
        self.public = np.fromiter(columns[1], dtype=bool, count=len(rows))
        self.audience = Coded(columns[2])
        self.unit_path = Coded(columns[3])
        self.area = Coded(columns[4])
        self.entry = Coded(columns[5])
        self.year = Coded(columns[6])
        self.stage = Coded(columns[7])
        self.validity = Coded(columns[8])
        self.expiry = np.fromiter(
            (_ordinal(value) for value in columns[9]), dtype=np.int32, count=len(rows)
        )
        self.scope = Coded(columns[10])
        self.published = np.fromiter((_ordinal(value) for value in columns[11]), dtype=np.int32, count=len(rows))

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
        keys = (self.published[positions].astype(np.int64) << 32) | self.ids[positions]
        if count < len(positions):
            top = np.argpartition(-keys, count - 1)[:count]
            return positions[top[np.argsort(-keys[top])]]
        return positions[np.argsort(-keys)]

    def allowed(self, keys):
        """Mask of the documents the audience ``keys`` may see (None: all)."""
        if keys is None:
            return np.ones(len(self.ids), dtype=bool)
        wanted = set(keys)
        allowed_codes = np.zeros(len(self.audience.values) + 1, dtype=bool)
        for code, value in enumerate(self.audience.values, start=1):
            allowed_codes[code] = bool(wanted & set(value.split()))
        return self.public | allowed_codes[self.audience.codes]

    def current_validity(self, today):
        """Validity codes as of ``today``: valid items past their expiry date count as expired."""
        codes = self.validity.codes.copy()
        valid, expired = self.validity.code(VALID), self.validity.code(EXPIRED)
        lapsed = (codes == valid) & (self.expiry > 0) & (self.expiry < today.toordinal())
        if lapsed.any():
            if expired < 0:  # no item is marked expired yet: give the state a code
                expired = len(self.validity.values) + 1
                self.validity.values.append(EXPIRED)
                self.validity.index[EXPIRED] = expired
            codes[lapsed] = expired
        return codes


def _ordinal(value):
    if value is None:
        return 0
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.toordinal()


def columns_for(locale):
    """The current ``FacetColumns`` of ``locale``, reloaded if the documents changed since."""
    generation = IndexGeneration.current(locale)
    key = (connection.settings_dict["NAME"], locale)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == generation:
            return cached[1]
    rows = list(
        SearchDocument.objects.filter(locale=locale).order_by("page_id").values_list("page_id", *FIELDS)
    )
    columns = FacetColumns(rows)
    with _lock:
        _cache[key] = (generation, columns)
    return columns
