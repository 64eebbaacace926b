"""The item change feed: what changed about a disclosure item, said once, by the domain.

Every write that changes an item — its full save (creating, publishing, unpublishing,
moving, taking down), its deletion, the scope it passes to its other-script variants, the
audience a new or moved unit gives its unit-scoped items, and the bulk writers that bypass
``save()`` — sends ``item_changes`` inside the transaction that made the change, with the
item's state before and after. (A draft saved as a revision changes nothing live: it is not
said.) Consumers (search, the API, the variant sync; participation, supervision and alerts
later) subscribe to it; this app never imports them.

Subscribing
-----------
A receiver is called with ``changes``, a tuple of ``ItemChange`` (one for a save, many for a
bulk write, in order), and ``pages``, the ``DisclosureItemPage`` objects by id that the
sender holds in memory (use them only to spare a query; a durable consumer has the ids)::

    from django.dispatch import receiver
    from disclosure_pages.changes import ChangeKind, item_changes

    @receiver(item_changes, dispatch_uid="alerts-item-changes")
    def on_item_changes(sender, changes, **kwargs):
        for change in changes:
            if ChangeKind.PUBLISHED in change.kinds:
                ...  # change.after.audience and .people: who may read it now

The receiver runs in the writer's transaction: what it writes to the database commits or
rolls back with the change, and an exception aborts the write. Work outside the database (a
task, a message) belongs in ``transaction.on_commit``.

Durable delivery
----------------
A consumer that works later, or elsewhere, and must not lose a change to a crash keeps an
outbox: ``DurableSubscription("alerts").connect()`` in its ``AppConfig.ready()`` writes one
``PendingItemChange`` row per change in the same transaction, so a rolled-back write leaves
none and a committed one always has its row. The consumer reads them with ``pending()`` and
deletes what it handled with ``done()``; rows stay until then. (Search keeps its own outbox
of index updates, filled by a plain receiver the same way.)
"""

import dataclasses
import enum
import functools
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal

from .choices import Takedown
from .pages_compat import create_rows
from .visibility import audience_keys_for, group_key

# Sent with ``changes`` (a tuple of ItemChange) and ``pages`` ({page id: DisclosureItemPage}).
item_changes = Signal()


class ChangeKind(enum.StrEnum):
    """What a change did, read from the states before and after it."""

    CREATED = "created"
    DELETED = "deleted"
    PUBLISHED = "published"  # went live (a new item written live included)
    REVISED = "revised"  # a revision went live (Wagtail's publish; the first one too)
    UNPUBLISHED = "unpublished"
    MOVED = "moved"  # to another unit
    AUDIENCE_CHANGED = "audience_changed"  # scope, view restriction or named people
    WITHDRAWN = "withdrawn"  # 撤回
    REMOVED = "removed"  # 撤除
    REINSTATED = "reinstated"  # a takedown lifted


TAKEDOWN_KINDS = {
    Takedown.WITHDRAWN: ChangeKind.WITHDRAWN,
    Takedown.REMOVED: ChangeKind.REMOVED,
    Takedown.NONE: ChangeKind.REINSTATED,
}


@dataclass(frozen=True)
class ItemState:
    """What consumers need to know of an item at one moment.

    Who may view it: the holders of one of the ``audience`` keys (those of
    ``disclosure_pages.visibility``, from its and its ancestors' view restrictions), and the
    users in ``people``, named on the item itself (their group is the item's own and goes
    with it, so its key is not among the keys).
    """

    live: bool
    unit_id: int | None
    scope: str
    audience: tuple[str, ...]
    people: tuple[int, ...]
    takedown: str
    revision_id: int | None  # the live revision

    def as_json(self):
        # dataclasses.asdict without its deep copy of every value: the fields hold plain values
        # and tuples of them (a bulk writer's batch says thousands of states).
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}

    @classmethod
    def of(cls, page, audience, people):
        own_group = group_key(page.audience_group_id) if page.audience_group_id else None
        return cls(
            live=page.live,
            unit_id=page.unit_id,
            scope=page.scope,
            audience=tuple(sorted(key for key in audience if key != own_group)),
            people=tuple(sorted(people)),
            takedown=page.takedown,
            revision_id=page.live_revision_id,
        )


