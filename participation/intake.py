"""Opinions in: the checks every channel goes through (the web form, the API, an officer's entry).

A resident's opinion needs a contact confirmed by a one-time code (``request_code`` sends it,
``submit`` checks it); a signed-in member needs none. Rate limits are counted in the database
(per contact and per address, over the last hour), so they hold across server processes.
Nothing is refused for its words: flagged words send it to moderation with a flag.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from disclosure_pages.choices import Stage
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.visibility import user_can_view

from . import senders
from .choices import Channel, ContactKind, EventKind
from .conf import app_settings
from .handling import record
from .models import Opinion, OpinionCatalogueEntry, VerificationCode, hash_secret
from .receivers import item_is_public

# ASCII digits only: Python's \d also matches full-width and other scripts' digits, which no SMS gateway dials.
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


class IntakeError(Exception):
    """Refused input: ``code`` for the API, ``message`` (Chinese) for people, ``field`` it is about."""

    def __init__(self, code, message, field=None):
        super().__init__(message)
        self.code, self.message, self.field = code, message, field


# -- where opinions may go --------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    """Whether an item takes opinions now: ``open``, until ``until`` (a date, included)."""

    open: bool
    until: object = None
    takes_opinions: bool = False  # the item takes opinions at all (open now or once)


def canonical(page):
    """The default-locale page of a unit or item (opinions point at those), or ``page`` itself."""
    from wagtail.models import Locale

    if page is None or page.locale_id == Locale.get_default().pk:
        return page
    return type(page).objects.filter(translation_key=page.translation_key, locale=Locale.get_default()).first() or page


def opening_of(item):
    """Pre-disclosure items during their comment period; items of entries the county opened, for its days."""
    today = timezone.localdate()
    if item.stage == Stage.PRE_DISCLOSURE and item.comment_deadline:
        return Opening(open=item.comment_deadline >= today, until=item.comment_deadline, takes_opinions=True)
    if item.catalogue_entry_id:
        entry = item.catalogue_entry
        rule = OpinionCatalogueEntry.objects.filter(entry__translation_key=entry.translation_key).first()
        if rule is not None:
            start = item.publish_date or today
            until = start + timedelta(days=rule.open_days)
            return Opening(open=until >= today, until=until, takes_opinions=True)
    return Opening(open=False)


def may_write_on(item, user):
    """Anyone on a public item; only those who may read it on a members-only one."""
    return item.live and not item.is_removed and user_can_view(item, user)


# -- codes ------------------------------------------------------------------------------------


def address_hash(address):
    """A requesting IP address as kept for rate limits: keyed, so the digest cannot be reversed by trying all addresses."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def normalise_contact(kind, contact):
    contact = (contact or "").strip()
    if kind == ContactKind.MOBILE:
        contact = contact.replace(" ", "").replace("-", "")
        if contact.startswith("+86"):
            contact = contact[3:]
        if not MOBILE.match(contact):
            raise IntakeError("invalid_contact", "请填写正确的11位手机号码。", "contact")
        return contact
    if kind == ContactKind.EMAIL:
        contact = contact.lower()
        try:
            validate_email(contact)
        except ValidationError:
            raise IntakeError("invalid_contact", "请填写正确的电子邮箱地址。", "contact") from None
        return contact
    raise IntakeError("invalid_contact_kind", "请选择联系方式（手机号码或电子邮箱）。", "contact_kind")


def _recent(queryset, field="created_at"):
    return queryset.filter(**{f"{field}__gte": timezone.now() - timedelta(hours=1)}).count()


def request_code(kind, contact, address):
    """Send a one-time code to ``contact``; refuses past the hourly limits. Returns the normalised contact."""
    contact = normalise_contact(kind, contact)
    contact_hash, from_hash = hash_secret(contact), address_hash(address)
    if _recent(VerificationCode.objects.filter(contact_hash=contact_hash)) >= app_settings.SUNSHINE_OPINION_CODES_PER_CONTACT_HOUR:
        raise IntakeError("rate_limited", "该联系方式获取验证码过于频繁，请一小时后再试。", "contact")
    if _recent(VerificationCode.objects.filter(address_hash=from_hash)) >= app_settings.SUNSHINE_OPINION_CODES_PER_ADDRESS_HOUR:
        raise IntakeError("rate_limited", "获取验证码过于频繁，请一小时后再试。")
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = app_settings.SUNSHINE_OPINION_CODE_MINUTES
    VerificationCode.objects.create(
        contact_hash=contact_hash, address_hash=from_hash, code_hash=hash_secret(f"{contact}:{code}"),
        expires_at=timezone.now() + timedelta(minutes=minutes),
    )
    message = senders.Message(
        subject="阳光党务：意见建议验证码",
        text=f"您的验证码是 {code}，{minutes} 分钟内有效。如非本人操作，请忽略。",
        template="verification_code",
        params={"code": code},
    )
    try:
        senders.send(kind, contact, message)
    except senders.SendError:
        raise IntakeError("send_failed", "验证码发送失败，请稍后再试或换一种联系方式。", "contact") from None
    return contact


