"""From a publication to deliveries: alerts' consumer of the item change feed.

Publications are kept in alerts' outbox (``DurableSubscription``) in the writer's own
transaction, so a crash between the publish and the fan-out loses none; once committed, a
task (``tasks.process_publications``) drains the outbox. For each item it finds the matching
active subscriptions — its unit, the unit's ancestors subscribed with their sub-units, its
catalogue entry, an earlier stage of its matter — and writes one ``Delivery`` per subscriber
(unique: several matching subscriptions send it once), then sends those due at once.

Corrections: when an item is withdrawn (撤回) or removed (撤除), every address that was sent
its alert is told, once and at once whatever its frequency (as GOV.UK's e-mail alerts tell of
a withdrawal). A withdrawn item's notice links to its page, which shows the public reason; a
removed item's names the item only, which its reader was sent before, and no reason.

Only what its recipient may read is sent: the portal's one visibility rule
(``disclosure_pages.visibility.visible_pages``) decides, at fan-out and again when each
message is built. An address not tied to a member (``Subscriber.user``) is sent what an
anonymous reader may read; a tied one also the members-only items its member may read at that
moment (an account made inactive, a member who left the unit's members group, an item narrowed:
withheld). Drafts never reach the feed as publications.
"""

import logging
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale

from disclosure_pages.changes import ChangeKind, DurableSubscription
from disclosure_pages.choices import Takedown
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.visibility import ANONYMOUS, PUBLIC, audience_keys_for, user_audience_keys, visible_pages

from . import messages
from .conf import app_settings
from .delivery import Sending, withhold
from .models import FREQUENCY_ORDER, Delivery, DeliveryKind, DeliveryStatus, Frequency, Subscription
from .subscribing import member_tie

logger = logging.getLogger(__name__)

BATCH = 500


class AlertsOutbox(DurableSubscription):
    """The durable outbox of publications, which also schedules its drain once the writer commits."""

    def record(self, sender, changes, **kwargs):
        super().record(sender, changes, **kwargs)
        if any(change.kinds & self.kinds for change in changes):
            transaction.on_commit(schedule)


TAKEDOWNS = {ChangeKind.WITHDRAWN, ChangeKind.REMOVED}
outbox = AlertsOutbox("alerts", kinds={ChangeKind.PUBLISHED, *TAKEDOWNS})


def schedule():
    from .tasks import process_publications

    try:
        process_publications.enqueue()
    except Exception:  # the outbox keeps the rows: the next publication's task or the workers' recovery pass (cms.workers) takes them
        logger.exception("Could not enqueue the alerts fan-out")


def process_outbox():
    """Fan out the waiting publications and takedowns, then send the immediate alerts and the
    corrections; returns (subscribers matched, messages sent)."""
    matched = 0
    recover_stuck()
    while rows := outbox.pending(BATCH):
        with transaction.atomic():
            matched += fan_out({change.translation_key for _row, change in rows if ChangeKind.PUBLISHED in change.kinds})
            matched += correct({change.translation_key for _row, change in rows if change.kinds & TAKEDOWNS})
            outbox.done([row for row, _change in rows])
    return matched, send_immediate() + send_corrections()


# -- what is public, and who wants it --------------------------------------------------------


def public_variants(keys, taken_down=False):
    """``{translation key: {language code: item}}`` of the items anyone may read now, in each
    script they are public in: not withdrawn (a withdrawn item is still shown, with its notice,
    but is no news), or withdrawn only with ``taken_down``."""
    found = {}
    takedown = Takedown.WITHDRAWN if taken_down else Takedown.NONE
    pages = visible_pages(DisclosureItemPage.objects.filter(translation_key__in=list(keys), takedown=takedown), ANONYMOUS)
    for page in pages.select_related("locale", "unit", "catalogue_entry"):
        found.setdefault(page.translation_key, {})[page.locale.language_code] = page
    return found


def default_of(variants):
    """The default-locale item among ``variants`` (the one subscriptions and deliveries point at), else any."""
    return variants.get(Locale.get_default().language_code) or next(iter(variants.values()))


