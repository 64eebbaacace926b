"""The alerts tests' county, a local SMTP server receiving real messages, and the steps a resident takes."""

import re
import socket
from email import policy
from email.parser import BytesParser
from urllib.parse import urlsplit

from aiosmtpd.controller import Controller
from django.test import Client, override_settings

from participation.senders import OutboxSender
from tests.factories import build_tree
from tests.workflows.helpers import people

SMTP_SENDERS = {
    "email": {"CLASS": "participation.senders.EmailSender", "OPTIONS": {}},
    "mobile": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
}
OUTBOX_SENDERS = {
    "email": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
    "mobile": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
}


def build_county():
    tree = build_tree()
    tree.people = people(tree)
    return tree


# -- a local SMTP server ----------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler keeping every message it receives, parsed. ``refuse`` answers a
    recipient with an SMTP reply instead (``{address: "550 …"}``); ``sessions`` counts the
    connections that greeted it."""

    def __init__(self):
        self.messages = []
        self.refuse = {}
        self.sessions = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        message.recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.messages if address in message.recipients]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """A real SMTP server on a free local port, and the settings that send Django's mail to it."""

    def __enter__(self):
        self.mailbox = Mailbox()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.settings = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.controller.port, EMAIL_USE_TLS=False, EMAIL_USE_SSL=False, EMAIL_HOST_USER="", EMAIL_HOST_PASSWORD="",
            SUNSHINE_ALERTS_SENDERS=SMTP_SENDERS,
        )
        self.settings.enable()
        return self.mailbox

    def __exit__(self, *exc):
        self.settings.disable()
        self.controller.stop()


def outbox_senders():
    """Messages go to ``OutboxSender.outbox`` (emptied here)."""
    OutboxSender.outbox.clear()
    return override_settings(SUNSHINE_ALERTS_SENDERS=OUTBOX_SENDERS)


def confirmed(target, address, frequency="immediate", with_sub_units=True, script="zh-hans", kind="email"):
    """A confirmed subscription, as the subscribe form and the confirmation link make it (its confirmation message dropped)."""
    from alerts import subscribing

    with outbox_senders():
        subscriber, subscription = subscribing.subscribe(kind, address, target, frequency, script, with_sub_units=with_sub_units)
        subscribing.confirm(subscriber, [subscription.pk])
    OutboxSender.outbox.clear()
    return subscriber


def sent_to(address):
    return [message for contact, message in OutboxSender.outbox if contact == address]


# -- reading messages -------------------------------------------------------------------------


def text_of(message):
    return message.get_body(("plain",)).get_content()


def html_of(message):
    return message.get_body(("html",)).get_content()


def links_in(text):
    return re.findall(r"https?://[^\s<>\"]+", text)


def path_of(url):
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def link_to(text, route):
    """The path of the first link in ``text`` to ``/<lang>/alerts/<route>/``."""
    for url in links_in(text):
        if f"/alerts/{route}/" in url:
            return path_of(url)
    raise AssertionError(f"no {route} link in:\n{text}")


# -- a resident's steps -----------------------------------------------------------------------


def subscribe(client, target, address, language="zh-hans", kind="email", frequency="immediate", with_sub_units=True, entry=False):
    query = f"entry={target.translation_key}" if entry else f"page={target.pk}"
    data = {"kind": kind, "address": address, "frequency": frequency, "action": "subscribe"}
    if with_sub_units:
        data["with_sub_units"] = "on"
    return client.post(f"/{language}/alerts/subscribe/?{query}", data)


def new_client():
    return Client(raise_request_exception=False)
