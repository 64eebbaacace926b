"""督查意见: a supervisor's inspection note that the unit must answer within a deadline."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import InspectionState


class Inspection(models.Model):
    """A supervisor's (监督员) note on a unit's disclosure, answered by the unit and closed (销号)."""

    number = models.CharField(_("编号"), max_length=20, unique=True, null=True, editable=False)
    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("被督查单位"))
    item = models.ForeignKey(
        "disclosure_pages.DisclosureItemPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("所涉事项")
    )
    obligation = models.ForeignKey(
        "supervision.Obligation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("所涉应公开事项")
    )
    subject = models.CharField(_("督查事项"), max_length=100)
    body = models.TextField(_("督查意见"), max_length=2000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("监督员"))
    filed_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    deadline = models.DateField(_("答复期限"))
    state = models.CharField(_("状态"), max_length=10, choices=InspectionState.choices, default=InspectionState.OPEN)
    answer = models.TextField(_("整改答复"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("答复人"))
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督查意见")
        verbose_name_plural = _("督查意见")
        ordering = ["-filed_at", "-pk"]

    def __str__(self):
        return f"{self.number or ''} {self.subject}".strip()

    @property
    def overdue(self):
        return self.state in (InspectionState.OPEN, InspectionState.RETURNED) and self.deadline < timezone.localdate()


class StepAction(models.TextChoices):
    FILED = "filed", _("提出督查意见")
    ANSWERED = "answered", _("整改答复")
    RETURNED = "returned", _("退回重办")
    CLOSED = "closed", _("销号")


class InspectionStep(models.Model):
    """One step taken on an inspection note: filed, answered, returned, closed — who and when."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("环节"), max_length=20, choices=StepAction.choices)
    text = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
