"""The steps of an opinion's handling (办理), each checked, applied and recorded in one transaction.

Every step takes the acting user, refuses with a ``HandlingError`` (Chinese, for the user) when
the user may not take it or the opinion is not in a state for it, and records an
``OpinionEvent``. After the transaction commits, ``opinion_event`` is sent for each recorded
event, for notifications (notifications.py) and other listeners.
"""

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from . import access
from .choices import STATE_AFTER_ANSWER, AnswerStatus, EventKind, HiddenReason, Moderation, Outcome, Satisfaction, State
from .conf import app_settings
from .models import Answer, Opinion, OpinionEvent
from .working_days import add_working_days

# Sent on commit with ``event`` (an OpinionEvent) for every step recorded.
opinion_event = Signal()

MAX_SEND_BACKS = 1


class HandlingError(Exception):
    """A step that may not be taken; the message says why, for the user."""


def record(opinion, kind, actor=None, note="", from_unit=None, to_unit=None):
    event = OpinionEvent.objects.create(
        opinion=opinion, kind=kind, actor=actor if actor is not None and actor.is_authenticated else None,
        note=note, from_unit=from_unit, to_unit=to_unit,
    )
    transaction.on_commit(lambda: opinion_event.send(sender=Opinion, event=event))
    return event


def _require(condition, message):
    if not condition:
        raise HandlingError(message)


def _require_handler(user, opinion):
    _require(access.handles(user, opinion), "您不是该意见承办单位的工作人员，不能办理。")


def _locked(opinion):
    """The opinion as stored, locked for this transaction: two officers acting at once do not both step."""
    return Opinion.objects.select_for_update().select_related("unit").get(pk=opinion.pk)


# -- moderation (审查) ------------------------------------------------------------------


@transaction.atomic
def publish(opinion, user):
    opinion = _locked(opinion)
    _require_handler(user, opinion)
    _require(opinion.moderation != Moderation.PUBLISHED, "该意见已公开。")
    _require(opinion.moderation != Moderation.MERGED, "该意见已作为重复意见合并，不能单独公开。")
    opinion.moderation, opinion.hidden_reason = Moderation.PUBLISHED, ""
    opinion.save(update_fields=["moderation", "hidden_reason"])
    record(opinion, EventKind.PUBLISHED, user)
    return opinion


@transaction.atomic
def hide(opinion, user, reason, note=""):
    opinion = _locked(opinion)
    _require_handler(user, opinion)
    _require(reason in HiddenReason.values, "请选择不予公开的原因。")
    opinion.moderation, opinion.hidden_reason = Moderation.HIDDEN, reason
    opinion.save(update_fields=["moderation", "hidden_reason"])
    record(opinion, EventKind.HIDDEN, user, note=note or HiddenReason(reason).label)
    return opinion


@transaction.atomic
def merge(opinion, user, into):
    """A duplicate joins the opinion it repeats: it is answered there and counted once."""
    opinion = _locked(opinion)
    _require_handler(user, opinion)
    _require(into is not None and into.pk != opinion.pk, "请选择要合并到的意见。")
    into = Opinion.objects.get(pk=into.pk)
    _require(access.handles(user, into), "只能合并到本单位办理的意见。")
    _require(into.moderation != Moderation.MERGED, "不能合并到已被合并的意见。")
    opinion.moderation, opinion.merged_into = Moderation.MERGED, into
    opinion.save(update_fields=["moderation", "merged_into"])
    record(opinion, EventKind.MERGED, user, note=f"合并到 {into.number}")
    return opinion


# -- assignment and transfer (交办 · 转办) ---------------------------------------------------


@transaction.atomic
def assign(opinion, user, assignee, working_days=None):
    """交办 to a person of the handling unit, with a deadline in working days.

    The county office sets the days; a unit's own assignment gets the county's default.
    """
    opinion = _locked(opinion)
    _require(access.handles(user, opinion) or (access.is_county_office(user) and access.sees(user, opinion)),
             "您不是该意见承办单位的工作人员，不能交办。")
    _require(opinion.state in (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS), "该意见已答复或办结，不能再交办。")
    _require(opinion.moderation != Moderation.MERGED, "重复意见随所合并的意见办理。")
    _require(assignee is not None and access.assignable_people(opinion.unit).filter(pk=assignee.pk).exists(),
             "承办人须是承办单位的公开专员或领导小组成员。")
    if working_days is None or not access.is_county_office(user):
        working_days = app_settings.SUNSHINE_OPINION_DEADLINE_WORKING_DAYS
    _require(1 <= int(working_days) <= 60, "办理期限应为 1 至 60 个工作日。")
    opinion.assignee = assignee
    opinion.deadline = add_working_days(timezone.localdate(), int(working_days))
    if opinion.state == State.RECEIVED:
        opinion.state = State.ASSIGNED
    opinion.save(update_fields=["assignee", "deadline", "state"])
    record(opinion, EventKind.ASSIGNED, user, note=f"承办人：{assignee.get_full_name() or assignee.username}；"
           f"期限 {working_days} 个工作日（{opinion.deadline:%Y-%m-%d}）", to_unit=opinion.unit)
    return opinion


