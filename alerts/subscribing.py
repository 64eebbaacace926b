"""Subscribing, confirming, changing and ending subscriptions (the views' rules).

Anyone may ask for a subscription for any address, so nothing takes effect until the address
confirms: an e-mail by the link it is sent, a mobile by the one-time code. A request for an
address answers the same whether or not it is known (no one learns who subscribes), changes
nothing confirmed (a stranger cannot alter another's subscriptions), and is limited to
``SUNSHINE_ALERTS_CONFIRMATIONS_PER_CONTACT_HOUR`` messages an hour per address.

Members' subscriptions (党员订阅): a member signed in on the portal who subscribes their
account's own e-mail address asks for it to be tied to their account (``Subscriber.user``), so
that it is also sent the members-only items they may read (``fanout``), and may subscribe to a
members-only unit or item they may read. The tie is made only when the confirmation link is
followed, and only by a link made for that signed-in request: an anonymous request never makes,
changes or ends a tie.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from disclosure_pages.visibility import ANONYMOUS, user_can_view
from participation.choices import ContactKind
from participation.intake import IntakeError, normalise_contact
from participation.senders import SendError

from . import messages
from .conf import app_settings
from .delivery import send
from .models import DeliveryStatus, Frequency, Script, Subscriber, Subscription
from .searches import SavedSearch


class SubscribeError(Exception):
    """Refused input, with a message for people (Chinese, in the active script)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message, self.field = message, field


def normalise_address(kind, address):
    """The address as participation keeps contacts (one rule for a valid mobile or e-mail),
    refused in alerts' own words."""
    try:
        return normalise_contact(kind, address)
    except IntakeError as refused:
        if refused.field == "contact_kind":
            raise SubscribeError(_("请选择接收方式（电子邮箱或手机号码）。"), "kind") from None
        if kind == ContactKind.MOBILE:
            raise SubscribeError(_("请填写正确的11位手机号码。"), "address") from None
        raise SubscribeError(_("请填写正确的电子邮箱地址。"), "address") from None


# -- what may be subscribed to ---------------------------------------------------------------


def default_of(model, obj):
    """The default-locale variant of a unit, entry or item (what subscriptions point at)."""
    default = Locale.get_default()
    if obj.locale_id == default.pk:
        return obj
    return model.objects.filter(translation_key=obj.translation_key, locale=default).first() or obj


def target_of_page(page_id, user=ANONYMOUS):
    """The unit or item ``page_id`` names that ``user`` may read, in the default locale; None for
    anything else (a draft, a members-only page they may not read, another page type)."""
    for model in (UnitPage, DisclosureItemPage):
        page = model.objects.live().filter(pk=page_id).first()
        if page is not None:
            return default_of(model, page) if user_can_view(page, user) else None
    return None


def target_of_entry(entry_key):
    entry = CatalogueEntry.objects.filter(translation_key=entry_key).first()
    return default_of(CatalogueEntry, entry) if entry is not None else None


def target_lookup(target):
    """The subscription's fields that name ``target``: a unit, entry or item, or a saved search's query and facets."""
    if isinstance(target, SavedSearch):
        return {"search_query": target.query, "search_filters": target.filters}
    return {target_field(target): target}


def target_field(target):
    if isinstance(target, UnitPage):
        return "unit"
    if isinstance(target, CatalogueEntry):
        return "entry"
    return "item"


# -- subscribing -----------------------------------------------------------------------------


def _hash(code):
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def _count_confirmation(subscriber, now):
    """Refuse past the hourly limit of confirmation messages to one address."""
    window = now - timedelta(hours=1)
    if subscriber.confirmations_since is None or subscriber.confirmations_since < window:
        subscriber.confirmations_since, subscriber.confirmations_sent = now, 0
    if subscriber.confirmations_sent >= app_settings.SUNSHINE_ALERTS_CONFIRMATIONS_PER_CONTACT_HOUR:
        raise SubscribeError(_("该地址在一小时内已多次申请订阅，请稍后再试。"), "address")
    subscriber.confirmations_sent += 1


def member_tie(member, kind, address):
    """The member an address (normalised) would be tied to: ``member`` (the signed-in user, or
    None) when it is their account's own e-mail address, else None."""
    if member is None or not member.is_authenticated or not member.is_active or kind != ContactKind.EMAIL:
        return None
    email = (member.email or "").strip().lower()
    return member if email and email == address else None


def subscribe(kind, address, target, frequency, script, with_sub_units=True, member=None):
    """Ask for a subscription of ``address`` to ``target``; sends the confirmation. Returns
    ``(subscriber, subscription)``; raises ``SubscribeError``.

    ``member``: the user signed in on the portal. Their account's own e-mail address is tied to
    them once confirmed, and only such an address may subscribe to a members-only ``target`` they
    may read. Even then it confirms by the link: account e-mails are typed by officers at
    enrolment and never proven, and an address mistyped there must not be sent members-only
    items before its owner — the member — answers from it."""
    address = normalise_address(kind, address)
    tie = member_tie(member, kind, address)
    if isinstance(target, (UnitPage, DisclosureItemPage)) and not user_can_view(target, ANONYMOUS):
        if tie is None or not user_can_view(target, tie):
            raise SubscribeError(_("仅党员可见的内容只能用您党员账号的电子邮箱订阅，请登录后填写账号中的电子邮箱。"), "address")
    if frequency not in Frequency.values:
        raise SubscribeError(_("请选择提醒频率。"), "frequency")
    if script not in Script.values:
        script = Script.SIMPLIFIED
    now = timezone.now()
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(kind=kind, address=address, defaults={"script": script})
        if subscriber.confirmed_at is None:
            subscriber.script = script
        _count_confirmation(subscriber, now)
        subscription, made = Subscription.objects.get_or_create(
            subscriber=subscriber, **target_lookup(target),
            defaults={"frequency": frequency, "with_sub_units": with_sub_units},
        )
        if not made and subscription.confirmed_at is None:
            subscription.frequency, subscription.with_sub_units = frequency, with_sub_units
            subscription.save(update_fields=["frequency", "with_sub_units"])
        code = None
        if kind == ContactKind.MOBILE:
            code = f"{secrets.randbelow(10**6):06d}"
            subscriber.code_hash, subscriber.code_attempts = _hash(code), 0
            subscriber.code_expires_at = now + timedelta(minutes=app_settings.SUNSHINE_ALERTS_CODE_MINUTES)
        subscriber.save()
    try:
        send(subscriber, messages.confirmation(subscriber, [subscription], code, member=tie))
    except SendError:
        raise SubscribeError(_("确认信息发送失败，请稍后再试。"), "address") from None
    return subscriber, subscription


