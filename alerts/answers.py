"""Answers to opinions (意见答复) as alerts, when the participation app is installed.

A subscription to an item gets the answers to the opinions on it; a subscription to a unit, the
answers to the opinions put in its 意见箱 (opinions without an item, which it received or
handles) — a unit subscribed with its sub-units, those of the units below too. Each answer is
its own delivery (its ``reference``: the opinion's 受理编号 and the answer's id), so an answer
given again after 发回重办 is news again, and a repeated fan-out sends nothing twice.

Only what anyone may read is sent: participation's own rule (``figures.publicly_answered``, what
an opinion's public page shows), at fan-out and again when the message is built. An answer whose
opinion was hidden, merged or made members-only meanwhile is withheld; members-only opinions
never reach a subscriber.

Durability: an answer becomes public in a handling step — its approval, or the publication of
an opinion already answered — and every step writes an ``OpinionEvent`` row. A receiver of that
row writes a ``PendingAnswer`` in the step's own transaction, so a crash after the commit loses
nothing (``handling.opinion_event`` is sent after the commit, and would). The outbox is drained
by a task scheduled on commit, by the every-minute ``send_alerts`` and, when overdue, by the
workers' recovery pass (``cms.workers``), as the publications' outbox is.
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Min, Q
from django.db.models.signals import post_save
from wagtail.models import Locale

from disclosure_pages.models import DisclosureItemPage

from .fanout import BATCH, _default_unit, send_one_each, soonest_frequencies
from .models import Delivery, DeliveryKind, Frequency, PendingAnswer, Subscription

logger = logging.getLogger(__name__)

DISPATCH_UID = "alerts-answers-outbox"


def enabled():
    return apps.is_installed("participation")


# -- the outbox, written in the handling step's transaction -----------------------------------------


def record(sender, instance, created, raw=False, **kwargs):
    from participation.choices import EventKind

    if created and not raw and instance.kind in (EventKind.ANSWERED, EventKind.PUBLISHED):
        PendingAnswer.objects.create(opinion_id=instance.opinion_id)
        transaction.on_commit(schedule)


def connect():
    if enabled():
        post_save.connect(record, sender="participation.OpinionEvent", dispatch_uid=DISPATCH_UID)


def schedule():
    from .tasks import process_answers

    try:
        process_answers.enqueue()
    except Exception:  # the outbox keeps the rows: send_alerts or the workers' recovery pass takes them
        logger.exception("Could not enqueue the answers' fan-out")


def oldest_pending_at(due_only=False):
    """When the oldest row waiting in the answers' outbox was written (None: none waits)."""
    return PendingAnswer.objects.aggregate(oldest=Min("created_at"))["oldest"]


def process():
    """Fan out the answers waiting in the outbox, then send the immediate ones; returns (subscribers matched, messages sent)."""
    if not enabled():
        return 0, 0
    matched = 0
    while rows := list(PendingAnswer.objects.order_by("pk")[:BATCH]):
        with transaction.atomic():
            matched += fan_out({row.opinion_id for row in rows})
            PendingAnswer.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return matched, send_immediate()


# -- what is public, and who wants it ----------------------------------------------------------------


def reference(opinion, answer):
    return f"{opinion.number}/{answer.pk}"


@dataclass(frozen=True)
class PublicAnswer:
    """An answer anyone may read now, with what its message names (default-locale pages)."""

    opinion: object
    answer: object
    item: DisclosureItemPage | None  # the item the opinion is on, or None (a unit's 意见箱)
    unit: object  # the unit whose 意见箱 it was put in, or the item's unit


def _default_item(item):
    if item is None or item.locale_id == Locale.get_default().pk:
        return item
    return DisclosureItemPage.objects.filter(translation_key=item.translation_key, locale=Locale.get_default()).first() or item


def _public(opinions):
    """``{reference: PublicAnswer}`` of the latest approved answer of each of ``opinions`` (a queryset) anyone may read."""
    from participation.figures import publicly_answered

    found = {}
    for opinion in publicly_answered(opinions):
        answer = opinion.approved[0]
        item = _default_item(opinion.item)
        found[reference(opinion, answer)] = PublicAnswer(opinion, answer, item, item.unit if item else _default_unit(opinion.received_by))
    return found


def public_answers(references):
    """``{reference: PublicAnswer}`` of those of ``references`` that are still their opinion's
    public answer (not hidden, merged, members-only or replaced by a later answer)."""
    if not references or not enabled():
        return {}
    from participation.models import Opinion

    numbers = {ref.partition("/")[0] for ref in references}
    return {ref: found for ref, found in _public(Opinion.objects.filter(number__in=numbers)).items() if ref in references}


def matching_subscriptions(public):
    """The active subscriptions ``public`` (an answer) is for: its item's, or its 意见箱 units' and their ancestors' with sub-units."""
    if public.item is not None:
        return Subscription.objects.active().filter(item__translation_key=public.item.translation_key)
    wanted = Q()
    for unit in {_default_unit(public.opinion.received_by), _default_unit(public.opinion.unit)} - {None}:
        ancestors = [unit.path[:end] for end in range(unit.steplen, len(unit.path), unit.steplen)]
        wanted |= Q(unit=unit) | Q(unit__path__in=ancestors, with_sub_units=True)
    return Subscription.objects.active().filter(wanted) if wanted else Subscription.objects.none()


def fan_out(opinion_ids):
    """One pending delivery per subscriber for the public answer of each of ``opinion_ids`` (kept,
    not repeated, where one exists); returns how many subscribers the answers matched."""
    from participation.models import Opinion

    matched = 0
    for ref, public in _public(Opinion.objects.filter(pk__in=list(opinion_ids))).items():
        soonest = soonest_frequencies(matching_subscriptions(public).values_list("subscriber_id", "frequency"))
        key = public.item.translation_key if public.item is not None else public.unit.translation_key
        Delivery.objects.bulk_create(
            [
                Delivery(subscriber_id=pk, item_key=key, item=public.item, kind=DeliveryKind.ANSWERED, reference=ref, frequency=frequency)
                for pk, frequency in soonest.items()
            ],
            ignore_conflicts=True,  # the same answer fanned out again (the opinion hidden and published again)
            batch_size=1000,
        )
        matched += len(soonest)
    return matched


# -- sending -------------------------------------------------------------------------------------------


def send_immediate():
    """Send the due immediate answers still public, one message each; returns how many were sent."""
    from . import messages

    def messages_for(deliveries):
        readable = public_answers({delivery.reference for delivery in deliveries})

        def message_of(delivery):
            public = readable.get(delivery.reference)
            return None if public is None else messages.answered(delivery.subscriber, public)

        return message_of

    queryset = Delivery.objects.filter(kind=DeliveryKind.ANSWERED, frequency=Frequency.IMMEDIATE, subscriber__suspended=False)
    return send_one_each(queryset, messages_for)
