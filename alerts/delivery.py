"""Handing messages to subscribers' senders and recording what came of them.

Senders are participation's interface (``participation.senders``: ``send(contact, message)``,
``SendError``), configured for alerts by ``SUNSHINE_ALERTS_SENDERS``: alerts imports the
interface from where it is and needs the participation package, not the app installed.

A run sends a batch of claimed deliveries through one ``Sending``: each kind of address's
sender stays open over the batch (one SMTP session), and the outcomes are written in a few
bulk updates when it closes. What comes of a message:

- sent: its deliveries ``sent``; the address's failures in a row start again from zero;
- a temporary failure (4xx, no connection): pending again, tried after
  ``SUNSHINE_ALERTS_RETRY_MINUTES``, given up (``failed``) after ``SUNSHINE_ALERTS_MAX_ATTEMPTS``;
- a permanent failure (5xx: the recipient refused, a bounce): ``failed`` and the address is
  suspended at once; an address whose messages are given up
  ``SUNSHINE_ALERTS_SUSPEND_AFTER_FAILURES`` times in a row is suspended too. A suspended
  address is sent nothing until it subscribes and confirms again;
- over the address's rate limit (``SUNSHINE_ALERTS_EMAILS_PER_ADDRESS_HOUR``,
  ``SUNSHINE_ALERTS_SMS_PER_NUMBER_DAY``): not sent now. It waits, pending, until the address's
  window ends — except a mobile's immediate alert, which joins the mobile's next daily digest
  (one SMS for all of them instead of a queue that would hit the limit again the next day).

Every delivery's update is bound to its claim: a run that was presumed dead
(``fanout.recover_stuck``) and finishes late cannot overwrite what the run that took over recorded.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from participation.choices import ContactKind
from participation.senders import SendError

from .conf import app_settings
from .models import Delivery, DeliveryKind, DeliveryStatus, Frequency, Subscriber

logger = logging.getLogger(__name__)

WINDOWS = {ContactKind.EMAIL: timedelta(hours=1), ContactKind.MOBILE: timedelta(days=1)}


def sender_for(kind):
    config = app_settings.SUNSHINE_ALERTS_SENDERS[kind]
    return import_string(config["CLASS"])(**config.get("OPTIONS", {}))


def send(subscriber, message):
    """Send ``message`` to ``subscriber`` now; raises ``SendError``."""
    sender_for(subscriber.kind).send(subscriber.address, message)


def limit_for(kind):
    """Messages an address of ``kind`` may be sent in its window (0: no limit)."""
    if kind == ContactKind.MOBILE:
        return app_settings.SUNSHINE_ALERTS_SMS_PER_NUMBER_DAY
    return app_settings.SUNSHINE_ALERTS_EMAILS_PER_ADDRESS_HOUR


def retry_delay(attempts):
    """The wait before the try after ``attempts`` failed ones."""
    minutes = app_settings.SUNSHINE_ALERTS_RETRY_MINUTES
    return timedelta(minutes=minutes[min(attempts, len(minutes)) - 1])


class Sending:
    """One batch's messages: senders kept open, rate limits counted, outcomes written on closing."""

    def __init__(self):
        self.now = timezone.now()
        self.senders = {}
        self.windows = {}  # subscriber pk: [window start, messages sent in it]
        self.sent, self.sent_subscribers, self.reset_failures = [], set(), set()
        self.retries = defaultdict(list)  # (attempts after this one, error): deliveries
        self.given_up = defaultdict(list)  # error: deliveries
        self.failed_subscribers, self.bounced = [], set()
        self.waiting = defaultdict(list)  # until: deliveries
        self.to_digest = []
        self.count = 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            for sender in self.senders.values():
                if hasattr(sender, "__exit__"):
                    sender.__exit__(*exc)
        finally:
            self.record()

    def sender(self, kind):
        """The kind's sender, opened once for the batch (a sender with ``send`` only is used as it is)."""
        if kind not in self.senders:
            sender = self.senders[kind] = sender_for(kind)
            if hasattr(sender, "__enter__"):
                sender.__enter__()
        return self.senders[kind]

    def window(self, subscriber):
        if subscriber.pk not in self.windows:
            since, count = subscriber.messages_since, subscriber.messages_sent
            if since is None or since + WINDOWS[subscriber.kind] <= self.now:
                since, count = self.now, 0
            self.windows[subscriber.pk] = [since, count]
        return self.windows[subscriber.pk]

    def hold(self, subscriber, deliveries):
        """Whether ``subscriber`` is over its rate limit: if so ``deliveries`` wait (see the module)."""
        limit = limit_for(subscriber.kind)
        since, count = self.window(subscriber)
        if not limit or count < limit:
            return False
        for delivery in deliveries:
            if (subscriber.kind, delivery.kind, delivery.frequency) == (ContactKind.MOBILE, DeliveryKind.PUBLISHED, Frequency.IMMEDIATE):
                self.to_digest.append(delivery)
            else:
                self.waiting[since + WINDOWS[subscriber.kind]].append(delivery)
        return True

    def deliver(self, subscriber, message, deliveries):
        """Send one message covering ``deliveries`` (claimed by the caller); returns 1 if sent, else 0."""
        try:
            self.sender(subscriber.kind).send(subscriber.address, message)
        except SendError as error:
            logger.warning("alert to subscriber %s failed (%s): %s", subscriber.pk, "permanent" if error.permanent else "temporary", error)
            self.failed(subscriber, deliveries, str(error)[:500] or error.__class__.__name__, error.permanent)
            return 0
        self.window(subscriber)[1] += 1
        self.sent += deliveries
        self.sent_subscribers.add(subscriber.pk)
        if subscriber.failure_count:
            self.reset_failures.add(subscriber.pk)
        self.count += 1
        return 1

    def failed(self, subscriber, deliveries, error, permanent):
        gave_up = permanent
        for delivery in deliveries:
            attempts = delivery.attempts + 1
            if permanent or attempts >= app_settings.SUNSHINE_ALERTS_MAX_ATTEMPTS:
                self.given_up[error].append(delivery)
                gave_up = True
            else:
                self.retries[(attempts, error)].append(delivery)
        if permanent:
            self.bounced.add(subscriber.pk)
        if gave_up:
            self.failed_subscribers.append(subscriber.pk)

    def record(self):
        def claimed(deliveries):
            return Delivery.objects.filter(
                pk__in=[delivery.pk for delivery in deliveries], status=DeliveryStatus.SENDING,
                claim__in={delivery.claim for delivery in deliveries},
            )

        done = {"claim": None, "claimed_at": None}
        if self.sent:
            claimed(self.sent).update(
                status=DeliveryStatus.SENT, attempts=F("attempts") + 1, sent_at=self.now, error="", next_attempt_at=None, **done
            )
        for (attempts, error), deliveries in self.retries.items():
            claimed(deliveries).update(
                status=DeliveryStatus.PENDING, attempts=attempts, error=error, next_attempt_at=self.now + retry_delay(attempts), **done
            )
        for error, deliveries in self.given_up.items():
            claimed(deliveries).update(status=DeliveryStatus.FAILED, attempts=F("attempts") + 1, error=error, next_attempt_at=None, **done)
        for until, deliveries in self.waiting.items():
            claimed(deliveries).update(status=DeliveryStatus.PENDING, next_attempt_at=until, **done)
        if self.to_digest:
            claimed(self.to_digest).update(status=DeliveryStatus.PENDING, frequency=Frequency.DAILY, next_attempt_at=None, **done)
        # The rate-limit windows of those sent to, grouped so that a batch is a few updates.
        windows = defaultdict(list)
        for pk in self.sent_subscribers:
            windows[tuple(self.windows[pk])].append(pk)
        for (since, count), pks in windows.items():
            Subscriber.objects.filter(pk__in=pks).update(messages_since=since, messages_sent=count)
        if self.reset_failures:
            Subscriber.objects.filter(pk__in=self.reset_failures).update(failure_count=0)
        if self.failed_subscribers:
            for pk in self.failed_subscribers:
                Subscriber.objects.filter(pk=pk).update(failure_count=F("failure_count") + 1)
            Subscriber.objects.filter(pk__in=self.failed_subscribers).filter(
                failure_count__gte=app_settings.SUNSHINE_ALERTS_SUSPEND_AFTER_FAILURES
            ).update(suspended=True)
        if self.bounced:
            Subscriber.objects.filter(pk__in=self.bounced).update(suspended=True)


def withhold(deliveries):
    """Deliveries whose item is no longer public: never sent."""
    if deliveries:
        Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries]).update(
            status=DeliveryStatus.WITHHELD, claim=None, claimed_at=None
        )
