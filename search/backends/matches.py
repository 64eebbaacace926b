"""The documents matching common words, held in memory by each process and kept current.

A word in half the items (党员, 公开) matches tens of thousands of documents at 100,000 items
and hundreds of thousands at 1,000,000. The full-text index finds them quickly, but PostgreSQL
then visits every matching row of the documents table (to check that the row is visible),
about 175 ms at 100,000 items and growing with them. Such a set changes only when documents
are written, so each process keeps the large ones (``SUNSHINE_SEARCH_MATCHES_CACHED_FROM``
ids or more) and those slow to read (``SUNSHINE_SEARCH_MATCHES_CACHED_SLOWER_THAN_MS``: a
phrase of common words such as 村务公开 has its positions checked in thousands of documents
for a few matches, seconds at 1,000,000 items), at most ``SUNSHINE_SEARCH_MATCHES_CACHED_IDS``
ids in all (the least recently used dropped first), and after a write tests again only the
documents written since (each row carries the number of the change that wrote it), as the
facet columns do (columns.py); a match kept stays kept however small it becomes.

What is kept is the match of the words alone, for every reader: access, locale and filters
are applied on the facet columns, as for any match. A match read in full is also written to
the database (``KeptMatch``, within the same limit of ids, the least recently read dropped
first), where the other processes find it as they start (``load``, from the search's
warm-up) and catch it up the same way: a word searched once is not matched in full again by
every server process after a restart.
"""

import hashlib
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np
from django.db import connection

from chinese.analysis import Phrase

from .. import schema
from ..conf import app_settings
from ..models import KeptMatch, SearchDocument
from . import columns as columns_module


@dataclass(frozen=True)
class _Kept:
    token: str
    change: int
    ids: np.ndarray  # sorted; uint32 (page ids stay below 2**32, as the columns assume)
    committed: bool  # read outside any transaction: nothing in it can be rolled back
    positions: np.ndarray | None = None  # in the columns of ``token``, once a search asked


_kept = OrderedDict()
_size = 0
_lock = threading.Lock()


