"""督查意见: supervisors' (监督员) inspection notes on a unit, its answer (整改答复), and closing (销号).

A note is filed by a supervisor of the unit, answered by the unit's officers or leading group
within the county's answer days, then accepted (销号 → closed) or sent back (退回重办 →
returned, with a new deadline) by a supervisor of the unit. Every function checks who acts
again, whatever the view showed; a refusal is an ``InspectionError`` with a Chinese message.
Each step is logged (InspectionStep) and mailed once the transaction has committed.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.visibility import visible_pages
from workflows.units import active_members, county_unit, reach_of

from . import access
from .choices import InspectionState, ObligationStatus
from .models import Inspection, InspectionStep, Obligation, StepAction, SupervisionRules

logger = logging.getLogger(__name__)

OPEN_STATES = (InspectionState.OPEN, InspectionState.RETURNED)
NUMBER_ATTEMPTS = 5


class InspectionError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


# -- what a supervisor may point at ---------------------------------------------------------


def visible_items(unit, user):
    """The unit's live items ``user`` may read: the one visibility rule, never widened."""
    return visible_pages(DisclosureItemPage.objects.live().filter(unit=unit), user)


def unit_obligations(unit, today=None):
    """The unit's obligations that matter now: this month's, next month's, and the late ones."""
    today = today or timezone.localdate()
    this_month = today.replace(day=1)
    next_month = _month_after(this_month)
    month_after = _month_after(next_month)
    rows = Obligation.objects.filter(unit=unit).select_related("entry").order_by("due_on", "pk")
    return {
        "late": rows.filter(status=ObligationStatus.MISSING),
        "this_month": rows.filter(due_on__gte=this_month, due_on__lt=next_month).exclude(status=ObligationStatus.MISSING),
        "next_month": rows.filter(due_on__gte=next_month, due_on__lt=month_after),
    }


def _month_after(first_day):
    return (first_day + datetime.timedelta(days=32)).replace(day=1)


def answer_days(unit):
    county = county_unit(unit) or unit
    return SupervisionRules.for_county(county).inspection_answer_days


# -- who sees which notes in the admin --------------------------------------------------------


def for_admin(user):
    """The notes ``user`` sees in the admin: their units' (every unit's for the county office)."""
    if not access.is_active(user):
        return Inspection.objects.none()
    notes = Inspection.objects.all()
    if not access.is_county_office(user):
        notes = notes.filter(unit__in=list(reach_of(user).managed))
    return notes


def may_see_in_admin(user, inspection):
    return access.is_county_office(user) or access.manages(user, inspection.unit)


def waiting_on(user):
    """Open or returned notes of the units ``user`` manages (the county office's own too), overdue first."""
    if not access.is_active(user):
        return Inspection.objects.none()
    reach = reach_of(user)
    notes = Inspection.objects.filter(state__in=OPEN_STATES)
    if not reach.everything:
        notes = notes.filter(unit__in=list(reach.managed))
    return with_overdue_first(notes)


def with_overdue_first(notes, first=OPEN_STATES, today=None):
    """Overdue notes first, then those in the ``first`` states (whatever waits on the reader),
    the others, and the closed last; each by deadline."""
    today = today or timezone.localdate()
    late = Case(When(Q(state__in=OPEN_STATES) & Q(deadline__lt=today), then=Value(True)), default=Value(False), output_field=BooleanField())
    rank = Case(
        When(state__in=first, then=Value(1)), When(state=InspectionState.CLOSED, then=Value(3)), default=Value(2),
        output_field=IntegerField(),
    )
    return notes.annotate(is_late=late, rank=rank).order_by("-is_late", "rank", "deadline", "-filed_at", "-pk")


# -- the steps --------------------------------------------------------------------------------


def file(unit, user, subject, body, item=None, obligation=None, today=None):
    """提出督查意见: a supervisor of ``unit`` files a note; returns it."""
    if not access.supervises(user, unit):
        raise InspectionError(_("您不是该单位的监督员，不能提出督查意见。"))
    if item is not None and not visible_items(unit, user).filter(pk=item.pk).exists():
        raise InspectionError(_("所选公开事项不属于该单位或您无权查看。"))
    if obligation is not None and obligation.unit_id != unit.pk:
        raise InspectionError(_("所选应公开事项不属于该单位。"))
    today = today or timezone.localdate()
    deadline = today + datetime.timedelta(days=answer_days(unit))
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                note = Inspection.objects.create(
                    number=next_number(today.year), unit=unit, item=item, obligation=obligation,
                    subject=subject, body=body, filed_by=user, deadline=deadline,
                )
                InspectionStep.objects.create(inspection=note, action=StepAction.FILED, text=subject, by=user)
        except IntegrityError:
            # Two notes numbered at once: the loser takes the next number.
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
            continue
        break
    transaction.on_commit(lambda: notify_unit(note, _("新的督查意见"), _("%(supervisor)s对贵单位提出了督查意见，请在 %(deadline)s 前整改答复。") % {
        "supervisor": person(user), "deadline": f"{deadline:%Y-%m-%d}"}))
    return note