def check_code(contact, code):
    """Spend the newest live code of ``contact`` if ``code`` is it; wrong tries count against it."""
    code = (code or "").strip()
    with transaction.atomic():
        current = (
            VerificationCode.objects.select_for_update()
            .filter(contact_hash=hash_secret(contact), used_at=None, expires_at__gt=timezone.now())
            .order_by("-created_at", "-pk")
            .first()
        )
        if current is None or current.attempts >= app_settings.SUNSHINE_OPINION_CODE_ATTEMPTS:
            raise IntakeError("code_expired", "验证码已失效，请重新获取。", "code")
        if not hmac.compare_digest(current.code_hash, hash_secret(f"{contact}:{code}")):
            current.attempts += 1
            current.save(update_fields=["attempts"])
            raise IntakeError("wrong_code", "验证码不正确。", "code")
        current.used_at = timezone.now()
        current.save(update_fields=["used_at"])


# -- opinions ---------------------------------------------------------------------------------


def flagged_words(*texts):
    words = app_settings.SUNSHINE_OPINION_FLAG_WORDS
    joined = "\n".join(texts)
    return "、".join(word for word in words if word and word in joined)


def _clean_text(body, subject):
    body, subject = (body or "").strip(), (subject or "").strip()
    limit = app_settings.SUNSHINE_OPINION_MAX_LENGTH
    if not body:
        raise IntakeError("required", "请填写意见内容。", "body")
    if len(body) > limit:
        raise IntakeError("too_long", f"意见内容不能超过 {limit} 字。", "body")
    if len(subject) > 60:
        raise IntakeError("too_long", "标题不能超过 60 字。", "subject")
    return body, subject


def resolve_target(unit=None, item=None):
    """The (unit, item) an opinion goes to, in the default locale, from either script's pages."""
    if item is not None:
        item = canonical(item)
        return canonical(item.unit), item
    if unit is None or not isinstance(unit, UnitPage) or not unit.live:
        raise IntakeError("unknown_unit", "请选择接收意见的单位。", "unit")
    return canonical(unit), None


def submit(*, body, subject="", unit=None, item=None, name="", contact_kind="", contact="", code="", user=None,
           address="", channel=Channel.WEB, script="zh-hans"):
    """A resident's or member's opinion from the web or an app. Returns ``(opinion, tracking code)``."""
    body, subject = _clean_text(body, subject)
    members_only = False
    if item is not None:
        if not isinstance(item, DisclosureItemPage) or not may_write_on(item, user):
            raise IntakeError("not_found", "该公开事项不存在或不接受意见。", "item")
        if not opening_of(item).open:
            raise IntakeError("closed", "该事项的意见征集已经结束。", "item")
        members_only = not item_is_public_now(item)
    unit, item = resolve_target(unit, item)
    from_hash = address_hash(address)
    if _recent(Opinion.objects.filter(source_address_hash=from_hash)) >= app_settings.SUNSHINE_OPINION_SUBMISSIONS_PER_ADDRESS_HOUR:
        raise IntakeError("rate_limited", "提交过于频繁，请一小时后再试。")
    signed_in = user is not None and user.is_authenticated
    if members_only and not signed_in:
        raise IntakeError("not_found", "该公开事项不存在或不接受意见。", "item")
    if signed_in:
        contact_kind, contact = (ContactKind.EMAIL, user.email) if user.email else ("", "")
        name = name or user.get_full_name()
    else:
        contact = normalise_contact(contact_kind, contact)
        check_code(contact, code)
    opinion = Opinion(
        received_by=unit, unit=unit, item=item, channel=channel, subject=subject, body=body, script=script,
        author_name=(name or "").strip()[:40], contact_kind=contact_kind, contact=contact,
        author=user if signed_in else None, source_address_hash=from_hash, members_only=members_only,
        item_public=item is None or not members_only,
        flagged_words=flagged_words(subject, body)[:200],
    )
    tracking_code = opinion.issue_tracking_code()
    with transaction.atomic():
        opinion.save()
        record(opinion, EventKind.RECEIVED, user if signed_in else None, note=opinion.get_channel_display())
    return opinion, tracking_code