def matching_positions(store, cursor, phrases, title_only, locale, columns, store_caught_up=False):
    """The positions in ``columns`` (sorted) of ``store.matching_ids`` for the phrases in
    ``locale``, from memory when kept (locating half a million ids among a million took 20 ms).

    ``columns``: the locale's current facet columns (their ids tell which documents are left,
    their generation which documents were written since a kept match was read). A match read
    in full is stored for the other processes; one caught up only if ``store_caught_up`` (a
    search does not write a row each time it catches up after a write).
    """
    key = _key(locale, title_only, tuple((phrase.stream, tuple(phrase.terms)) for phrase in phrases))
    token, change = columns.token, columns.change
    with _lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
    if kept is None:  # another process may have read it in full since this one started
        kept = _stored(key)
    if kept is not None and kept.token == token:
        if kept.positions is None:
            kept = replace(kept, positions=_read_only(_positions(kept.ids, columns)))
            with _lock:
                if key in _kept:
                    _kept[key] = kept
        return kept.positions
    # Inside a transaction the rows read may yet be rolled back and a later write take their
    # number: what was read there is read again in full rather than caught up. Past a tenth
    # of the documents written (an import, a rebuild), reading the whole match again costs no more.
    most = max(len(columns.ids) // 10, 1000)
    written = _written_since(cursor, locale, kept.change, most) if kept is not None and kept.committed and kept.change < change else None
    if written is not None and len(written) <= most:
        left = _positions(kept.ids, columns)
        left = left[~np.isin(left, columns.positions(written), assume_unique=True)]
        added = _positions(store.matching_ids(cursor, phrases, title_only, locale, among=written), columns) if len(written) else left[:0]
        positions = np.insert(left, np.searchsorted(left, added), added)  # both sorted, none in both
        read_in_full, worth_keeping = False, True  # it was: large or slow to read
    else:
        started = time.perf_counter()
        positions = _positions(store.matching_ids(cursor, phrases, title_only, locale), columns)
        read_in_full = True
        worth_keeping = (
            len(positions) >= app_settings.SUNSHINE_SEARCH_MATCHES_CACHED_FROM
            or (time.perf_counter() - started) * 1000 >= app_settings.SUNSHINE_SEARCH_MATCHES_CACHED_SLOWER_THAN_MS
        )
    positions = _read_only(positions)
    if worth_keeping:
        kept = _Kept(token, change, columns.ids[positions].astype(np.uint32), committed=columns_module.outside_transactions(), positions=positions)
        _keep(key, kept)
        if (read_in_full or store_caught_up) and kept.committed:
            _store(key, kept)
    else:
        _forget(key)
    return positions


def refresh(store):
    """Match again now the stored matches that writes left behind (an index rebuild leaves them
    all): the words searched before are then read in full by ``update_index``, not by the
    first reader to search each of them. How many were matched."""
    refreshed = 0
    for locale in sorted(set(KeptMatch.objects.values_list("locale", flat=True))):
        columns = columns_module.columns_for(schema.SCHEMA, locale)
        stale = KeptMatch.objects.filter(locale=locale).exclude(token=columns.token).order_by("-read_at")
        with connection.cursor() as cursor:
            for stored_key, query in list(stale.values_list("key", "query")):
                _, title_only, phrases = json.loads(query)
                phrases = [Phrase(stream, tuple(terms)) for stream, terms in phrases]
                matching_positions(store, cursor, phrases, title_only, locale, columns, store_caught_up=True)
                if _key(locale, title_only, tuple((p.stream, p.terms) for p in phrases)) not in _kept:
                    KeptMatch.objects.filter(key=stored_key).delete()  # neither large nor slow any more
                refreshed += 1
    return refreshed


def load(locale):
    """Hold the matches of ``locale`` that another process kept (the most recently read first, within the limit)."""
    room = app_settings.SUNSHINE_SEARCH_MATCHES_CACHED_IDS - _size
    for stored in KeptMatch.objects.filter(locale=locale).order_by("-read_at").iterator():
        if _weight(stored.size) > room:
            break
        room -= _weight(stored.size)
        _, title_only, phrases = json.loads(stored.query)
        ids = np.frombuffer(bytes(stored.ids), dtype="<u4").astype(np.uint32)
        # Read outside any transaction by the process that wrote it: safe to catch up.
        _keep(_key(locale, title_only, tuple((stream, tuple(terms)) for stream, terms in phrases)),
              _Kept(stored.token, stored.change, ids, committed=True))


def clear():
    global _size
    with _lock:
        _kept.clear()
        _size = 0


def _keep(key, kept):
    global _size
    limit = app_settings.SUNSHINE_SEARCH_MATCHES_CACHED_IDS
    if _weight(len(kept.ids)) > limit:
        return
    with _lock:
        old = _kept.pop(key, None)
        _size += _weight(len(kept.ids)) - (_weight(len(old.ids)) if old is not None else 0)
        _kept[key] = kept
        while _size > limit:
            _size -= _weight(len(_kept.popitem(last=False)[1].ids))


def _weight(size):
    """What a match of ``size`` ids counts against the limit: a small one (kept for being slow to
    read) as the smallest large one, so that the limit bounds their number too."""
    return max(size, app_settings.SUNSHINE_SEARCH_MATCHES_CACHED_FROM)


def _key(locale, title_only, phrases):
    return (connection.settings_dict["NAME"], locale, title_only, phrases)


def _stored_key(key):
    """(primary key, query) of ``key``'s row in ``KeptMatch``."""
    query = json.dumps(list(key[1:]), ensure_ascii=False)
    return hashlib.sha1(query.encode()).hexdigest(), query


def _stored(key):
    """``key``'s match as another process stored it, now also held by this one; None if none did."""
    stored = KeptMatch.objects.filter(pk=_stored_key(key)[0]).only("token", "change", "ids").first()
    if stored is None:
        return None
    # Read outside any transaction by the process that wrote it: safe to catch up.
    kept = _Kept(stored.token, stored.change, np.frombuffer(bytes(stored.ids), dtype="<u4").astype(np.uint32), committed=True)
    _keep(key, kept)
    return kept


def _store(key, kept):
    """Write ``kept`` for the other processes, and drop the least recently read past the limit."""
    stored_key, query = _stored_key(key)
    locale = key[1]
    KeptMatch.objects.update_or_create(
        key=stored_key,
        defaults={"query": query, "locale": locale, "token": kept.token, "change": kept.change,
                  "size": len(kept.ids), "ids": kept.ids.astype("<u4").tobytes()},
    )
    room, dropped = app_settings.SUNSHINE_SEARCH_MATCHES_CACHED_IDS, []
    for stored_key, size in KeptMatch.objects.filter(locale=locale).order_by("-read_at").values_list("key", "size"):
        room -= _weight(size)
        if room < 0:
            dropped.append(stored_key)
    if dropped:
        KeptMatch.objects.filter(key__in=dropped).delete()


def _forget(key):
    global _size
    with _lock:
        old = _kept.pop(key, None)
        if old is not None:
            _size -= _weight(len(old.ids))


def _read_only(array):
    """``array``, which searches share, made read-only: a search that changed it would change the others'."""
    array.flags.writeable = False
    return array


def _positions(ids, columns):
    """The positions in ``columns`` of ``ids`` (unique) that are among its documents, sorted:
    only the locale's (SQLite's match has every locale's). By the columns' sorted ids, not
    NumPy's set functions: those sort or hash the million ids of the columns again on every search."""
    return columns.positions(np.sort(ids.astype(np.int64, copy=False)))


def _written_since(cursor, locale, change, most):
    """Ids of ``locale``'s documents written after ``change`` (by the change index); more than
    ``most`` of them only says that there are more (a rebuild wrote them all)."""
    locale_column = "+locale" if connection.vendor == "sqlite" else "locale"  # SQLite: keep to the change index
    cursor.execute(
        f"SELECT page_id FROM {SearchDocument._meta.db_table} WHERE change > %s AND {locale_column} = %s LIMIT %s",
        [change, locale, most + 1],
    )
    return np.unique(np.fromiter((row[0] for row in cursor.fetchall()), dtype=np.int64))