def _default_unit(unit):
    if unit is None or unit.locale_id == Locale.get_default().pk:
        return unit
    return UnitPage.objects.filter(translation_key=unit.translation_key, locale=Locale.get_default()).first()


def _earlier_stages(item):
    keys, step = [], item
    while step.previous_stage_id:
        step = step.previous_stage
        if step.translation_key in keys or step.translation_key == item.translation_key:
            break
        keys.append(step.translation_key)
    return keys


def matching_subscriptions(item):
    """The active subscriptions ``item`` (public, just published) is for."""
    wanted = Q()
    unit = _default_unit(item.unit)
    if unit is not None:
        ancestors = [unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
        wanted |= Q(unit=unit) | Q(unit__path__in=ancestors, with_sub_units=True)
    if item.catalogue_entry_id:
        wanted |= Q(entry__translation_key=item.catalogue_entry.translation_key)
    if earlier := _earlier_stages(item):
        wanted |= Q(item__translation_key__in=earlier)
    if not wanted:
        return Subscription.objects.none()
    return Subscription.objects.active().filter(wanted)


def fan_out(keys):
    """One pending delivery per subscriber for each public item of ``keys`` (kept, not repeated,
    where one exists); returns how many subscribers the items matched."""
    matched = 0
    public = public_variants(keys)
    for key, variants in public.items():
        item = default_of(variants)
        soonest = soonest_frequencies(matching_subscriptions(item).values_list("subscriber_id", "frequency"))
        Delivery.objects.bulk_create(
            [Delivery(subscriber_id=pk, item_key=key, item=item, frequency=frequency) for pk, frequency in soonest.items()],
            ignore_conflicts=True,  # a subscriber who already had it (its variant's publication, a republication)
            batch_size=1000,
        )
        hasten(key, soonest)
        matched += len(soonest)
    return matched + fan_out_to_members(set(keys) - set(public))


# -- members-only items (党员可见), for the addresses tied to their members ------------------


def _variants_of(pages):
    found = {}
    for page in pages.select_related("locale", "unit", "catalogue_entry"):
        found.setdefault(page.translation_key, {})[page.locale.language_code] = page
    return found


def is_tied(subscriber, user):
    """Whether members-only items ``user`` may read may go to ``subscriber``'s address: an active
    account whose e-mail is still that address (a changed account e-mail unties the old one)."""
    return member_tie(user, subscriber.kind, subscriber.address) is not None


def members_variants(keys, subscribers, taken_down=False):
    """``{subscriber pk: {translation key: {language code: item}}}``: of ``keys``, what the member
    each tied subscriber of ``subscribers`` is tied to may read now (the one visibility rule, for
    their account), in each script; nothing for an address no longer tied. One query per member."""
    by_user = {}
    for subscriber in subscribers:
        if subscriber.user_id:
            by_user.setdefault(subscriber.user_id, []).append(subscriber)
    found = {}
    if not keys or not by_user:
        return found
    items = DisclosureItemPage.objects.filter(
        translation_key__in=list(keys), takedown=Takedown.WITHDRAWN if taken_down else Takedown.NONE
    )
    for user in get_user_model().objects.filter(pk__in=list(by_user), is_active=True):
        tied = [subscriber.pk for subscriber in by_user[user.pk] if is_tied(subscriber, user)]
        if tied:
            readable = _variants_of(visible_pages(items, user))
            found.update(dict.fromkeys(tied, readable))
    return found


def soonest_frequencies(pairs, soonest=None):
    """``{subscriber pk: frequency}``: the soonest frequency of each subscriber's ``(pk, frequency)``
    pairs (added to ``soonest`` when given): several matching subscriptions send an item once, at
    the soonest frequency any of them wants."""
    soonest = {} if soonest is None else soonest
    for subscriber_id, frequency in pairs:
        known = soonest.get(subscriber_id)
        if known is None or FREQUENCY_ORDER.index(frequency) < FREQUENCY_ORDER.index(known):
            soonest[subscriber_id] = frequency
    return soonest


def fan_out_to_members(keys):
    """One pending delivery per tied subscriber for each item of ``keys`` anonymous readers may
    not read, when the subscriber's member may read it now; returns how many subscribers it matched.
    The subscriptions matched are ``matching_subscriptions``'s, as for public items."""
    default = Locale.get_default().pk
    items = {}
    for page in DisclosureItemPage.objects.live().filter(translation_key__in=list(keys), takedown=Takedown.NONE):
        if page.translation_key not in items or page.locale_id == default:
            items[page.translation_key] = page
    wanted, subscribers = {}, {}
    for key, item in items.items():
        matching = matching_subscriptions(item).filter(subscriber__user__isnull=False).select_related("subscriber")
        for subscription in matching:
            subscribers[subscription.subscriber_id] = subscription.subscriber
        wanted[key] = soonest_frequencies((subscription.subscriber_id, subscription.frequency) for subscription in matching)
    readable = members_variants(set(items), subscribers.values())
    deliveries = [
        Delivery(subscriber_id=pk, item_key=key, item=items[key], frequency=frequency)
        for key, soonest in wanted.items() for pk, frequency in soonest.items() if key in readable.get(pk, {})
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True, batch_size=1000)
    return len(deliveries)


class Readable:
    """What each delivery of a claimed batch may carry, for its own recipient: the items anyone
    may read, to every address (one query for the batch); the others only to tied addresses, as
    their members may read them now (``members_variants``: one query per member)."""

    def __init__(self, deliveries, taken_down=False):
        keys = {delivery.item_key for delivery in deliveries}
        self.public = public_variants(keys, taken_down)
        rest = keys - set(self.public)
        tied = {delivery.subscriber_id: delivery.subscriber for delivery in deliveries if delivery.item_key in rest}
        self.members = members_variants(rest, tied.values(), taken_down)

    def of(self, delivery):
        """``(variants, members_only)`` for ``delivery``'s recipient; ``(None, False)``: not theirs to read (withheld)."""
        variants = self.public.get(delivery.item_key)
        if variants is not None:
            return variants, False
        variants = self.members.get(delivery.subscriber_id, {}).get(delivery.item_key)
        return variants, variants is not None


def removal_readers(deliveries, items):
    """``{delivery pk: members_only}`` of the corrections of removed items (撤除: no one reads them
    any more) whose recipient could read the item as it was: every address for a public item, a tied
    one for an item its member's audience includes (``audience_keys``: the same view restrictions)."""
    audiences = {pk: set(keys) for pk, keys in audience_keys_for(list(items.values())).items()}
    user_ids = {delivery.subscriber.user_id for delivery in deliveries if delivery.subscriber.user_id}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=list(user_ids), is_active=True)}
    held, readers = {}, {}
    for delivery in deliveries:
        audience = audiences[delivery.item_id]
        if PUBLIC in audience:
            readers[delivery.pk] = False
            continue
        user = users.get(delivery.subscriber.user_id)
        if user is None or not is_tied(delivery.subscriber, user):
            continue
        if user.pk not in held:
            held[user.pk] = user_audience_keys(user)
        if held[user.pk] is None or audience & set(held[user.pk]):  # None: a superuser
            readers[delivery.pk] = True
    return readers


