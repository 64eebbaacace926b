"""Getting messages out: retries with backoff, bounces, runs that died, rate limits, one SMTP
session per batch, and ``manage.py send_alerts`` (time moves by mocking ``timezone.now``)."""

import io
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from alerts import fanout
from alerts.delivery import Sending
from alerts.models import Delivery, DeliveryStatus, Frequency
from tests.factories import make_item

from .helpers import confirmed, OUTBOX_SENDERS, SmtpServer, outbox_senders, sent_to, text_of

pytestmark = pytest.mark.django_db

FAILING = {kind: {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {"fail": "temporary"}} for kind in OUTBOX_SENDERS}


@contextmanager
def at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield moment


def send_alerts():
    out = io.StringIO()
    call_command("send_alerts", stdout=out)
    return out.getvalue()


# -- retries and bounces ---------------------------------------------------------------------


def test_a_temporary_refusal_is_tried_again_after_its_wait_and_then_arrives(county, publish):
    subscriber = confirmed(county.township, "busy@example.cn")
    with SmtpServer() as mailbox:
        mailbox.refuse["busy@example.cn"] = "451 4.2.1 Mailbox busy, try again later"
        start = timezone.now()
        with at(start):
            publish(county.township, "城关镇2024年第三季度党费收缴情况")
        delivery = Delivery.objects.get(subscriber=subscriber)
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.PENDING, 1, start + timedelta(minutes=1))
        assert "451" in delivery.error and "Mailbox busy" in delivery.error

        with at(start + timedelta(seconds=30)):
            send_alerts()  # not due yet
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and mailbox.to("busy@example.cn") == []

        with at(start + timedelta(minutes=1)) as tried:
            send_alerts()  # still busy: the next wait is longer
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.PENDING, 2, tried + timedelta(minutes=5))

        del mailbox.refuse["busy@example.cn"]
        with at(start + timedelta(minutes=6)):
            output = send_alerts()
        [message] = mailbox.to("busy@example.cn")
        assert "城关镇2024年第三季度党费收缴情况" in text_of(message)
        assert "已发送提醒和更正 1 条" in output
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error, delivery.next_attempt_at) == (DeliveryStatus.SENT, 3, "", None)
    subscriber.refresh_from_db()
    assert (subscriber.failure_count, subscriber.suspended) == (0, False)


@override_settings(SUNSHINE_ALERTS_RETRY_MINUTES=[1, 5, 30, 120], SUNSHINE_ALERTS_MAX_ATTEMPTS=6)
def test_the_waits_grow_and_the_last_repeats_until_the_message_is_given_up(county, publish):
    subscriber = confirmed(county.township, "down@example.cn")
    with override_settings(SUNSHINE_ALERTS_SENDERS=FAILING):
        moment = timezone.now()
        with at(moment):
            publish(county.township, "城关镇公告")
        waits = []
        for _ in range(5):
            delivery = Delivery.objects.get(subscriber=subscriber)
            if delivery.status != DeliveryStatus.PENDING:
                break
            waits.append(int((delivery.next_attempt_at - moment).total_seconds() // 60))
            moment = delivery.next_attempt_at
            with at(moment):
                send_alerts()
    assert waits == [1, 5, 30, 120, 120]
    delivery = Delivery.objects.get(subscriber=subscriber)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 6, None)
    assert "temporary" in delivery.error
    subscriber.refresh_from_db()
    assert (subscriber.failure_count, subscriber.suspended) == (1, False)  # one message given up, not yet a pattern


def test_a_bounce_fails_at_once_suspends_the_address_and_the_others_still_get_theirs(county, publish):
    gone = confirmed(county.township, "gone@example.cn")
    fine = confirmed(county.township, "fine@example.cn")
    with SmtpServer() as mailbox:
        mailbox.refuse["gone@example.cn"] = "550 5.1.1 No such user here"
        publish(county.township, "城关镇换届选举结果公告")
        later = timezone.now() + timedelta(hours=3)
        with at(later):
            send_alerts()
        assert mailbox.to("gone@example.cn") == [] and len(mailbox.to("fine@example.cn")) == 1
        publish(county.township, "城关镇换届选举后续公告")
    delivery = Delivery.objects.get(subscriber=gone)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 1, None)
    assert "550" in delivery.error and "No such user" in delivery.error
    gone.refresh_from_db()
    assert (gone.suspended, gone.failure_count) == (True, 1)
    assert Delivery.objects.filter(subscriber=fine, status=DeliveryStatus.SENT).count() == 2
    # Nothing is written for the suspended address until it confirms again.
    assert Delivery.objects.filter(subscriber=gone).count() == 1


def test_a_batch_shares_one_smtp_session(county, publish):
    for n in range(3):
        confirmed(county.township, f"reader{n}@example.cn")
    with SmtpServer() as mailbox:
        publish(county.township, "城关镇党委主题党日活动安排")
    assert len(mailbox.messages) == 3
    assert mailbox.sessions == 1


