"""What each unit owes under its catalogue (应公开), the county's rules for it, and chases (催办)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure_pages.choices import TimingKind

from ..choices import NotApplicableReason, ObligationStatus
from ..conf import app_settings


class SupervisionRules(models.Model):
    """One county's rules for obligations, chases and the scorecard, set by its county office."""

    county = models.OneToOneField("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("县"))
    tracking_start = models.DateField(_("督办起算日期"), help_text=_("此日之前的期次不计入督办和考核"))
    standing_interval_months = models.PositiveSmallIntegerField(_("固定公开内容确认间隔（月）"), default=6)
    periodic_grace_days = models.PositiveSmallIntegerField(_("定期公开宽限天数"), default=10)
    stage_days = models.PositiveSmallIntegerField(_("阶段公开默认间隔天数"), default=30, help_text=_("目录条目未规定时使用"))
    escalate_after_chases = models.PositiveSmallIntegerField(_("催办几次后报乡镇党委"), default=2)
    inspection_answer_days = models.PositiveSmallIntegerField(_("督查意见答复期限（天）"), default=15)
    # 考核 weights, in points out of 100; each finding deducts its own points on top.
    weight_on_time = models.PositiveSmallIntegerField(_("按时公开率权重"), default=40)
    weight_completeness = models.PositiveSmallIntegerField(_("公开完整率权重"), default=20)
    weight_opinions = models.PositiveSmallIntegerField(_("意见按时办结率权重"), default=15)
    weight_satisfaction = models.PositiveSmallIntegerField(_("意见满意率权重"), default=10)
    weight_evaluation = models.PositiveSmallIntegerField(_("评议得分权重"), default=15)
    finding_deduction = models.PositiveSmallIntegerField(_("每起责任追究扣分"), default=5)

    class Meta:
        verbose_name = _("督办考核规则")
        verbose_name_plural = _("督办考核规则")

    def __str__(self):
        return f"{self.county.title}督办考核规则"

    @classmethod
    def defaults(cls):
        return {
            "standing_interval_months": app_settings.SUNSHINE_STANDING_INTERVAL_MONTHS,
            "periodic_grace_days": app_settings.SUNSHINE_PERIODIC_GRACE_DAYS,
            "stage_days": app_settings.SUNSHINE_STAGE_DAYS,
            "escalate_after_chases": app_settings.SUNSHINE_ESCALATE_AFTER_CHASES,
            "inspection_answer_days": app_settings.SUNSHINE_INSPECTION_ANSWER_DAYS,
        }

    @classmethod
    def for_county(cls, county):
        """The county's rules, or (unsaved) the settings' defaults counted from the start of last year."""
        rules = cls.objects.filter(county=county).first()
        if rules is None:
            start = datetime.date(timezone.localdate().year - 1, 1, 1)
            rules = cls(county=county, tracking_start=start, **cls.defaults())
        return rules


class EntrySince(models.Model):
    """The day a catalogue entry began to apply (entries added mid-period owe nothing for it)."""

    entry_key = models.UUIDField(unique=True)
    since = models.DateField()


class Exemption(models.Model):
    """An approved exemption: a unit owes nothing under an entry for a while, with the reason."""

    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    entry = models.ForeignKey("disclosure_pages.CatalogueEntry", on_delete=models.CASCADE, related_name="+", verbose_name=_("目录条目"))
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True, help_text=_("留空为长期"))
    reason = models.TextField(_("免于公开理由"), max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("批准人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("免于公开")
        verbose_name_plural = _("免于公开")

    def covers(self, start, end):
        """Whether the exemption covers the whole of the days ``start`` to ``end``."""
        return self.starts_on <= start and (self.ends_on is None or self.ends_on >= end)


class ObligationQuerySet(models.QuerySet):
    def in_section(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def counted(self):
        return self.filter(status__in=ObligationStatus.counted())

    def outstanding(self):
        """Late and still not published: what a chase is about."""
        return self.filter(status=ObligationStatus.MISSING)


class Obligation(models.Model):
    """应公开事项: what one unit owes under one catalogue entry for one period or one event.

    Periodic and standing entries owe one per period (``subject`` empty); ad hoc entries owe
    one per item, counted from its event (document) date; per-stage entries owe the next
    stage of a matter, counted from the stage before (``subject``). These rows are the
    aggregate every figure reads: the change feed keeps them current and
    ``rebuild_obligations`` recomputes them.
    """

    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位"))
    # The township or department the unit is counted under (the county for its own).
    section = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("所属乡镇/部门"))
    entry = models.ForeignKey("disclosure_pages.CatalogueEntry", on_delete=models.CASCADE, related_name="+", verbose_name=_("目录条目"))
    timing = models.CharField(_("公开时限"), max_length=10, choices=TimingKind.choices)
    period_start = models.DateField(_("期次开始"))
    period_end = models.DateField(_("期次结束"))
    due_on = models.DateField(_("应公开日期"))
    subject = models.ForeignKey(
        "disclosure_pages.DisclosureItemPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("所涉事项")
    )
    status = models.CharField(_("状态"), max_length=10, choices=ObligationStatus.choices, default=ObligationStatus.DUE)
    not_applicable = models.CharField(_("不适用原因"), max_length=10, choices=NotApplicableReason.choices, blank=True)
    exemption = models.ForeignKey(Exemption, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    met_by = models.ForeignKey(
        "disclosure_pages.DisclosureItemPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("公开事项")
    )
    met_on = models.DateField(_("公开日期"), null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(_("催办次数"), default=0)
    last_chased_at = models.DateTimeField(_("最近催办"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("报乡镇党委时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = _("应公开事项")
        verbose_name_plural = _("应公开事项")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "entry", "period_start"], condition=models.Q(subject__isnull=True), name="one_obligation_per_period"),
            models.UniqueConstraint(fields=["unit", "entry", "subject"], condition=models.Q(subject__isnull=False), name="one_obligation_per_subject"),
        ]
        indexes = [
            models.Index(fields=["section", "due_on", "status"]),
            models.Index(fields=["unit", "due_on"]),
        ]

    def __str__(self):
        return f"{self.unit.title} · {self.entry.name} · {self.period_label}"

    @property
    def period_label(self):
        """The period in words: 2026年第3季度, 2026年5月, 2026年, or the event's date for one item."""
        from ..periods import label_of

        return label_of(self)

    @property
    def days_late(self):
        end = self.met_on or timezone.localdate()
        return max(0, (end - self.due_on).days)


class Chase(models.Model):
    """催办: the county office (or a township) reminding a unit of what it has not published."""

    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("被催办单位"))
    obligations = models.ManyToManyField(Obligation, related_name="chases", verbose_name=_("所催事项"))
    message = models.TextField(_("催办意见"), max_length=1000, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("催办人"))
    sent_at = models.DateTimeField(_("催办时间"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("通知人数"), default=0)
    escalated_to = models.ForeignKey(
        "disclosure_pages.UnitPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("抄报单位")
    )

    class Meta:
        verbose_name = _("催办记录")
        verbose_name_plural = _("催办记录")
        ordering = ["-sent_at", "-pk"]
