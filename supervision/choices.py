"""Vocabularies of supervision and assessment."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ObligationStatus(models.TextChoices):
    """Where one obligation (应公开事项) stands."""

    DUE = "due", _("待公开")  # its deadline has not passed
    ON_TIME = "on_time", _("按时公开")
    LATE = "late", _("逾期公开")  # met, after its deadline
    MISSING = "missing", _("应公开未公开")  # deadline passed, nothing published
    NOT_APPLICABLE = "na", _("不适用")

    @classmethod
    def met(cls):
        return (cls.ON_TIME, cls.LATE)

    @classmethod
    def counted(cls):
        """The obligations that count in rates: those whose outcome is known."""
        return (cls.ON_TIME, cls.LATE, cls.MISSING)


class NotApplicableReason(models.TextChoices):
    NONE = "", _("—")
    UNIT_NEW = "unit_new", _("单位在期中设立")
    ENTRY_NEW = "entry_new", _("目录条目在期中增设")
    EXEMPT = "exempt", _("已批准免于公开")


class InspectionState(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    RETURNED = "returned", _("退回重办")
    CLOSED = "closed", _("已销号")


class EvaluationScale(models.TextChoices):
    SCORE = "score", _("百分制评分（0–100）")
    SATISFACTION = "satisfaction", _("满意 · 基本满意 · 不满意")


class Satisfaction(models.IntegerChoices):
    """A satisfaction answer and the score it counts as."""

    SATISFIED = 100, _("满意")
    FAIRLY = 60, _("基本满意")
    DISSATISFIED = 0, _("不满意")


class RoundState(models.TextChoices):
    DRAFT = "draft", _("未开始")
    OPEN = "open", _("评议中")
    CLOSED = "closed", _("已结束")


class ResultScope(models.TextChoices):
    """Who reads a round's results once it closes (测评结果在公开栏中公布)."""

    PUBLIC = "public", _("向社会公开")
    MEMBERS = "members", _("向本单位党员和监督员公开")
    COUNTY = "county", _("仅县委办公室")


class VoterKind(models.TextChoices):
    MEMBER = "member", _("党员")
    SUPERVISOR = "supervisor", _("监督员")
    RESIDENT = "resident", _("群众")


class FindingDecision(models.TextChoices):
    """责任追究: what was decided about a unit that failed to disclose."""

    REMINDER = "reminder", _("提醒谈话")
    CRITICISM = "criticism", _("通报批评")
    ADMONITION = "admonition", _("诫勉谈话")
    DISCIPLINE = "discipline", _("党纪处分")
    NONE = "none", _("不予追究")
