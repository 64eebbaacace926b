"""Vocabularies of the disclosure domain, shared by models, forms, templates and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """公开范围: the four audience levels of the party disclosure regulations."""

    PUBLIC = "public", _("向社会公开")
    ALL_MEMBERS = "party", _("向全体党员公开")
    UNIT_MEMBERS = "unit", _("向本单位及下级组织党员公开")
    NAMED = "named", _("向指定组织或人员公开")


class Stage(models.TextChoices):
    """阶段: pre-disclosure, decision and result form a chain for one matter."""

    PRE_DISCLOSURE = "pre", _("预公开")
    DECISION = "decision", _("决策公开")
    RESULT = "result", _("结果公开")
    OTHER = "other", _("其他")


class Takedown(models.TextChoices):
    """撤回/撤除: how a public item was taken down (GOV.UK's withdrawn and removed)."""

    NONE = "none", _("正常公开")
    WITHDRAWN = "withdrawn", _("已撤回")
    REMOVED = "removed", _("已撤除")


class Importance(models.TextChoices):
    GENERAL = "general", _("一般事项")
    IMPORTANT = "important", _("重要事项")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已失效")
    REPEALED = "repealed", _("已废止")


class UnitType(models.TextChoices):
    COUNTY = "county", _("县委")
    TOWNSHIP = "township", _("乡镇党委")
    DEPARTMENT = "department", _("县直部门党组（党委）")
    VILLAGE = "village", _("村党支部")
    COMMUNITY = "community", _("社区党支部")


class TimingKind(models.TextChoices):
    """公开时限: how often an entry of the catalogue must be disclosed."""

    STANDING = "standing", _("固定公开")
    PERIODIC = "periodic", _("定期公开")
    PER_STAGE = "stage", _("阶段公开")
    AD_HOC = "adhoc", _("及时公开")


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class CatalogueShape(models.TextChoices):
    FIVE_AREAS = "five_areas", _("五大板块")
    SEVEN_PLUS_X = "seven_plus_x", _("7+X")
