"""Subscribers, what they subscribed to, and what was sent to them.

A subscriber is an address (e-mail or mobile) with no account: its secret ``token`` (in the
signed links of every message) is the only way to its manage page. Subscriptions point at the
default-locale unit, catalogue entry or item (the same thing in both scripts); a subscriber
reads in the script they chose. A ``Delivery`` is one item for one subscriber: unique, so
that several matching subscriptions still send the item once.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from participation.choices import ContactKind


def new_token():
    return secrets.token_urlsafe(32)


class Script(models.TextChoices):
    SIMPLIFIED = "zh-hans", _("简体")
    TRADITIONAL = "zh-hant", _("繁体")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("即时提醒")
    DAILY = "daily", _("每日汇总")
    WEEKLY = "weekly", _("每周汇总")


# The soonest of several matching subscriptions' frequencies wins.
FREQUENCY_ORDER = [Frequency.IMMEDIATE, Frequency.DAILY, Frequency.WEEKLY]


class Subscriber(models.Model):
    kind = models.CharField(_("地址类型"), max_length=10, choices=ContactKind.choices)
    address = models.CharField(_("地址"), max_length=254)
    script = models.CharField(_("文字"), max_length=10, choices=Script.choices, default=Script.SIMPLIFIED)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    # A mobile's one-time confirmation code (hashed, as participation keeps its codes).
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # Confirmation messages sent in the hour from ``confirmations_since`` (the per-address limit).
    confirmations_since = models.DateTimeField(null=True, blank=True, editable=False)
    confirmations_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    # Messages sent in the window from ``messages_since`` (an hour for e-mail, a day for SMS: the rate limits).
    messages_since = models.DateTimeField(null=True, blank=True, editable=False)
    messages_sent = models.PositiveIntegerField(default=0, editable=False)
    failure_count = models.PositiveSmallIntegerField(_("连续发送失败次数"), default=0)
    suspended = models.BooleanField(_("已暂停发送"), default=False)
    # When the last subscription ended (the retention of the address counts from it).
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    # The member whose address this is, when they subscribed signed in: only such an address may
    # be sent members-only items, and only those its member may read when the message is built.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_subscribers", verbose_name=_("党员账号")
    )

    class Meta:
        verbose_name = _("订阅人")
        verbose_name_plural = _("订阅人")
        constraints = [models.UniqueConstraint(fields=["kind", "address"], name="alerts_unique_address")]

    def __str__(self):
        return self.address


class SubscriptionQuerySet(models.QuerySet):
    def active(self):
        """Confirmed subscriptions of confirmed, not suspended subscribers: those that are sent."""
        return self.filter(confirmed_at__isnull=False, subscriber__confirmed_at__isnull=False, subscriber__suspended=False)


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    # One of the four: a unit, entry or item in the default locale, or a saved search.
    unit = models.ForeignKey(UnitPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    with_sub_units = models.BooleanField(_("包括下级单位"), default=True)
    entry = models.ForeignKey(
        CatalogueEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("公开目录")
    )
    item = models.ForeignKey(
        DisclosureItemPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("公开事项")
    )
    # A saved search (保存的检索): the search page's query and its facet parameters, as
    # ``search.forms.SearchParametersForm`` validated them (``page`` and ``sort`` left out).
    search_query = models.CharField(_("检索词"), max_length=100, blank=True)
    search_filters = models.JSONField(_("检索条件"), default=dict, blank=True)
    frequency = models.CharField(_("提醒频率"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(unit__isnull=False, entry__isnull=True, item__isnull=True, search_query="")
                    | Q(unit__isnull=True, entry__isnull=False, item__isnull=True, search_query="")
                    | Q(unit__isnull=True, entry__isnull=True, item__isnull=False, search_query="")
                    | (Q(unit__isnull=True, entry__isnull=True, item__isnull=True) & ~Q(search_query=""))
                ),
                name="alerts_subscription_one_target",
            ),
            models.UniqueConstraint(fields=["subscriber", "unit"], condition=Q(unit__isnull=False), name="alerts_unique_unit"),
            models.UniqueConstraint(fields=["subscriber", "entry"], condition=Q(entry__isnull=False), name="alerts_unique_entry"),
            models.UniqueConstraint(fields=["subscriber", "item"], condition=Q(item__isnull=False), name="alerts_unique_item"),
        ]

    @property
    def target(self):
        return self.unit or self.entry or self.item

    @property
    def is_search(self):
        return bool(self.search_query)


class DeliveryKind(models.TextChoices):
    PUBLISHED = "published", _("新发布")
    # An item a subscriber was alerted to was withdrawn (撤回) or removed (撤除): they are told.
    TAKEN_DOWN = "taken_down", _("撤回或撤除更正")
    # An answer to an opinion on the item (or to its unit's 意见箱) was published; ``reference``
    # names the opinion, so each answer is its own delivery.
    ANSWERED = "answered", _("意见答复")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    # No longer public when its turn came (taken down, unpublished, narrowed): never sent.
    WITHHELD = "withheld", _("不再公开，未发送")


class Delivery(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    # The item in both scripts (its translation key) — the unique key — and its default-locale page.
    # An answer to an opinion put in a unit's 意见箱 has no item: the key is the unit's.
    item_key = models.UUIDField()
    item = models.ForeignKey(DisclosureItemPage, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DeliveryKind.choices, default=DeliveryKind.PUBLISHED)
    # What else tells one delivery of this kind from another for the same item (an answer's opinion
    # number and the answer's id: ``answers.reference``); mostly empty.
    reference = models.CharField(max_length=64, blank=True, default="")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    # The sending run that claimed it (two workers never send one delivery twice).
    claim = models.UUIDField(null=True, blank=True)
    # When it was claimed: a run that died leaves it ``sending``; after SUNSHINE_ALERTS_STUCK_MINUTES it is pending again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Not before (a retry's backoff, an address over its rate limit); empty: as soon as its turn comes.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        constraints = [models.UniqueConstraint(fields=["subscriber", "item_key", "kind", "reference"], name="alerts_unique_delivery")]
        indexes = [models.Index(fields=["status", "frequency"], name="alerts_delivery_due")]


class PendingAnswer(models.Model):
    """An opinion whose answer may have become public (answered, or published with an answer),
    written in the handling step's own transaction (``answers.py``): the answers' outbox, which a
    crash after the commit does not lose. ``opinion_id`` is participation's (no foreign key:
    alerts works without participation installed)."""

    opinion_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)


class ReminderFrequency(models.TextChoices):
    DAILY = "daily", _("每日汇总")
    NONE = "none", _("不发送")


class OfficerReminderSetting(models.Model):
    """An admin user's choice of officers' reminders (their account settings); without a row,
    ``SUNSHINE_OFFICER_REMINDERS_DEFAULT``. ``last_sent_on`` keeps a rerun of the day's
    command from sending the summary twice."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer_reminders")
    frequency = models.CharField(_("待办提醒"), max_length=10, choices=ReminderFrequency.choices, default=ReminderFrequency.DAILY)
    last_sent_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("待办提醒设置")
        verbose_name_plural = _("待办提醒设置")


class DeliveryCheck(models.Model):
    """One test alert of ``manage.py check_alert_delivery``: sent to SUNSHINE_ALERTS_CHECK_ADDRESS
    through the real e-mail path, then looked for in its mailbox (by the token in its subject)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("等待送达")
        ARRIVED = "arrived", _("已送达")
        MISSING = "missing", _("未按时送达")
        SEND_FAILED = "send_failed", _("发送失败")

    token = models.CharField(max_length=32, unique=True, editable=False)
    sent_at = models.DateTimeField(_("发送时间"))
    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.WAITING)
    # When it was found in the mailbox (arrived) or given up (missing).
    checked_at = models.DateTimeField(_("核对时间"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("送达检查")
        verbose_name_plural = _("送达检查")
        ordering = ["-sent_at", "-pk"]