@transaction.atomic
def transfer(opinion, user, to_unit, note):
    """转办 up or down the unit tree: the new unit receives it afresh (no assignee, no deadline)."""
    opinion = _locked(opinion)
    _require(access.handles(user, opinion) or (access.is_county_office(user) and access.sees(user, opinion)),
             "您不是该意见承办单位的工作人员，不能转办。")
    _require(opinion.state not in State.answered(), "该意见已答复或办结，不能转办。")
    _require(opinion.pending_answer is None, "答复正在审核中，不能转办。")
    _require(bool((note or "").strip()), "请填写转办说明。")
    _require(to_unit is not None and access.transfer_targets(user, opinion).filter(pk=to_unit.pk).exists(),
             "只能转办给上级单位或下级单位。")
    from_unit = opinion.unit
    opinion.unit, opinion.assignee, opinion.deadline, opinion.state = to_unit, None, None, State.RECEIVED
    opinion.save(update_fields=["unit", "assignee", "deadline", "state"])
    record(opinion, EventKind.TRANSFERRED, user, note=note.strip(), from_unit=from_unit, to_unit=to_unit)
    return opinion


@transaction.atomic
def start(opinion, user):
    opinion = _locked(opinion)
    _require_handler(user, opinion)
    _require(opinion.state in (State.RECEIVED, State.ASSIGNED), "该意见已在办理中或已答复。")
    opinion.state = State.IN_PROGRESS
    opinion.save(update_fields=["state"])
    record(opinion, EventKind.STARTED, user)
    return opinion


# -- answers (答复), approved before they are shown --------------------------------------------


@transaction.atomic
def submit_answer(opinion, user, body, outcome, important=None):
    opinion = _locked(opinion)
    _require_handler(user, opinion)
    _require(opinion.moderation != Moderation.MERGED, "重复意见随所合并的意见答复。")
    _require(opinion.state in (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS), "该意见已答复或办结。")
    _require(opinion.pending_answer is None, "已有答复正在审核中。")
    body = (body or "").strip()
    _require(bool(body), "请填写答复内容。")
    _require(len(body) <= 4000, "答复内容不能超过 4000 字。")
    _require(outcome in Outcome.values, "请选择答复结果。")
    if outcome in (Outcome.NOT_ADOPTED, Outcome.NOT_FEASIBLE):
        _require(len(body) >= 10, "不予采纳或暂不具备条件的，须在答复中说明理由（至少 10 个字）。")
    if important is not None:
        opinion.important = bool(important)
    opinion.state = State.IN_PROGRESS
    opinion.save(update_fields=["important", "state"])
    answer = Answer.objects.create(opinion=opinion, body=body, outcome=outcome, author=user)
    record(opinion, EventKind.ANSWER_SUBMITTED, user, note=Outcome(outcome).label)
    return answer


def _authors_of(answer):
    return {answer.author_id} - {None}


@transaction.atomic
def approve_answer(answer, user):
    """The unit's leading group approves (not the answer's author); an important opinion's answer
    then goes to the county office, whose approver must be a third person."""
    answer = Answer.objects.select_for_update().select_related("opinion__unit").get(pk=answer.pk)
    opinion = _locked(answer.opinion)
    _require(user.pk not in _authors_of(answer) and user.pk != answer.unit_approver_id, "不能审核本人撰写或已审核过的答复（四眼原则）。")
    if answer.status == AnswerStatus.PENDING_UNIT:
        _require(access.approves_for_unit(user, opinion.unit), "只有承办单位领导小组成员可以审核答复。")
        answer.unit_approver = user
        if opinion.important:
            answer.status = AnswerStatus.PENDING_COUNTY
            answer.save(update_fields=["unit_approver", "status"])
            record(opinion, EventKind.ANSWER_REFERRED, user)
            return answer
    elif answer.status == AnswerStatus.PENDING_COUNTY:
        _require(access.approves_for_county(user, opinion.unit), "只有县委党务公开领导小组成员可以审核重要意见的答复。")
        answer.county_approver = user
    else:
        raise HandlingError("该答复不在审核中。")
    answer.status, answer.decided_at = AnswerStatus.APPROVED, timezone.now()
    answer.save(update_fields=["unit_approver", "county_approver", "status", "decided_at"])
    opinion.state = STATE_AFTER_ANSWER[Outcome(answer.outcome)]
    opinion.answered_at = answer.decided_at
    opinion.closed_at = answer.decided_at if opinion.state in State.ended() else None
    opinion.save(update_fields=["state", "answered_at", "closed_at"])
    record(opinion, EventKind.ANSWERED, user, note=answer.get_outcome_display())
    return answer