def hasten(key, soonest):
    """Give the deliveries of item ``key`` still pending at a later frequency than ``soonest``
    (subscriber id → frequency) that frequency: an earlier match (a saved search's pass, which
    may run first) must not hold back an alert another subscription wants sooner."""
    for position, frequency in enumerate(FREQUENCY_ORDER[:-1]):
        subscribers = [pk for pk, wanted in soonest.items() if wanted == frequency]
        if subscribers:
            Delivery.objects.filter(
                item_key=key, kind=DeliveryKind.PUBLISHED, status=DeliveryStatus.PENDING, subscriber_id__in=subscribers,
                frequency__in=FREQUENCY_ORDER[position + 1:],
            ).update(frequency=frequency)


def correct(keys):
    """One pending correction for each address that was sent an alert of an item of ``keys``
    (withdrawn or removed); returns how many addresses are to be told."""
    items = {
        item.translation_key: item
        for item in DisclosureItemPage.objects.filter(
            translation_key__in=list(keys), locale=Locale.get_default(), takedown__in=[Takedown.WITHDRAWN, Takedown.REMOVED],
        )
    }
    told = Delivery.objects.filter(kind=DeliveryKind.PUBLISHED, status=DeliveryStatus.SENT, item_key__in=list(items))
    corrections = [
        Delivery(subscriber_id=subscriber_id, item_key=key, item=items[key], kind=DeliveryKind.TAKEN_DOWN, frequency=Frequency.IMMEDIATE)
        for subscriber_id, key in told.values_list("subscriber_id", "item_key").distinct()
    ]
    # A second takedown of the same item (withdrawn, reinstated, removed) tells no one again.
    Delivery.objects.bulk_create(corrections, ignore_conflicts=True, batch_size=1000)
    return len(corrections)