def confirm(subscriber, subscription_ids, member_id=None):
    """Confirm the subscriber's address and those of its subscriptions; returns the confirmed subscriptions.

    ``member_id``: the member a signed-in request's link ties the address to, tied if the address
    is still their active account's e-mail."""
    now = timezone.now()
    with transaction.atomic():
        changed = {"confirmed_at": subscriber.confirmed_at or now, "unsubscribed_at": None}
        if member_id is not None:
            member = get_user_model().objects.filter(pk=member_id).first()
            if member is not None and member_tie(member, subscriber.kind, subscriber.address) is not None:
                changed["user"] = member
        if subscriber.suspended:
            # Confirming again proves the address works: it is sent to again.
            changed.update(suspended=False, failure_count=0)
        Subscriber.objects.filter(pk=subscriber.pk).update(**changed)
        for name, value in changed.items():
            setattr(subscriber, name, value)
        subscriptions = subscriber.subscriptions.filter(pk__in=subscription_ids)
        subscriptions.filter(confirmed_at__isnull=True).update(confirmed_at=now)
    return list(subscriptions)


def confirm_code(subscriber, code, subscription_ids):
    """Confirm a mobile with its one-time code; raises ``SubscribeError`` for a wrong or spent one."""
    now = timezone.now()
    spent = (
        not subscriber.code_hash or subscriber.code_expires_at is None or subscriber.code_expires_at < now
        or subscriber.code_attempts >= app_settings.SUNSHINE_ALERTS_CODE_ATTEMPTS
    )
    if spent:
        raise SubscribeError(_("验证码已失效，请重新获取。"), "code")
    if not hmac.compare_digest(subscriber.code_hash, _hash((code or "").strip())):
        Subscriber.objects.filter(pk=subscriber.pk).update(code_attempts=subscriber.code_attempts + 1)
        subscriber.code_attempts += 1
        raise SubscribeError(_("验证码不正确，请核对后重新输入。"), "code")
    Subscriber.objects.filter(pk=subscriber.pk).update(code_hash="", code_expires_at=None)
    return confirm(subscriber, subscription_ids)


# -- changing and ending ---------------------------------------------------------------------


def change(subscriber, frequencies, removed, script):
    """The manage page's changes: ``frequencies`` by subscription id, ``removed`` ids, the script."""
    with transaction.atomic():
        own = subscriber.subscriptions.filter(confirmed_at__isnull=False)
        for subscription in own.exclude(pk__in=removed):
            frequency = frequencies.get(subscription.pk)
            if frequency in Frequency.values and frequency != subscription.frequency:
                subscription.frequency = frequency
                subscription.save(update_fields=["frequency"])
        if removed:
            own.filter(pk__in=removed).delete()
        if script in Script.values and script != subscriber.script:
            subscriber.script = script
            subscriber.save(update_fields=["script"])
        if not subscriber.subscriptions.exists():
            _ended(subscriber)


def unsubscribe_all(subscriber):
    """One click: every subscription of the address ends, and nothing waiting is sent."""
    with transaction.atomic():
        subscriber.subscriptions.all().delete()
        _ended(subscriber)


def _ended(subscriber):
    subscriber.deliveries.filter(status=DeliveryStatus.PENDING).delete()
    subscriber.unsubscribed_at = timezone.now()
    subscriber.save(update_fields=["unsubscribed_at"])


# -- privacy ---------------------------------------------------------------------------------


def purge(now=None):
    """Delete what privacy says must go: subscriptions never confirmed within
    ``SUNSHINE_ALERTS_CONFIRM_DAYS`` and the addresses left with none, and the addresses whose
    last subscription ended ``SUNSHINE_ALERTS_KEEP_DAYS_AFTER_UNSUBSCRIBE`` days ago (with what
    was sent to them). Returns (subscriptions, subscribers) deleted."""
    now = now or timezone.now()
    unconfirmed = now - timedelta(days=app_settings.SUNSHINE_ALERTS_CONFIRM_DAYS)
    ended = now - timedelta(days=app_settings.SUNSHINE_ALERTS_KEEP_DAYS_AFTER_UNSUBSCRIBE)
    with transaction.atomic():
        subscriptions, _by_model = Subscription.objects.filter(confirmed_at__isnull=True, created_at__lt=unconfirmed).delete()
        without_subscriptions = Subscriber.objects.filter(subscriptions__isnull=True)
        gone = without_subscriptions.filter(confirmed_at__isnull=True, created_at__lt=unconfirmed) | without_subscriptions.filter(
            unsubscribed_at__lt=ended
        )
        subscribers = Subscriber.objects.filter(pk__in=list(gone.values_list("pk", flat=True)))
        count = subscribers.count()
        subscribers.delete()
    return subscriptions, count