@transaction.atomic
def reject_answer(answer, user, reason):
    answer = Answer.objects.select_for_update().select_related("opinion__unit").get(pk=answer.pk)
    opinion = _locked(answer.opinion)
    _require(answer.status in (AnswerStatus.PENDING_UNIT, AnswerStatus.PENDING_COUNTY), "该答复不在审核中。")
    tier_ok = (
        access.approves_for_unit(user, opinion.unit)
        if answer.status == AnswerStatus.PENDING_UNIT
        else access.approves_for_county(user, opinion.unit)
    )
    _require(tier_ok, "您不是该答复的审核人。")
    _require(user.pk not in _authors_of(answer), "不能审核本人撰写的答复（四眼原则）。")
    _require(bool((reason or "").strip()), "请填写退回原因。")
    answer.status, answer.decided_at, answer.rejection_reason = AnswerStatus.REJECTED, timezone.now(), reason.strip()
    answer.save(update_fields=["status", "decided_at", "rejection_reason"])
    record(opinion, EventKind.ANSWER_REJECTED, user, note=reason.strip())
    return answer


@transaction.atomic
def close(opinion, user, note=""):
    """销号: the handling unit closes an answered opinion."""
    opinion = _locked(opinion)
    _require_handler(user, opinion)
    _require(opinion.state == State.ANSWERED, "只有已答复的意见才能销号。")
    opinion.state, opinion.closed_at = State.CLOSED, timezone.now()
    opinion.save(update_fields=["state", "closed_at"])
    record(opinion, EventKind.CLOSED, user, note=note)
    return opinion


# -- the resident, with the tracking code ------------------------------------------------------


@transaction.atomic
def rate(opinion, satisfaction):
    opinion = _locked(opinion)
    _require(opinion.state in State.answered(), "意见答复后才能评价。")
    _require(not opinion.satisfaction, "您已评价过该答复。")
    _require(satisfaction in Satisfaction.values, "请选择评价。")
    opinion.satisfaction = satisfaction
    opinion.save(update_fields=["satisfaction"])
    record(opinion, EventKind.RATED, note=Satisfaction(satisfaction).label)
    return opinion


@transaction.atomic
def send_back(opinion, reason):
    """发回重办: an unsatisfied resident sends the answer back once; the unit handles it again."""
    opinion = _locked(opinion)
    _require(opinion.satisfaction == Satisfaction.UNSATISFIED, "只有评价为“不满意”的答复才能发回重办。")
    _require(opinion.returned_count < MAX_SEND_BACKS, "每件意见只能发回重办一次。")
    _require(opinion.state in State.answered(), "意见答复后才能发回重办。")
    reason = (reason or "").strip()
    _require(bool(reason), "请说明发回重办的理由。")
    _require(len(reason) <= 500, "理由不能超过 500 字。")
    opinion.returned_count += 1
    opinion.state, opinion.satisfaction, opinion.closed_at = State.IN_PROGRESS, "", None
    opinion.deadline = add_working_days(timezone.localdate(), app_settings.SUNSHINE_OPINION_DEADLINE_WORKING_DAYS)
    opinion.save(update_fields=["returned_count", "state", "satisfaction", "closed_at", "deadline"])
    record(opinion, EventKind.SENT_BACK, note=reason)
    return opinion


# -- contacts ------------------------------------------------------------------------------


def contact_for(opinion, user):
    """Who wrote ``opinion`` and how to reach them, for the handling unit's officers only; each read is recorded."""
    _require(access.reads_contact(user, opinion), "只有承办单位的工作人员可以查看联系方式。")
    if opinion.contact_erased_at:
        return None
    with transaction.atomic():
        record(opinion, EventKind.CONTACT_VIEWED, user)
    return {"name": opinion.author_name, "kind": opinion.get_contact_kind_display(), "contact": opinion.contact}