# -- sending ---------------------------------------------------------------------------------


def due(queryset, now=None):
    """The pending deliveries of ``queryset`` whose turn has come (no backoff or rate-limit wait left)."""
    now = now or timezone.now()
    return queryset.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=DeliveryStatus.PENDING)


def claim(queryset, size=None):
    """Mark up to ``size`` due pending deliveries of ``queryset`` as this run's and return them: a
    delivery another run claimed first is not among them (the update is conditional on ``pending``)."""
    mark, now = uuid.uuid4(), timezone.now()
    ids = due(queryset, now).order_by("pk").values_list("pk", flat=True)
    ids = list(ids[:size] if size else ids)
    Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.PENDING).update(status=DeliveryStatus.SENDING, claim=mark, claimed_at=now)
    return list(Delivery.objects.filter(claim=mark, status=DeliveryStatus.SENDING).select_related("subscriber").order_by("pk"))


def recover_stuck():
    """Deliveries claimed more than ``SUNSHINE_ALERTS_STUCK_MINUTES`` ago and still ``sending``
    (their run died) are pending again, for the next claim; returns how many."""
    cutoff = timezone.now() - timedelta(minutes=app_settings.SUNSHINE_ALERTS_STUCK_MINUTES)
    # No claim time: claimed before runs recorded it (migration 0003), long ago.
    stuck = Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True)
    recovered = Delivery.objects.filter(stuck, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.PENDING, claim=None, claimed_at=None
    )
    if recovered:
        logger.warning("%s alert deliveries of a run that did not finish are pending again", recovered)
    return recovered


def send_one_each(queryset, messages_for):
    """Send each due delivery of ``queryset`` a message of its own, a claimed batch at a time;
    returns how many were sent. ``messages_for(deliveries)`` reads what the batch may carry and
    returns a function giving a delivery its message, or None when it is no longer its
    recipient's to read (withheld, never sent)."""
    sent, last = 0, 0
    # Each batch after the last (a retry due at once must wait for the next run, not loop in this one).
    while deliveries := claim(queryset.filter(pk__gt=last), BATCH):
        last = deliveries[-1].pk
        message_of = messages_for(deliveries)
        with Sending() as sending:
            for delivery in deliveries:
                message = message_of(delivery)
                if message is None:
                    withhold([delivery])
                elif not sending.hold(delivery.subscriber, [delivery]):
                    sending.deliver(delivery.subscriber, message, [delivery])
        sent += sending.count
    return sent


def send_immediate():
    """Send the due immediate alerts, one message each; returns how many were sent."""

    def messages_for(deliveries):
        readable = Readable(deliveries)

        def message_of(delivery):
            variants, members_only = readable.of(delivery)
            return None if variants is None else messages.alert(delivery.subscriber, variants, members_only=members_only)

        return message_of

    queryset = Delivery.objects.filter(kind=DeliveryKind.PUBLISHED, frequency=Frequency.IMMEDIATE, subscriber__suspended=False)
    return send_one_each(queryset, messages_for)


