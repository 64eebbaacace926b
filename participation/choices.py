"""Vocabularies of the opinion ledger (台帐), shared by models, forms, templates, exports and the API."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """来源渠道: where an opinion came in. The ledger is the unit's whole record, not the web's alone."""

    WEB = "web", _("网站")
    APP = "app", _("移动应用")
    HEARING = "hearing", _("恳谈会")
    MEETING = "meeting", _("座谈会")
    BOX = "box", _("意见箱")
    VISIT = "visit", _("走访")
    HOTLINE = "hotline", _("热线转办")

    @classmethod
    def offline(cls):
        return [cls.HEARING, cls.MEETING, cls.BOX, cls.VISIT, cls.HOTLINE]


class State(models.TextChoices):
    """办理状态. Closed, not adopted and not feasible end the handling (not adopted and not
    feasible carry their reason in the approved answer); the others are 办理中 in the figures."""

    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已交办")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已销号")
    NOT_ADOPTED = "not_adopted", _("不予采纳")
    NOT_FEASIBLE = "not_feasible", _("暂不具备条件")

    @classmethod
    def ended(cls):
        return [cls.CLOSED, cls.NOT_ADOPTED, cls.NOT_FEASIBLE]

    @classmethod
    def answered(cls):
        """States in which an approved answer is shown."""
        return [cls.ANSWERED, cls.CLOSED, cls.NOT_ADOPTED, cls.NOT_FEASIBLE]


class Moderation(models.TextChoices):
    """审查: nothing of an opinion is public before it is published (its author's identity never is)."""

    PENDING = "pending", _("待审查")
    PUBLISHED = "published", _("已公开")
    HIDDEN = "hidden", _("不予公开")
    MERGED = "merged", _("重复合并")


class HiddenReason(models.TextChoices):
    ABUSE = "abuse", _("辱骂攻击")
    SPAM = "spam", _("广告灌水")
    PERSONAL_DATA = "personal_data", _("含个人隐私")
    SECRET = "secret", _("涉及秘密")
    OFF_TOPIC = "off_topic", _("与公开事项无关")


class Outcome(models.TextChoices):
    """答复结果: adopted or explained answers leave the opinion 已答复; the others end it."""

    ADOPTED = "adopted", _("采纳")
    PARTLY_ADOPTED = "partly", _("部分采纳")
    EXPLAINED = "explained", _("解释说明")
    NOT_ADOPTED = "not_adopted", _("不予采纳")
    NOT_FEASIBLE = "not_feasible", _("暂不具备条件")

    @classmethod
    def adopted(cls):
        return [cls.ADOPTED, cls.PARTLY_ADOPTED]


# The state an approved answer leaves its opinion in.
STATE_AFTER_ANSWER = {
    Outcome.ADOPTED: State.ANSWERED,
    Outcome.PARTLY_ADOPTED: State.ANSWERED,
    Outcome.EXPLAINED: State.ANSWERED,
    Outcome.NOT_ADOPTED: State.NOT_ADOPTED,
    Outcome.NOT_FEASIBLE: State.NOT_FEASIBLE,
}


class AnswerStatus(models.TextChoices):
    PENDING_UNIT = "pending_unit", _("待本单位审核")
    PENDING_COUNTY = "pending_county", _("待县级审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("退回修改")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class ContactKind(models.TextChoices):
    MOBILE = "mobile", _("手机号码")
    EMAIL = "email", _("电子邮箱")


class EventKind(models.TextChoices):
    """What happened to an opinion; the public timeline shows the ``PUBLIC_EVENTS``."""

    RECEIVED = "received", _("受理")
    PUBLISHED = "published", _("审查公开")
    HIDDEN = "hidden", _("不予公开")
    MERGED = "merged", _("合并重复意见")
    ASSIGNED = "assigned", _("交办")
    TRANSFERRED = "transferred", _("转办")
    STARTED = "started", _("开始办理")
    ANSWER_SUBMITTED = "answer_submitted", _("提交答复")
    ANSWER_REFERRED = "answer_referred", _("提请县级审核答复")
    ANSWER_REJECTED = "answer_rejected", _("答复退回修改")
    ANSWERED = "answered", _("答复")
    CLOSED = "closed", _("销号")
    RATED = "rated", _("评价")
    SENT_BACK = "sent_back", _("发回重办")
    REMINDED = "reminded", _("催办提醒")
    CONTACT_VIEWED = "contact_viewed", _("查看联系方式")
    CONTACT_ERASED = "contact_erased", _("清除联系方式")


PUBLIC_EVENTS = {
    EventKind.RECEIVED, EventKind.ASSIGNED, EventKind.TRANSFERRED, EventKind.STARTED,
    EventKind.ANSWERED, EventKind.CLOSED, EventKind.RATED, EventKind.SENT_BACK,
}
