"""Handing a message to a subscriber's sender and recording what came of it.

Senders are participation's interface (``participation.senders``: ``send(contact, message)``,
``SendError``), configured for alerts by ``SUNSHINE_ALERTS_SENDERS``: alerts imports the
interface from where it is and needs the participation package, not the app installed.
An address whose messages fail ``SUNSHINE_ALERTS_SUSPEND_AFTER_FAILURES`` times in a row is
suspended: nothing more is sent to it until it subscribes and confirms again.
"""

import logging

from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from participation.senders import SendError

from .conf import app_settings
from .models import Delivery, DeliveryStatus, Subscriber

logger = logging.getLogger(__name__)


def sender_for(kind):
    config = app_settings.SUNSHINE_ALERTS_SENDERS[kind]
    return import_string(config["CLASS"])(**config.get("OPTIONS", {}))


def send(subscriber, message):
    """Send ``message`` to ``subscriber`` now; raises ``SendError``."""
    sender_for(subscriber.kind).send(subscriber.address, message)


def deliver(subscriber, message, deliveries):
    """Send one message covering ``deliveries`` (claimed by the caller) and record it; returns 1 if sent, else 0."""
    ids = [delivery.pk for delivery in deliveries]
    try:
        send(subscriber, message)
    except SendError as error:
        logger.warning("alert to subscriber %s failed: %s", subscriber.pk, error.__class__.__name__)
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, error=str(error)[:500], claim=None
        )
        Subscriber.objects.filter(pk=subscriber.pk).update(failure_count=F("failure_count") + 1)
        Subscriber.objects.filter(
            pk=subscriber.pk, failure_count__gte=app_settings.SUNSHINE_ALERTS_SUSPEND_AFTER_FAILURES
        ).update(suspended=True)
        return 0
    Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.SENT, attempts=F("attempts") + 1, sent_at=timezone.now(), error="", claim=None
    )
    if subscriber.failure_count:
        Subscriber.objects.filter(pk=subscriber.pk).update(failure_count=0)
    return 1


def withhold(deliveries):
    """Deliveries whose item is no longer public: never sent."""
    if deliveries:
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(status=DeliveryStatus.WITHHELD, claim=None)