def send_digests(frequency, now=None, retries_only=False):
    """One digest per subscriber of their due ``frequency`` deliveries still public; returns how many were sent.

    ``retries_only``: only the subscribers with a digest that failed for a while or waited for
    its rate limit (``next_attempt_at`` set and passed), as the every-minute run retries them."""
    from .answers import public_answers

    sent = 0
    now = now or timezone.now()
    pending = due(
        Delivery.objects.filter(
            kind__in=[DeliveryKind.PUBLISHED, DeliveryKind.ANSWERED], frequency=frequency, subscriber__suspended=False, created_at__lte=now,
        ),
        now,
    )
    subscribers = pending.filter(next_attempt_at__isnull=False) if retries_only else pending
    subscriber_ids = list(subscribers.order_by("subscriber_id").values_list("subscriber_id", flat=True).distinct())
    # A batch of subscribers at a time: their deliveries claimed, and checked, together.
    for start in range(0, len(subscriber_ids), BATCH):
        claimed = {}
        for delivery in claim(pending.filter(subscriber_id__in=subscriber_ids[start:start + BATCH])):
            claimed.setdefault(delivery.subscriber_id, []).append(delivery)  # none: another run took them
        every = [delivery for deliveries in claimed.values() for delivery in deliveries]
        readable = Readable([delivery for delivery in every if delivery.kind == DeliveryKind.PUBLISHED])
        answered = public_answers({delivery.reference for delivery in every if delivery.kind == DeliveryKind.ANSWERED})

        def public(delivery):
            if delivery.kind == DeliveryKind.PUBLISHED:
                return readable.of(delivery)[0] is not None
            return delivery.reference in answered

        withhold([delivery for delivery in every if not public(delivery)])
        with Sending() as sending:
            for deliveries in claimed.values():
                kept = [delivery for delivery in deliveries if public(delivery)]
                subscriber = deliveries[0].subscriber
                if kept and not sending.hold(subscriber, kept):
                    published = [delivery for delivery in kept if delivery.kind == DeliveryKind.PUBLISHED]
                    items = [readable.of(delivery)[0] for delivery in published]
                    members_only = {delivery.item_key for delivery in published if readable.of(delivery)[1]}
                    answers = [answered[delivery.reference] for delivery in kept if delivery.kind == DeliveryKind.ANSWERED]
                    message = messages.digest(subscriber, frequency, items, answers, members_only=members_only)
                    sending.deliver(subscriber, message, kept)
        sent += sending.count
    return sent


def send_corrections():
    """Tell the addresses to be told of a withdrawn or removed item, one message each; returns how many were sent.

    An item reinstated before its turn came tells no one (withheld), nor one its recipient may no
    longer read (narrowed since, or a member who left): what they were sent is not repeated to them."""

    def messages_for(deliveries):
        withdrawn = Readable(deliveries, taken_down=True)
        items = DisclosureItemPage.objects.in_bulk([delivery.item_id for delivery in deliveries])
        removed = removal_readers(
            [delivery for delivery in deliveries if delivery.item_id in items and items[delivery.item_id].takedown == Takedown.REMOVED],
            {pk: item for pk, item in items.items() if item.takedown == Takedown.REMOVED},
        )

        def message_of(delivery):
            item = items.get(delivery.item_id)
            if item is None or item.takedown == Takedown.NONE:
                return None
            if item.takedown == Takedown.REMOVED:
                if delivery.pk not in removed:
                    return None  # no longer theirs to read (a member who left, an item narrowed): never told of it
                return messages.correction(delivery.subscriber, item, None, members_only=removed[delivery.pk])
            variants, members_only = withdrawn.of(delivery)
            return None if variants is None else messages.correction(delivery.subscriber, item, variants, members_only=members_only)

        return message_of

    return send_one_each(Delivery.objects.filter(kind=DeliveryKind.TAKEN_DOWN, subscriber__suspended=False), messages_for)
