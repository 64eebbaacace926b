"""Keeping the search backends in step with the pages: an outbox drained by a background task.

Every change that can alter what a search finds (an item's change, as the domain's change
feed says it: ``disclosure_pages.changes``; another page saved, moved or deleted; a view
restriction added, changed or removed; a unit renamed) records one ``PendingIndexUpdate``
per backend and page in the same transaction. After the commit a
django-tasks task applies the due rows: it re-reads each page and indexes it (or removes it)
on that backend. A backend that fails keeps its rows with a later ``next_attempt_at`` and
they are applied when it answers again: an engine that is down delays search updates, never
an edit, and loses none of them.

A page with no row waiting is findable on every backend: an engine's index is refreshed
before its rows go (an engine shows what it was sent only after a refresh), and
``index_updated`` is sent once a drain committed its batches, with the ids of the pages applied — a
consumer that asks the index about new pages (alerts' saved searches) asks then.
"""

import datetime
import logging
import operator
from functools import reduce

from django.db import transaction
from django.db.models import F, Min, Q
from django.dispatch import Signal
from django.utils import timezone
from modelsearch.backends import get_search_backend, get_search_backends_with_name
from wagtail.models import Page

from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

BATCH = 500

# Sent after a drain committed its batches, with ``page_ids``: the pages it applied on every backend they waited for.
index_updated = Signal()

# Waits between attempts for a failing backend: 2 s, 4 s, … up to 5 minutes.
FIRST_RETRY_SECONDS = 2
MAX_RETRY_SECONDS = 300


def record(page_ids):
    """Note that ``page_ids`` must be reindexed on every auto-updated backend, and schedule it."""
    page_ids = set(page_ids)
    backends = [name for name, _backend in get_search_backends_with_name(with_auto_update=True)]
    if not page_ids or not backends:
        return
    # A row already waiting is due again, and marked as changed so that a drain that read it
    # before this change does not delete it. Updated first, inserted second: a row a drain
    # deletes in between (on PostgreSQL the update waits for that drain's commit) is written
    # again by the insert, so no change is left without its row.
    PendingIndexUpdate.objects.filter(page_id__in=page_ids, backend__in=backends).update(
        changes=F("changes") + 1, next_attempt_at=None
    )
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(page_id=page_id, backend=backend) for page_id in page_ids for backend in backends],
        ignore_conflicts=True,
    )
    transaction.on_commit(schedule)


def record_item_changes(sender, changes, **kwargs):
    """The receiver of the item change feed: every changed item is indexed again (a deleted one removed)."""
    record(change.page_id for change in changes)


def schedule():
    from .tasks import apply_index_updates

    try:
        apply_index_updates.enqueue()
    except Exception:  # the outbox keeps the rows: the next change, the workers' recovery pass or `search_sync` applies them
        logger.exception("Could not enqueue the search index update")


def due_updates(now=None):
    return PendingIndexUpdate.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now or timezone.now()))


def waiting(page_ids):
    """The ids among ``page_ids`` with an index update not yet applied on some backend (not findable yet)."""
    return set(PendingIndexUpdate.objects.filter(page_id__in=list(page_ids)).values_list("page_id", flat=True))


def oldest_pending_at(due_only=False):
    """When the oldest waiting row was written (None: nothing waits); ``due_only``: of the rows due now."""
    rows = due_updates() if due_only else PendingIndexUpdate.objects.all()
    return rows.aggregate(oldest=Min("created_at"))["oldest"]


def apply_due_updates(limit=None):
    """Apply due outbox rows, backend by backend; returns (applied, failed) row counts.

    Several workers may drain at once (a task per change, ``search_sync``, a worker's
    recovery pass). Each batch is applied in a transaction holding its rows' locks, and
    rows another drain holds are skipped (PostgreSQL's SKIP LOCKED): a row is applied by one
    drain at a time, so an older reading of a page can never overwrite a newer one in the
    index. (SQLite takes one writer at a time and ignores the locks; it serves one worker.)
    """
    applied = failed = 0
    done = set()
    while limit is None or applied + failed < limit:
        with transaction.atomic():
            batch = list(due_updates().order_by("pk").select_for_update(skip_locked=True)[:BATCH])
            if not batch:
                break
            batch_applied, batch_failed, batch_done = _apply_batch(batch)
        applied += batch_applied
        failed += batch_failed
        done |= batch_done
        if failed:
            break  # the rest waits for the failing backend's next attempt
    if done:
        index_updated.send(sender=apply_due_updates, page_ids=done)
    return applied, failed


def _apply_batch(batch):
    """Apply ``batch``; returns (applied, failed, the ids of its pages no backend waits for now)."""
    applied = failed = 0
    postponed = set()
    by_backend = {}
    for row in batch:
        by_backend.setdefault(row.backend, []).append(row)
    for backend_name, rows in by_backend.items():
        try:
            with transaction.atomic():  # a savepoint: a failing backend's own writes are undone, the batch goes on
                _apply(backend_name, [row.page_id for row in rows])
        except Exception as error:
            logger.warning("Search backend %r did not take %d updates: %s", backend_name, len(rows), error)
            _postpone(rows, error)
            failed += len(rows)
            postponed.update(row.page_id for row in rows)
        else:
            # Only rows that did not change again meanwhile (see PendingIndexUpdate.changes).
            PendingIndexUpdate.objects.filter(
                reduce(operator.or_, (Q(pk=row.pk, changes=row.changes) for row in rows))
            ).delete()
            applied += len(rows)
    done = {row.page_id for row in batch} - postponed
    if done:
        # A row of another backend, or a change since, still waits: not done yet.
        done -= waiting(done)
    return applied, failed, done


def _apply(backend_name, page_ids):
    backend = get_search_backend(backend_name)
    pages = Page.objects.filter(pk__in=page_ids).specific(defer=False)
    found = set()
    by_model = {}
    for page in pages:
        found.add(page.pk)
        by_model.setdefault(type(page), []).append(page)
    for model, objects in by_model.items():
        backend.add_bulk(model, objects)
    for page_id in set(page_ids) - found:
        backend.delete(Page(pk=page_id))
    if by_model:
        # Before the rows go (see the module's docstring); nothing to do on the database.
        backend.get_index_for_model(Page).refresh()


def _postpone(rows, error):
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        wait = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (row.attempts - 1))
        row.next_attempt_at = now + datetime.timedelta(seconds=wait)
        row.last_error = str(error)[:1000]
    PendingIndexUpdate.objects.bulk_update(rows, ["attempts", "next_attempt_at", "last_error"])
    from .tasks import apply_index_updates

    soonest = min(row.next_attempt_at for row in rows)
    if apply_index_updates.get_backend().supports_defer:
        apply_index_updates.using(run_after=soonest).enqueue()