def test_a_daily_digest_that_failed_for_a_while_is_sent_by_the_next_run_after_its_wait(county, publish):
    subscriber = confirmed(county.township, "daily@example.cn", frequency=Frequency.DAILY)
    publish(county.township, "城关镇每日汇总事项")
    with override_settings(SUNSHINE_ALERTS_SENDERS=FAILING):
        call_command("send_alert_digests", frequency="daily", stdout=io.StringIO())
    delivery = Delivery.objects.get(subscriber=subscriber)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    with outbox_senders(), at(delivery.next_attempt_at):
        send_alerts()
        [digest] = sent_to("daily@example.cn")
    assert "城关镇每日汇总事项" in digest.text
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


# -- runs that died --------------------------------------------------------------------------


def test_a_delivery_claimed_by_a_run_that_died_is_sent_once_by_a_later_run(county, outbox_free_item):
    subscriber, item = outbox_free_item
    pending = Delivery.objects.filter(subscriber=subscriber)
    start = timezone.now()
    with at(start):
        first_run = fanout.claim(pending)
        assert [d.status for d in first_run] == [DeliveryStatus.SENDING]
        assert fanout.claim(pending) == []  # a second run at once: nothing for it
    with outbox_senders():
        with at(start + timedelta(minutes=10)):
            output = send_alerts()  # the first run may still be sending
        assert sent_to(subscriber.address) == [] and "恢复中断的发送 0 条" in output
        with at(start + timedelta(minutes=16)):
            output = send_alerts()
        assert "恢复中断的发送 1 条" in output and "已发送提醒和更正 1 条" in output
        assert len(sent_to(subscriber.address)) == 1
    # The first run wakes and records a failure: its claim is gone, the record stands.
    with Sending() as late:
        late.failed(subscriber, first_run, "timed out", permanent=False)
    delivery = pending.get()
    assert (delivery.status, delivery.attempts, delivery.error, delivery.claim) == (DeliveryStatus.SENT, 1, "", None)


@pytest.fixture
def outbox_free_item(county):
    """A subscriber with a pending delivery of an item, not sent: the publication's task has not run."""
    subscriber = confirmed(county.township, "claimed@example.cn")
    item = make_item(county.township, "城关镇村级财务公开")  # its commit's work never runs in this test
    fanout.fan_out({item.translation_key})
    return subscriber, item


# -- rate limits -----------------------------------------------------------------------------


@override_settings(SUNSHINE_ALERTS_EMAILS_PER_ADDRESS_HOUR=2)
def test_over_its_hourly_limit_an_address_waits_for_the_next_hour_and_loses_nothing(county, publish):
    subscriber = confirmed(county.township, "limit@example.cn")
    start = timezone.now()
    with outbox_senders():
        with at(start):
            for n in range(3):
                publish(county.township, f"城关镇公告第{n + 1}号")
        assert len(sent_to("limit@example.cn")) == 2
        waiting = Delivery.objects.get(subscriber=subscriber, status=DeliveryStatus.PENDING)
        assert (waiting.next_attempt_at, waiting.attempts) == (start + timedelta(hours=1), 0)
        with at(start + timedelta(minutes=59)):
            send_alerts()
        assert len(sent_to("limit@example.cn")) == 2
        with at(start + timedelta(hours=1)):
            send_alerts()
        assert len(sent_to("limit@example.cn")) == 3
        assert "城关镇公告第3号" in sent_to("limit@example.cn")[2].text
    assert set(Delivery.objects.filter(subscriber=subscriber).values_list("status", flat=True)) == {DeliveryStatus.SENT}


@override_settings(SUNSHINE_ALERTS_SMS_PER_NUMBER_DAY=1)
def test_a_mobile_over_its_daily_limit_gets_the_rest_in_its_next_daily_digest(county, publish):
    subscriber = confirmed(county.township, "13800001234", kind="mobile")
    start = timezone.now()
    with outbox_senders():
        with at(start):
            publish(county.township, "城关镇公告甲")
            publish(county.township, "城关镇公告乙")
            publish(county.township, "城关镇公告丙")
        [first] = sent_to("13800001234")
        assert "城关镇公告甲" in first.text
        assert list(Delivery.objects.filter(subscriber=subscriber, status=DeliveryStatus.PENDING).values_list("frequency", flat=True)) == [
            Frequency.DAILY, Frequency.DAILY,
        ]
        with at(start + timedelta(hours=2)):
            call_command("send_alert_digests", frequency="daily", stdout=io.StringIO())  # still today's limit
        assert len(sent_to("13800001234")) == 1
        with at(start + timedelta(days=1, minutes=1)):
            call_command("send_alert_digests", frequency="daily", stdout=io.StringIO())
        [_first, digest] = sent_to("13800001234")
    assert "2 条新公开信息" in digest.text
    assert set(Delivery.objects.filter(subscriber=subscriber).values_list("status", flat=True)) == {DeliveryStatus.SENT}
    subscriber.refresh_from_db()
    assert subscriber.messages_sent == 1