@dataclass(frozen=True)
class ItemChange:
    """One item's change: ``before`` is None for a new item, ``after`` None for a deleted one.

    A change whose ``kinds`` are empty is a save that left the item's state as it was (its
    content may still have changed: an indexer reads it again).
    """

    page_id: int
    translation_key: uuid.UUID
    locale_id: int
    before: ItemState | None
    after: ItemState | None

    @functools.cached_property  # asked by every consumer of a batch
    def kinds(self):
        before, after = self.before, self.after
        if after is None:
            return frozenset({ChangeKind.DELETED})
        kinds = set()
        was_live = before is not None and before.live
        if before is None:
            kinds.add(ChangeKind.CREATED)
        if after.live and not was_live:
            kinds.add(ChangeKind.PUBLISHED)
        if was_live and not after.live:
            kinds.add(ChangeKind.UNPUBLISHED)
        if after.live and after.revision_id is not None and after.revision_id != (before and before.revision_id):
            kinds.add(ChangeKind.REVISED)
        if after.takedown != (before.takedown if before is not None else Takedown.NONE):
            kinds.add(TAKEDOWN_KINDS[after.takedown])
        if before is not None:
            if before.unit_id != after.unit_id:
                kinds.add(ChangeKind.MOVED)
            if (before.scope, before.audience, before.people) != (after.scope, after.audience, after.people):
                kinds.add(ChangeKind.AUDIENCE_CHANGED)
        return frozenset(kinds)

    def as_json(self):
        return {
            "page_id": self.page_id,
            "translation_key": str(self.translation_key),
            "locale_id": self.locale_id,
            "before": None if self.before is None else self.before.as_json(),
            "after": None if self.after is None else self.after.as_json(),
        }

    @classmethod
    def from_json(cls, data):
        def state(value):
            if value is None:
                return None
            return ItemState(**{**value, "audience": tuple(value["audience"]), "people": tuple(value["people"])})

        return cls(
            page_id=data["page_id"],
            translation_key=uuid.UUID(data["translation_key"]),
            locale_id=data["locale_id"],
            before=state(data["before"]),
            after=state(data["after"]),
        )


# -- saying it (the domain's writers) -------------------------------------------------------


def _people_of(page_ids):
    from .models import DisclosureItemPage

    through = DisclosureItemPage._meta.get_field("named_people").remote_field.through
    people = {pk: [] for pk in page_ids}
    rows = through.objects.filter(disclosureitempage_id__in=page_ids).values_list("disclosureitempage_id", "user_id")
    for page_id, user_id in rows:
        people[page_id].append(user_id)
    return people


def states_of(pages):
    """``{page id: ItemState}`` of saved ``pages`` as the database holds them now (their view
    restrictions and named people are read; the fields are the objects')."""
    pages = list(pages)
    if not pages:
        return {}
    audiences = audience_keys_for(pages)
    people = _people_of([page.pk for page in pages])
    return {page.pk: ItemState.of(page, audiences[page.pk], people[page.pk]) for page in pages}


STATE_FIELDS = ("path", "live", "unit", "scope", "audience_group", "takedown", "live_revision", "translation_key", "locale")


def stored_states(page_ids):
    """``{page id: ItemState}`` of stored items, read from the database."""
    from .models import DisclosureItemPage

    return states_of(DisclosureItemPage.objects.filter(pk__in=list(page_ids)).only(*STATE_FIELDS))


def change_of(page, before, after):
    return ItemChange(
        page_id=page.pk, translation_key=page.translation_key, locale_id=page.locale_id, before=before, after=after
    )


def announce(changes, pages=()):
    """Send ``changes`` (ItemChange objects) to the subscribers, inside the current transaction."""
    from .models import DisclosureItemPage

    changes = tuple(changes)
    if changes:
        item_changes.send(sender=DisclosureItemPage, changes=changes, pages={page.pk: page for page in pages})
    return changes


class audience_updates:
    """Say the audience changes of ``items`` made inside the ``with`` block (e.g. by their
    ``apply_scope()``): their states are read before and after, and those that differ are
    announced."""

    def __init__(self, items):
        self.items = list(items)

    def __enter__(self):
        self.before = states_of(self.items)
        return self

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is not None:
            return
        after = states_of(self.items)
        changed = [item for item in self.items if after[item.pk] != self.before[item.pk]]
        announce((change_of(item, self.before[item.pk], after[item.pk]) for item in changed), changed)


# -- durable delivery (consumers that work later) -------------------------------------------


class DurableSubscription:
    """An outbox of item changes for one consumer, written in the changes' own transaction.

    ``kinds``: only changes with one of these kinds (None: every change).
    """

    def __init__(self, consumer, kinds=None):
        self.consumer = consumer
        self.kinds = None if kinds is None else frozenset(kinds)

    def connect(self):
        item_changes.connect(self.record, dispatch_uid=f"durable-item-changes-{self.consumer}")

    def disconnect(self):
        item_changes.disconnect(dispatch_uid=f"durable-item-changes-{self.consumer}")

    def record(self, sender, changes, **kwargs):
        from .models import PendingItemChange

        wanted = [change for change in changes if self.kinds is None or change.kinds & self.kinds]
        # By COPY on PostgreSQL when there are many (a bulk writer's batch).
        create_rows(PendingItemChange, (PendingItemChange(consumer=self.consumer, page_id=change.page_id, change=change.as_json()) for change in wanted))

    def pending(self, limit=500):
        """The oldest ``limit`` changes not yet done, as ``(row id, ItemChange)`` pairs, in order."""
        from .models import PendingItemChange

        rows = PendingItemChange.objects.filter(consumer=self.consumer).order_by("pk")[:limit]
        return [(row.pk, ItemChange.from_json(row.change)) for row in rows]

    def oldest_pending_at(self):
        """When the oldest change not yet done was written (None: none waits): its consumer's lag."""
        from django.db.models import Min

        from .models import PendingItemChange

        return PendingItemChange.objects.filter(consumer=self.consumer).aggregate(oldest=Min("created_at"))["oldest"]

    def done(self, row_ids):
        """Forget the rows a consumer has handled."""
        from .models import PendingItemChange

        with transaction.atomic():
            PendingItemChange.objects.filter(consumer=self.consumer, pk__in=list(row_ids)).delete()
