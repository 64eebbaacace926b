"""The delivery check (GOV.UK email-alert-api's idea): a test alert goes through the real path —
the configured e-mail sender, SMTP in production — to SUNSHINE_ALERTS_CHECK_ADDRESS, and the
next run looks for it in that address's mailbox (SUNSHINE_ALERTS_CHECK_MAILBOX). A check not
found within SUNSHINE_ALERTS_CHECK_MINUTES is flagged: an ERROR in the log, exit code 1 of
``manage.py check_alert_delivery``, and ``failing`` in the admin's 订阅提醒 page.

Accepted by our SMTP server is not delivered: only reading the mailbox shows that the relay,
the recipient's server and its spam filter let alerts through.
"""

import imaplib
import logging
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.module_loading import import_string

from participation.senders import Message, SendError

from .conf import app_settings
from .delivery import sender_for
from .models import DeliveryCheck

logger = logging.getLogger(__name__)

SUBJECT = "[阳光党务] 订阅提醒送达检查 {token}"


class MailboxUnreadable(Exception):
    """The check mailbox could not be read (refused, unreachable, wrong password): the check
    cannot vouch for delivery. A mailbox reader raises it for any failure to read."""


class ImapMailbox:
    """The check address's mailbox over IMAP (stdlib imaplib). A found check message is deleted:
    the mailbox should be one kept for the check, and it must not fill up with them."""

    def __init__(self, host="", port=None, username="", password="", ssl=True, folder="INBOX", timeout=30):
        self.host, self.port, self.username, self.password = host, port, username, password
        self.ssl, self.folder, self.timeout = ssl, folder, timeout

    def received(self, token):
        try:
            return self._received(token)
        except (OSError, imaplib.IMAP4.error) as error:  # sockets, TLS, refusals and bad answers
            raise MailboxUnreadable(f"{error.__class__.__name__}: {error}") from error

    def _received(self, token):
        connect = imaplib.IMAP4_SSL if self.ssl else imaplib.IMAP4
        with connect(self.host, self.port or (993 if self.ssl else 143), timeout=self.timeout) as imap:
            imap.login(self.username, self.password)
            imap.select(self.folder)
            # The token is [0-9a-f]: nothing to quote in the search.
            _status, data = imap.search(None, "SUBJECT", f'"{token}"')
            numbers = data[0].split() if data and data[0] else []
            for number in numbers:
                imap.store(number, "+FLAGS", "\\Deleted")
            if numbers:
                imap.expunge()
        return bool(numbers)


def mailbox():
    config = app_settings.SUNSHINE_ALERTS_CHECK_MAILBOX
    return import_string(config["CLASS"])(**config.get("OPTIONS", {}))


def enabled():
    return bool(app_settings.SUNSHINE_ALERTS_CHECK_ADDRESS)


def send_check():
    """Send one test alert and record it; a refusal is recorded (and logged) as ``send_failed``."""
    check = DeliveryCheck(token=secrets.token_hex(16), sent_at=timezone.now())
    message = Message(
        SUBJECT.format(token=check.token),
        "这是阳光党务订阅提醒的送达检查邮件，由系统定时发送，用于确认提醒邮件能够送达。请勿回复。\n",
    )
    try:
        sender_for("email").send(app_settings.SUNSHINE_ALERTS_CHECK_ADDRESS, message)
    except SendError as error:
        check.status, check.checked_at, check.error = DeliveryCheck.Status.SEND_FAILED, check.sent_at, str(error)[:500]
        logger.error("alert delivery check: the test alert could not be sent: %s", error)
    check.save()
    return check


def verify(now=None):
    """Look for the waiting checks in the mailbox: found ones arrived; those older than
    SUNSHINE_ALERTS_CHECK_MINUTES and still not there are missing (logged as errors).
    Returns the checks that went missing now; raises ``MailboxUnreadable``."""
    now = now or timezone.now()
    deadline = now - timedelta(minutes=app_settings.SUNSHINE_ALERTS_CHECK_MINUTES)
    waiting = list(DeliveryCheck.objects.filter(status=DeliveryCheck.Status.WAITING).order_by("sent_at"))
    if not waiting:
        return []
    reader = mailbox()
    missing = []
    for check in waiting:
        if reader.received(check.token):
            check.status, check.checked_at = DeliveryCheck.Status.ARRIVED, now
        elif check.sent_at <= deadline:
            check.status, check.checked_at = DeliveryCheck.Status.MISSING, now
            missing.append(check)
            logger.error(
                "alert delivery check: the test alert sent at %s did not arrive within %s minutes",
                check.sent_at.isoformat(), app_settings.SUNSHINE_ALERTS_CHECK_MINUTES,
            )
        else:
            continue
        check.save(update_fields=["status", "checked_at"])
    return missing


def status():
    """The check's state for people and monitors (like /readyz): ``off`` (no check address),
    ``unknown`` (nothing concluded yet), ``ok`` (the last concluded check arrived) or ``failing``."""
    if not enabled():
        return {"status": "off"}
    concluded = DeliveryCheck.objects.exclude(status=DeliveryCheck.Status.WAITING).first()
    last_arrived = DeliveryCheck.objects.filter(status=DeliveryCheck.Status.ARRIVED).first()
    waiting = DeliveryCheck.objects.filter(status=DeliveryCheck.Status.WAITING).count()
    if concluded is None:
        state = "unknown"
    else:
        state = "ok" if concluded.status == DeliveryCheck.Status.ARRIVED else "failing"
    result = {
        "status": state,
        "waiting": waiting,
        "last_arrived_sent_at": last_arrived.sent_at.isoformat() if last_arrived else None,
    }
    if concluded is not None:
        result["last_check"] = {
            "sent_at": concluded.sent_at.isoformat(), "result": concluded.status,
            "checked_at": concluded.checked_at.isoformat() if concluded.checked_at else None,
        }
        if concluded.error:
            result["last_check"]["error"] = concluded.error
    return result