# -- tracking (查询) -----------------------------------------------------------------------------


def _wrong_tracking_key(address):
    return f"participation:track-wrong:{address_hash(address)}"


def find_by_tracking_code(code, address, user=None):
    """The opinion whose 查询码 is ``code``, for the tracking page and the API; wrong codes are
    counted per address (in the cache, as the portal's sign-in counts wrong passwords) and past
    the hourly limit every try is refused.

    A members-only opinion (or one on an item now members-only) stays among members even with its
    code: only its author, or a signed-in reader of its item (of its unit's members, for one to
    the unit), gets it; anyone else is told the code is wrong.

    The cache is enough here: codes are ten characters from 31, so counting only makes guessing
    noisy, it is not what keeps it hopeless (a per-process cache in development, Redis in production).
    """
    key = _wrong_tracking_key(address)
    if cache.get(key, 0) >= app_settings.SUNSHINE_OPINION_TRACK_TRIES_PER_ADDRESS_HOUR:
        raise IntakeError("rate_limited", "查询码错误次数过多，请一小时后再试。", "code")
    opinion = Opinion.by_tracking_code(code)
    if opinion is not None and (opinion.members_only or not opinion.item_public) and not _member_reader(opinion, user):
        raise IntakeError("wrong_tracking_code", "查询码不正确。", "code")
    if opinion is None:
        if not cache.add(key, 1, 3600):
            try:
                cache.incr(key)
            except ValueError:  # expired in between
                cache.add(key, 1, 3600)
        raise IntakeError("wrong_tracking_code", "查询码不正确。", "code")
    return opinion


def _member_reader(opinion, user):
    from workflows.units import in_group

    if user is None or not user.is_authenticated:
        return False
    if opinion.author_id == user.pk:
        return True
    if opinion.item is not None:
        return user_can_view(opinion.item, user)
    return in_group(user, opinion.unit.members_group)


def item_is_public_now(item):
    from disclosure_pages.changes import states_of

    return item_is_public(states_of([item])[item.pk])


def enter_offline(user, *, unit, channel, received_on, body, subject="", place="", name="", contact_kind="", contact="",
                  item=None, members_only=False):
    """An officer enters an opinion taken at a hearing, a meeting, from a box, a visit or a hotline."""
    from . import access

    body, subject = _clean_text(body, subject)
    if channel not in Channel.offline():
        raise IntakeError("invalid_channel", "请选择线下来源渠道。", "channel")
    unit, item = resolve_target(unit, item)
    probe = Opinion(unit=unit)
    if not access.handles(user, probe):
        raise IntakeError("forbidden", "只能为本单位录入意见。", "unit")
    if item is not None and item.unit_id != unit.pk:
        raise IntakeError("invalid_item", "所选事项不属于该单位。", "item")
    if received_on is None or received_on > timezone.localdate():
        raise IntakeError("invalid_date", "请填写收到意见的日期（不能晚于今天）。", "received_on")
    if contact:
        contact = normalise_contact(contact_kind, contact)
    opinion = Opinion(
        received_by=unit, unit=unit, item=item, channel=channel, received_on=received_on, place=(place or "").strip()[:100],
        subject=subject, body=body, author_name=(name or "").strip()[:40], contact_kind=contact_kind if contact else "",
        contact=contact, entered_by=user, item_public=item is None or item_is_public_now(item),
        members_only=bool(members_only) or (item is not None and not item_is_public_now(item)),
        flagged_words=flagged_words(subject, body)[:200],
    )
    tracking_code = opinion.issue_tracking_code()
    with transaction.atomic():
        opinion.save()
        record(opinion, EventKind.RECEIVED, user, note=f"{opinion.get_channel_display()}{('，' + opinion.place) if opinion.place else ''}")
    return opinion, tracking_code
