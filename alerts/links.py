"""The signed links of alerts' messages (``django.core.signing``): confirm, manage, unsubscribe.

Manage and unsubscribe links carry the subscriber's secret token, signed (each kind with its
own salt, so that one kind of link never opens another); they do not expire, since every
message carries them. A confirmation link carries the subscriptions it confirms and expires
with the confirmation time (``SUNSHINE_ALERTS_CONFIRM_DAYS``).
"""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from disclosure_pages.public_urls import public_url

from .conf import app_settings
from .models import Subscriber

MANAGE, UNSUBSCRIBE, CONFIRM = "alerts.manage", "alerts.unsubscribe", "alerts.confirm"


class BadLink(Exception):
    """A link that was tampered with, has expired, or whose subscriber is gone."""


def url_in_script(script, name, **kwargs):
    """The absolute public URL of route ``name`` under ``script``'s language prefix."""
    with translation.override(script):
        return public_url(reverse(name, kwargs=kwargs or None))


def manage_url(subscriber):
    return url_in_script(subscriber.script, "alerts:manage", token=signing.Signer(salt=MANAGE).sign(subscriber.token))


def unsubscribe_url(subscriber):
    return url_in_script(subscriber.script, "alerts:unsubscribe", token=signing.Signer(salt=UNSUBSCRIBE).sign(subscriber.token))


def confirm_token(subscriber, subscriptions, member=None):
    """``member``: the signed-in member who asked for their account's address (the tie the link confirms)."""
    data = {"t": subscriber.token, "s": sorted(s.pk for s in subscriptions)}
    if member is not None:
        data["u"] = member.pk
    return signing.dumps(data, salt=CONFIRM, compress=True)


def confirm_url(subscriber, subscriptions, member=None):
    return url_in_script(subscriber.script, "alerts:confirm", token=confirm_token(subscriber, subscriptions, member))


def subscriber_of(signed, salt):
    """The subscriber a manage or unsubscribe link names; ``BadLink`` otherwise."""
    try:
        token = signing.Signer(salt=salt).unsign(signed)
    except signing.BadSignature:
        raise BadLink from None
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        raise BadLink
    return subscriber


def confirmation_of(signed):
    """``(subscriber, subscription ids)`` of a confirmation link; ``BadLink`` if tampered, expired or gone."""
    try:
        data = signing.loads(signed, salt=CONFIRM, max_age=app_settings.SUNSHINE_ALERTS_CONFIRM_DAYS * 86400)
        token, ids = data["t"], [int(pk) for pk in data["s"]]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise BadLink from None
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        raise BadLink
    return subscriber, ids


def member_of_confirmation(signed):
    """The id of the member a (valid) confirmation link ties its address to, or None: only a link
    made for a signed-in member's request carries one, and the signature keeps anyone from adding it."""
    try:
        member = signing.loads(signed, salt=CONFIRM, max_age=app_settings.SUNSHINE_ALERTS_CONFIRM_DAYS * 86400).get("u")
    except (signing.BadSignature, AttributeError):
        return None
    return member if isinstance(member, int) else None
