"""Vocabularies of the disclosure domain, shared by models, forms, templates and the API."""

from django.db import models


class Scope(models.TextChoices):
    """公开范围: the four audience levels of the party disclosure regulations."""

    PUBLIC = "public", "向社会公开"
    ALL_MEMBERS = "party", "向全体党员公开"
    UNIT_MEMBERS = "unit", "向本单位及下级组织党员公开"
    NAMED = "named", "向指定组织或人员公开"


class Stage(models.TextChoices):
    """阶段: pre-disclosure, decision and result form a chain for one matter."""

    PRE_DISCLOSURE = "pre", "预公开"
    DECISION = "decision", "决策公开"
    RESULT = "result", "结果公开"
    OTHER = "other", "其他"


class Importance(models.TextChoices):
    GENERAL = "general", "一般事项"
    IMPORTANT = "important", "重要事项"


class Validity(models.TextChoices):
    VALID = "valid", "有效"
    EXPIRED = "expired", "已失效"
    REPEALED = "repealed", "已废止"


class UnitType(models.TextChoices):
    COUNTY = "county", "县委"
    TOWNSHIP = "township", "乡镇党委"
    DEPARTMENT = "department", "县直部门党组（党委）"
    VILLAGE = "village", "村党支部"
    COMMUNITY = "community", "社区党支部"


class TimingKind(models.TextChoices):
    """公开时限: how often an entry of the catalogue must be disclosed."""

    STANDING = "standing", "固定公开"
    PERIODIC = "periodic", "定期公开"
    PER_STAGE = "stage", "阶段公开"
    AD_HOC = "adhoc", "及时公开"


class Period(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    YEAR = "year", "每年"


class CatalogueShape(models.TextChoices):
    FIVE_AREAS = "five_areas", "五大板块"
    SEVEN_PLUS_X = "seven_plus_x", "7+X"
