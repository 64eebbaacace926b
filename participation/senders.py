"""How a message reaches a resident's contact: one-time codes, and the notice that an answer is out.

Pluggable in the ``{CLASS, OPTIONS}`` manner, per kind of contact
(``SUNSHINE_PARTICIPATION_SENDERS``). A sender has ``send(contact, message)`` and raises
``SendError`` when the message could not be handed over — ``permanent`` when it never will be
to that contact (a bounce). Used as a context manager, a sender may keep its connection open
over several messages (``EmailSender``: one SMTP session). ``ConsoleSender`` prints (development),
``EmailSender`` uses Django's mail (SMTP in production), ``SmsGatewaySender`` is the interface an
SMS vendor's adapter implements — ``AliyunSmsSender`` for 阿里云短信 — and ``OutboxSender``
keeps messages in memory for tests.
"""

import base64
import datetime
import hashlib
import hmac
import json
import logging
import sys
import urllib.parse
import urllib.request
import uuid

import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string

from .conf import app_settings

logger = logging.getLogger(__name__)


class SendError(Exception):
    """The message was not handed over. ``permanent``: it never will be to this contact (an SMTP
    5xx refusal of the recipient, a bounce), so retrying is pointless; otherwise the failure is
    temporary (a 4xx, a timeout, the server unreachable) and a later try may succeed."""

    def __init__(self, *args, permanent=False):
        super().__init__(*args)
        self.permanent = permanent


class Message:
    """What is sent: a subject (for e-mail), the text, for SMS gateways a template and its
    parameters, and for e-mail an optional HTML part and headers (e.g. List-Unsubscribe)."""

    def __init__(self, subject, text, template="", params=None, html="", headers=None):
        self.subject, self.text, self.template, self.params = subject, text, template, params or {}
        self.html, self.headers = html, headers or {}


class BaseSender:
    """``send(contact, message)``; used as a context manager (``with sender: …``) a sender may keep
    one connection open over the messages sent inside (EmailSender does: one SMTP session)."""

    def __init__(self, **options):
        self.options = options

    def send(self, contact, message):
        raise NotImplementedError

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


class ConsoleSender(BaseSender):
    """Development: the message on the server's standard output."""

    def send(self, contact, message):
        stream = self.options.get("stream") or sys.stdout
        stream.write(f"[阳光党务] 发送至 {contact}：{message.text}\n")
        stream.flush()


# Replies after the data that refuse the mailbox itself (RFC 5321 4.2.3): some servers accept
# every recipient and bounce only then. Other 5xx after the data (552 too large, 554 content)
# say nothing of the address: retried, then given up, like a temporary failure.
MAILBOX_REFUSED = {550, 551, 553}


def refused_for_good(error):
    """Whether an SMTP error says the recipient will never take the message (a bounce), not ``try later``."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _text in error.recipients.values())
    # A refused sender (our own From) or a lost connection is no fault of the address.
    if isinstance(error, smtplib.SMTPResponseException) and not isinstance(error, smtplib.SMTPSenderRefused):
        return error.smtp_code in MAILBOX_REFUSED
    return False


class EmailSender(BaseSender):
    """E-mail through Django's mail settings (EMAIL_HOST, … : SMTP in production). Inside
    ``with sender:`` the messages share one connection (one SMTP session for a batch)."""

    connection = None

    def __enter__(self):
        self.connection = get_connection(fail_silently=False)
        return self

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send(self, contact, message):
        mail = EmailMultiAlternatives(
            message.subject, message.text, self.options.get("from_email"), [contact], headers=message.headers, connection=self.connection
        )
        if message.html:
            mail.attach_alternative(message.html, "text/html")
        try:
            if self.connection is not None:
                self.connection.open()  # kept open for the next message (reopened after a failure)
            mail.send(fail_silently=False)
        except Exception as error:  # SMTP refusals, timeouts, DNS: the resident is told to retry
            logger.warning("mail to a resident failed: %s", error.__class__.__name__)
            if self.connection is not None:
                self.connection.close()  # it may be broken: the next message opens another
            raise SendError(str(error), permanent=refused_for_good(error)) from error


class SmsGatewaySender(BaseSender):
    """An SMS vendor's adapter: ``deliver(mobile, template, params)`` hands one text to the gateway."""

    def send(self, contact, message):
        self.deliver(contact, message.template or self.options.get("template", ""), message.params)

    def deliver(self, mobile, template, params):
        raise NotImplementedError


class AliyunSmsSender(SmsGatewaySender):
    """阿里云短信服务 (dysmsapi, API version 2017-05-25, signature method HMAC-SHA1).

    OPTIONS: ``access_key_id``, ``access_key_secret``, ``sign_name`` (短信签名), ``templates``
    ({message template name: 模板CODE}), and ``endpoint`` (default https://dysmsapi.aliyuncs.com/).
    """

    endpoint = "https://dysmsapi.aliyuncs.com/"
    # Answers that no retry changes for this number (others — flow control, the account — may pass).
    permanent_codes = {"isv.MOBILE_NUMBER_ILLEGAL"}

    def deliver(self, mobile, template, params):
        options = self.options
        query = {
            "AccessKeyId": options["access_key_id"],
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": mobile,
            "RegionId": options.get("region", "cn-hangzhou"),
            "SignName": options["sign_name"],
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": options.get("templates", {}).get(template, template),
            "TemplateParam": json.dumps(params, ensure_ascii=False),
            "Timestamp": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        query["Signature"] = self.signature(query, options["access_key_secret"])
        url = options.get("endpoint", self.endpoint) + "?" + urllib.parse.urlencode(query)
        try:
            with urllib.request.urlopen(url, timeout=options.get("timeout", 10)) as response:
                answer = json.loads(response.read().decode())
        except (OSError, ValueError) as error:
            raise SendError(f"SMS gateway unreachable: {error.__class__.__name__}") from error
        if answer.get("Code") != "OK":
            raise SendError(f"SMS gateway refused: {answer.get('Code')}", permanent=answer.get("Code") in self.permanent_codes)

    @staticmethod
    def percent(value):
        return urllib.parse.quote(str(value), safe="~")

    @classmethod
    def signature(cls, query, secret):
        """Aliyun's RPC signature: HMAC-SHA1 over ``GET&%2F&`` and the sorted, percent-encoded query."""
        canonical = "&".join(f"{cls.percent(key)}={cls.percent(query[key])}" for key in sorted(query))
        string_to_sign = "GET&%2F&" + cls.percent(canonical)
        digest = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
        return base64.b64encode(digest).decode()


class OutboxSender(BaseSender):
    """Tests: messages are appended to ``OutboxSender.outbox`` as ``(contact, Message)``."""

    outbox = []

    def send(self, contact, message):
        if fail := self.options.get("fail"):
            raise SendError(f"test double told to fail ({fail})", permanent=fail == "permanent")
        type(self).outbox.append((contact, message))


def sender_for(contact_kind):
    config = app_settings.SUNSHINE_PARTICIPATION_SENDERS[contact_kind]
    return import_string(config["CLASS"])(**config.get("OPTIONS", {}))


def send(contact_kind, contact, message):
    sender_for(contact_kind).send(contact, message)
