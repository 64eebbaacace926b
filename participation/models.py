"""The opinion ledger (意见台帐): opinions, their answers, every step taken on them, and codes.

An opinion is addressed to a unit (its 意见箱) or made on a disclosure item, online or from an
offline channel entered by an officer. Units and items are referred to in the default
(Simplified) locale: the other-script page maps to it by translation key (``canonical_page``).
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    AnswerStatus, Channel, ContactKind, EventKind, HiddenReason, Moderation, Outcome, PUBLIC_EVENTS, Satisfaction, State,
)

# 查询码: no 0/O, 1/I/L — read aloud and typed from paper.
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_CODE_LENGTH = 10


def new_tracking_code():
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_CODE_LENGTH))


def normalise_tracking_code(code):
    return "".join(character for character in (code or "").upper() if character.isalnum())


def hash_secret(value):
    """A code or address as it is stored: only its digest (codes are random enough for a plain one)."""
    return hashlib.sha256(value.encode()).hexdigest()


class OpinionQuerySet(models.QuerySet):
    def public(self):
        """What any public surface may show: published, not members-only, on a public item (or a unit)."""
        return self.filter(moderation=Moderation.PUBLISHED, members_only=False, item_public=True)

    def counted(self):
        """What the public figures count: everything but members-only opinions and merged duplicates."""
        return self.filter(members_only=False, item_public=True).exclude(moderation=Moderation.MERGED)

    def in_section(self, unit):
        """Opinions handled by ``unit`` and the units below it."""
        return self.filter(unit__path__startswith=unit.path)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(state__in=State.answered()).filter(deadline__lt=today)


class Opinion(models.Model):
    """An opinion or demand (意见建议 / 诉求) and where its handling stands."""

    number = models.CharField(_("受理编号"), max_length=20, unique=True, null=True, editable=False)
    tracking_code_hash = models.CharField(max_length=64, unique=True, editable=False)
    # Where it was sent, and who handles it now (a transfer moves it up or down the tree).
    received_by = models.ForeignKey(
        "disclosure_pages.UnitPage", on_delete=models.PROTECT, related_name="+", verbose_name=_("受理单位")
    )
    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.PROTECT, related_name="+", verbose_name=_("承办单位"))
    item = models.ForeignKey(
        "disclosure_pages.DisclosureItemPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("公开事项"),
    )
    channel = models.CharField(_("来源渠道"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    received_on = models.DateField(_("收到日期"), default=timezone.localdate)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    subject = models.CharField(_("标题"), max_length=60, blank=True)
    body = models.TextField(_("意见内容"))
    script = models.CharField(max_length=10, default="zh-hans", editable=False)
    # Who wrote it. Never on a public surface; erased some time after the handling ended.
    author_name = models.CharField(_("姓名"), max_length=40, blank=True)
    contact_kind = models.CharField(_("联系方式类型"), max_length=10, choices=ContactKind.choices, blank=True)
    contact = models.CharField(_("联系方式"), max_length=254, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提交人账号")
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("录入人")
    )
    source_address_hash = models.CharField(max_length=64, blank=True, editable=False)
    contact_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Audience: made on a members-only item, it stays among members for good; ``item_public``
    # follows the item's audience (the change feed, receivers.py).
    members_only = models.BooleanField(_("仅党内"), default=False)
    item_public = models.BooleanField(default=True, editable=False)
    # Moderation (审查)
    moderation = models.CharField(_("审查"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING)
    hidden_reason = models.CharField(_("不予公开原因"), max_length=20, choices=HiddenReason.choices, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates", verbose_name=_("合并到")
    )
    flagged_words = models.CharField(_("触发的敏感词"), max_length=200, blank=True)
    # Handling (办理)
    state = models.CharField(_("办理状态"), max_length=15, choices=State.choices, default=State.RECEIVED)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("承办人")
    )
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    important = models.BooleanField(_("重要意见（答复须县级审核）"), default=False)
    satisfaction = models.CharField(_("评价"), max_length=12, choices=Satisfaction.choices, blank=True)
    returned_count = models.PositiveSmallIntegerField(_("发回重办次数"), default=0)
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now, editable=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, editable=False)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["moderation", "members_only", "item_public", "created_at"]),
            models.Index(fields=["item", "moderation"]),
            # The public list, newest received first (received_on, then id: the index's order; the
            # boolean conditions are not usable as index keys on SQLite, hence not in it).
            models.Index(fields=["moderation", "received_on"], name="opinion_public_list_idx"),
            # The ledger's figures read every opinion of a section and period: from this index alone, never the
            # table's wide rows (bodies, contacts), which makes 100,000 opinions a fast scan.
            models.Index(
                fields=["unit", "received_on", "state", "moderation", "members_only", "item_public", "satisfaction",
                        "returned_count", "deadline", "answered_at", "hidden_reason"],
                name="opinion_ledger_figures_idx",
            ),
            # intake's hourly limit per address counts among all opinions at each submission.
            models.Index(fields=["source_address_hash", "created_at"], name="opinion_address_recent_idx"),
        ]

    def __str__(self):
        return self.number or _("（未编号）")

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding and not self.number:
            self.number = f"{timezone.localtime(self.created_at):%Y}{self.pk:07d}"
            type(self).objects.filter(pk=self.pk).update(number=self.number)

    def issue_tracking_code(self):
        """A new 查询码 for this opinion (unsaved): the code, shown once; only its digest is kept."""
        code = new_tracking_code()
        self.tracking_code_hash = hash_secret(code)
        return code

    @classmethod
    def by_tracking_code(cls, code):
        code = normalise_tracking_code(code)
        if len(code) != TRACKING_CODE_LENGTH:
            return None
        return cls.objects.filter(tracking_code_hash=hash_secret(code)).select_related("unit", "item").first()

    @property
    def is_public(self):
        return self.moderation == Moderation.PUBLISHED and not self.members_only and self.item_public

    @property
    def is_ended(self):
        return self.state in State.ended()

    @property
    def is_overdue(self):
        return bool(self.deadline) and self.state not in State.answered() and self.deadline < timezone.localdate()

    @property
    def approved_answer(self):
        return self.answers.filter(status=AnswerStatus.APPROVED).order_by("-decided_at", "-pk").first()

    @property
    def pending_answer(self):
        return self.answers.filter(status__in=[AnswerStatus.PENDING_UNIT, AnswerStatus.PENDING_COUNTY]).order_by("-pk").first()

    @property
    def may_be_rated(self):
        return self.state in State.answered() and not self.satisfaction

    @property
    def may_be_sent_back(self):
        return self.satisfaction == Satisfaction.UNSATISFIED and self.returned_count == 0 and self.state in State.answered()

    def public_events(self):
        return self.events.filter(kind__in=PUBLIC_EVENTS).order_by("at", "pk")


class Answer(models.Model):
    """答复: public content, so approved by the handling unit's leading group (four-eyes, as items
    are) and, for an important opinion, by the county office too before it is shown."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="answers")
    body = models.TextField(_("答复内容"))
    outcome = models.CharField(_("答复结果"), max_length=15, choices=Outcome.choices)
    status = models.CharField(_("审核状态"), max_length=15, choices=AnswerStatus.choices, default=AnswerStatus.PENDING_UNIT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("答复人"))
    unit_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("本单位审核人")
    )
    county_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("县级审核人")
    )
    rejection_reason = models.TextField(_("退回原因"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.opinion}：{self.get_outcome_display()}"


class OpinionEvent(models.Model):
    """One step of an opinion's handling, with who took it and when (the ledger's record)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("环节"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)
    from_unit = models.ForeignKey(
        "disclosure_pages.UnitPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("原单位")
    )
    to_unit = models.ForeignKey(
        "disclosure_pages.UnitPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("目标单位")
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"])]


class VerificationCode(models.Model):
    """A one-time code sent to a contact, proving the resident can be reached there.

    The contact and the requesting address are kept as digests only: enough to count codes
    for the rate limits, nothing to read back.
    """

    contact_hash = models.CharField(max_length=64, db_index=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class OpinionCatalogueEntry(models.Model):
    """A catalogue entry whose items take opinions (set by the county office): 征求意见的目录条目."""

    entry = models.OneToOneField(
        "disclosure_pages.CatalogueEntry", on_delete=models.CASCADE, related_name="+", verbose_name=_("目录条目")
    )
    open_days = models.PositiveSmallIntegerField(_("征求意见天数"), default=30, help_text=_("事项发布后接受意见的天数"))

    class Meta:
        verbose_name = _("征求意见的目录条目")
        verbose_name_plural = _("征求意见的目录条目")

    def __str__(self):
        return str(self.entry)


class CalendarDay(models.Model):
    """A day the week's rule gets wrong: a holiday on a weekday, or a weekend day worked (调休)."""

    date = models.DateField(_("日期"), unique=True)
    working = models.BooleanField(_("工作日"), default=False, help_text=_("勾选：周末调休上班；不勾选：法定节假日"))
    name = models.CharField(_("名称"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class LedgerVersion(models.Model):
    """One counter, moved on by every change to opinions and answers (``receivers.py``): the public
    figures are cached under it, so a change is in the next request's figures in every server process."""

    number = models.PositiveBigIntegerField(default=0)

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("number", flat=True).first() or 0

    @classmethod
    def move_on(cls):
        if not cls.objects.filter(pk=1).update(number=models.F("number") + 1):
            cls.objects.get_or_create(pk=1, defaults={"number": 1})
