"""New items against saved searches: asked of the search index, once the index has them.

A saved search matches a newly published public item when the search page, asked by someone
not signed in, finds it: the search service and engine decide (``search.service.found_among``,
the search limited to the new items), not a second matcher here. The index is updated
asynchronously through search's own outbox, so at the fan-out the item may not be findable
yet; publications are therefore kept in an outbox of their own (``outbox``, written in the
publisher's transaction like alerts' fan-out's) and matched by a pass that takes only the items
the index has (``search.updates.waiting``: no index update left on any backend). The pass runs
after each index update that applied pages (``search.updates.index_updated``, scheduled as the
task ``match_saved_searches``), and the workers' recovery pass schedules it when a row that is
ready has waited too long (``cms.workers``). Identical saved searches are asked once per pass
and script, for all the items of the batch at once.

Each subscriber is sent an item once: deliveries are unique per subscriber and item, so an
item a unit subscription and a saved search both match is one alert (the same
``ignore_conflicts`` dedupe as the fan-out), at the soonest frequency of the two, whichever
matched first (``fanout.hasten``).
"""

import json
import logging

from django.db import transaction
from django.db.models import Min

from disclosure_pages.changes import ChangeKind, DurableSubscription
from disclosure_pages.models import PendingItemChange
from search.models import PendingIndexUpdate
from search.service import SearchUnavailable, found_among
from search.updates import waiting

from .fanout import BATCH, default_of, hasten, public_variants, send_immediate, soonest_frequencies
from .models import Delivery, Subscription
from .searches import validated

logger = logging.getLogger(__name__)

outbox = DurableSubscription("alerts-searches", kinds={ChangeKind.PUBLISHED})


def schedule():
    from .tasks import match_saved_searches

    try:
        match_saved_searches.enqueue()
    except Exception:  # the outbox keeps the rows: the next index update or the workers' recovery pass takes them
        logger.exception("Could not enqueue the saved searches' matching")


def index_updated(sender, page_ids, **kwargs):
    """search's ``index_updated``: pages are findable now; match them once the drain's work is committed."""
    transaction.on_commit(schedule)


def oldest_pending_at(due_only=False):
    """When the oldest publication waiting for the pass was kept; ``due_only``: of those the index has."""
    rows = PendingItemChange.objects.filter(consumer=outbox.consumer)
    if due_only:
        rows = rows.exclude(page_id__in=PendingIndexUpdate.objects.values("page_id"))
    return rows.aggregate(oldest=Min("created_at"))["oldest"]


def match_saved_searches():
    """Match the waiting publications the index has against the saved searches, then send the
    immediate alerts; returns (subscribers matched, messages sent)."""
    matched = 0
    while rows := outbox.pending(BATCH):
        unindexed = waiting(change.page_id for _row, change in rows)
        ready = [(row, change) for row, change in rows if change.page_id not in unindexed]
        if not ready:
            break  # the rest waits for the index
        try:
            found = _matches({change.page_id: change.translation_key for _row, change in ready})
        except SearchUnavailable:
            logger.warning("No search engine answered: %s publications wait for the saved searches", len(ready))
            break
        with transaction.atomic():
            matched += _deliver(found)
            outbox.done([row for row, _change in ready])
        if len(rows) < BATCH:
            break
    return matched, send_immediate()


def forget_pending():
    """Drop the waiting publications unmatched (a seed's own, before anyone subscribes); returns how many."""
    forgotten = 0
    while rows := outbox.pending(BATCH):
        outbox.done([row for row, _change in rows])
        forgotten += len(rows)
    return forgotten


def _matches(keys_by_page):
    """``{translation key: (item, {subscriber id: frequency})}`` of the published pages
    ``keys_by_page`` (page id → translation key) that are public and match saved searches."""
    saved_searches = _saved_searches()
    if not saved_searches:
        return {}
    variants_by_key = public_variants(set(keys_by_page.values()))
    pages_by_locale = {}
    for key, variants in variants_by_key.items():
        for language, page in variants.items():
            if keys_by_page.get(page.pk) == key:
                pages_by_locale.setdefault(language, set()).add(page.pk)
    if not pages_by_locale:
        return {}
    found = {}
    for (query, filters), subscriptions in saved_searches.items():
        params = validated(query, json.loads(filters))
        if params is None:
            continue
        for language, page_ids in pages_by_locale.items():
            for page_id in found_among(params, language, sorted(page_ids)):
                key = keys_by_page[page_id]
                item, soonest = found.setdefault(key, (default_of(variants_by_key[key]), {}))
                soonest_frequencies(subscriptions, soonest)
    return found


def _saved_searches():
    """The active saved searches, identical ones together: ``{(query, filters as JSON): [(subscriber id, frequency)]}``."""
    grouped = {}
    rows = Subscription.objects.active().exclude(search_query="").values_list("search_query", "search_filters", "subscriber_id", "frequency")
    for query, filters, subscriber_id, frequency in rows:
        grouped.setdefault((query, json.dumps(filters or {}, sort_keys=True)), []).append((subscriber_id, frequency))
    return grouped


def _deliver(found):
    """One pending delivery per subscriber and matched item (kept, not repeated, where one exists)."""
    deliveries = [
        Delivery(subscriber_id=subscriber_id, item_key=key, item=item, frequency=frequency)
        for key, (item, soonest) in found.items()
        for subscriber_id, frequency in soonest.items()
    ]
    # A subscriber who has it already (a unit or entry subscription, the item's other script) is not sent it again.
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
    for key, (_item, soonest) in found.items():
        hasten(key, soonest)
    return len(deliveries)