def next_number(year):
    """DC2026-0001: the year's next number (unique; a clash is retried by ``file``)."""
    prefix = f"DC{year}-"
    # By length first: DC2026-10000 comes after DC2026-9999.
    last = (
        Inspection.objects.filter(number__startswith=prefix).order_by(Length("number").desc(), "-number")
        .values_list("number", flat=True).first()
    )
    sequence = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def answer(inspection, user, text):
    """整改答复: the unit's officers or leading group answer an open or returned note."""
    with transaction.atomic():
        note = Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
        if not access.manages(user, note.unit):
            raise InspectionError(_("只有被督查单位的工作人员可以答复。"))
        if note.state not in OPEN_STATES:
            raise InspectionError(_("该督查意见当前不需要答复。"))
        note.state = InspectionState.ANSWERED
        note.answer, note.answered_by, note.answered_at = text, user, timezone.now()
        note.save(update_fields=["state", "answer", "answered_by", "answered_at"])
        InspectionStep.objects.create(inspection=note, action=StepAction.ANSWERED, text=text, by=user)
    transaction.on_commit(lambda: notify_supervisor(note))
    return note


def close(inspection, user):
    """销号: a supervisor of the unit accepts the answer."""
    with transaction.atomic():
        note = _answered_note_for_supervisor(inspection, user)
        note.state, note.closed_at = InspectionState.CLOSED, timezone.now()
        note.save(update_fields=["state", "closed_at"])
        InspectionStep.objects.create(inspection=note, action=StepAction.CLOSED, by=user)
    transaction.on_commit(lambda: notify_unit(note, _("督查意见已销号"), _("%(supervisor)s认可了贵单位的整改答复，该督查意见已销号。") % {"supervisor": person(user)}))
    return note


def send_back(inspection, user, reason, today=None):
    """退回重办: a supervisor of the unit finds the answer wanting; the unit answers again by a new deadline."""
    today = today or timezone.localdate()
    with transaction.atomic():
        note = _answered_note_for_supervisor(inspection, user)
        note.state = InspectionState.RETURNED
        note.deadline = today + datetime.timedelta(days=answer_days(note.unit))
        note.save(update_fields=["state", "deadline"])
        InspectionStep.objects.create(inspection=note, action=StepAction.RETURNED, text=reason, by=user)
    transaction.on_commit(lambda: notify_unit(note, _("督查意见退回重办"), _(
        "%(supervisor)s退回了贵单位的整改答复，请在 %(deadline)s 前重新答复。\n退回理由：%(reason)s") % {
        "supervisor": person(user), "deadline": f"{note.deadline:%Y-%m-%d}", "reason": reason}))
    return note


def _answered_note_for_supervisor(inspection, user):
    note = Inspection.objects.select_for_update().select_related("unit").get(pk=inspection.pk)
    if not access.supervises(user, note.unit):
        raise InspectionError(_("只有该单位的监督员可以销号或退回。"))
    if note.state != InspectionState.ANSWERED:
        raise InspectionError(_("该督查意见尚未答复，不能销号或退回。"))
    return note


# -- e-mail -----------------------------------------------------------------------------------


def person(user):
    return user.get_full_name() or user.get_username()


def admin_url(note):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("supervision_inspections:detail", args=[note.pk])


def workspace_url(note):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("supervision:workspace_unit", args=[note.unit_id])


def unit_people(unit):
    """The unit's officers and leading group: active, with an address, each once."""
    people = {}
    for group in (unit.officers_group, unit.leading_group):
        for user in active_members(group).exclude(email=""):
            people[user.pk] = user
    return list(people.values())


def notify_unit(note, title, text):
    mail(
        unit_people(note.unit),
        f"阳光党务：{title} {note.number}",
        f"{note.unit.display_name}：\n\n{text}\n\n督查事项：{note.subject}\n编号：{note.number}\n答复期限：{note.deadline:%Y-%m-%d}\n\n办理：{admin_url(note)}\n",
    )


def notify_supervisor(note):
    if note.filed_by is None or not note.filed_by.is_active:
        return
    mail(
        [note.filed_by],
        f"阳光党务：督查意见 {note.number} 已答复",
        f"{note.unit.display_name}已对您提出的督查意见（{note.subject}）作出整改答复：\n\n{note.answer}\n\n"
        f"请查看并销号或退回重办：{workspace_url(note)}\n",
    )


def mail(people, subject, text):
    """One e-mail per person with an address; a failure is logged, the step stands."""
    for user in people:
        if not user.email:
            continue
        try:
            send_mail(subject, text, None, [user.email], fail_silently=False)
        except Exception as error:  # SMTP refusals, timeouts
            logger.warning("inspection notice to user %s failed: %s", user.pk, error.__class__.__name__)
