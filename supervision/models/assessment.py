"""考核 and 责任追究: findings against units, and the scorecard rows kept per unit and period."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import FindingDecision


class FindingQuerySet(models.QuerySet):
    def disclosed(self):
        """Findings whose handling is made public (责任追究情况 on the 绩效评估 page)."""
        return self.filter(disclosed=True)


class Finding(models.Model):
    """责任追究: a finding that a unit failed to disclose, with the decision taken."""

    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("被追究单位"))
    obligation = models.ForeignKey(
        "supervision.Obligation", null=True, blank=True, on_delete=models.SET_NULL, related_name="findings", verbose_name=_("所涉应公开事项")
    )
    found_on = models.DateField(_("认定日期"), default=timezone.localdate)
    description = models.TextField(_("问题情况"), max_length=2000)
    decision = models.CharField(_("处理决定"), max_length=20, choices=FindingDecision.choices)
    decision_text = models.TextField(_("处理决定内容"), max_length=2000, blank=True)
    decided_by = models.CharField(_("作出决定的机关"), max_length=100, blank=True)
    # Disclosed findings are shown on the public 绩效评估 page (责任追究情况).
    disclosed = models.BooleanField(_("公开处理结果"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("责任追究")
        verbose_name_plural = _("责任追究")
        ordering = ["-found_on", "-pk"]

    def __str__(self):
        return f"{self.unit.title} · {self.get_decision_display()}（{self.found_on:%Y-%m-%d}）"

    # A finding counts in its unit's scorecard: its stored rows go, and are computed again when next read.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        ScoreRow.objects.filter(unit_id=self.unit_id).delete()

    def delete(self, *args, **kwargs):
        ScoreRow.objects.filter(unit_id=self.unit_id).delete()
        return super().delete(*args, **kwargs)


class ScoreRow(models.Model):
    """A unit's scorecard for one period (考核): the parts and the total, kept by ``scorecard.py``."""

    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+")
    section = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_end = models.DateField()
    obligations = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    missing = models.PositiveIntegerField(default=0)
    on_time_rate = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    completeness = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    opinions_on_time = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    satisfaction = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    evaluation = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    findings = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    rank = models.PositiveIntegerField(null=True)  # among units of the same level
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period_start", "period_end"], name="one_score_per_unit_period")]
        indexes = [models.Index(fields=["period_start", "period_end", "section"])]
