"""评议: the county's questionnaire, its quarterly rounds, the votes and the results."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from ..choices import EvaluationScale, ResultScope, RoundState, VoterKind


class Questionnaire(ClusterableModel):
    """The questions members and supervisors answer about a unit's disclosure work."""

    county = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("县"))
    name = models.CharField(_("问卷名称"), max_length=100)
    scale = models.CharField(_("评分方式"), max_length=20, choices=EvaluationScale.choices, default=EvaluationScale.SATISFACTION)

    # The county is the editing office's own (set by the admin view), never chosen.
    panels = [FieldPanel("name"), FieldPanel("scale"), InlinePanel("questions", label=_("题目"), min_num=1)]

    class Meta:
        verbose_name = _("评议问卷")
        verbose_name_plural = _("评议问卷")

    def __str__(self):
        return self.name


class Question(Orderable):
    questionnaire = ParentalKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("题目"), max_length=200)

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = _("题目")

    def __str__(self):
        return self.text


class EvaluationRoundQuerySet(models.QuerySet):
    def public(self):
        """Rounds whose results everyone may read: closed, published 向社会公开."""
        return self.filter(state=RoundState.CLOSED, result_scope=ResultScope.PUBLIC)


class EvaluationRound(models.Model):
    """A round of evaluation (e.g. 2026年第3季度党务公开评议), open for a while, then published."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("问卷"))
    name = models.CharField(_("名称"), max_length=100)
    period_start = models.DateField(_("评议期间自"))
    period_end = models.DateField(_("评议期间至"))
    opens_on = models.DateField(_("开始投票"))
    closes_on = models.DateField(_("结束投票"))
    state = models.CharField(_("状态"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT)
    residents_may_rate = models.BooleanField(_("允许群众评价公开内容"), default=False)
    result_scope = models.CharField(_("结果公布范围"), max_length=10, choices=ResultScope.choices, default=ResultScope.PUBLIC)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("评议轮次")
        verbose_name_plural = _("评议轮次")
        ordering = ["-period_start", "-pk"]

    def __str__(self):
        return self.name


class Voter(models.Model):
    """That a person voted for a unit in a round: one vote each, kept apart from the ballot.

    One vote per (round, unit, person): someone in two units (a member of one, a supervisor of
    another) votes once for each of their units, never twice for one."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="voters")
    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A resident is known only by a digest of the contact they confirmed.
    contact_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "unit", "user"], condition=models.Q(user__isnull=False), name="one_vote_per_person_and_unit"),
            models.UniqueConstraint(fields=["round", "unit", "contact_hash"], condition=~models.Q(contact_hash=""), name="one_vote_per_contact"),
        ]


class Ballot(models.Model):
    """An anonymous ballot: the unit, the voter's kind and the answers, never the person.

    Ballots carry no time, and their keys (and their answers') are random (``evaluation.cast``),
    so neither follows the order of the ``Voter`` rows: results cannot be linked back to who voted.
    (The database's own storage order is beyond the application: its administrators are trusted.)"""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="ballots")
    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+")
    voter_kind = models.CharField(max_length=10, choices=VoterKind.choices)


class BallotAnswer(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()  # 0–100: a score, or a satisfaction answer's score


class RoundResult(models.Model):
    """A unit's result in a closed round: votes and the average score, per question too."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField(default=0)
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    per_question = models.JSONField(default=dict)  # {question id: {"score": 87.5, "counts": {...}}}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_result_per_unit")]
