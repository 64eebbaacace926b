"""Who is told about an opinion's steps (after the step's transaction has committed).

- 交办 → the assignee, by e-mail;
- an answer submitted → the handling unit's leading group (not its author); referred to the
  county → the county leading group (not the author nor the unit's approver); sent back for
  revision → its author;
- an answer approved → the resident, through the sender of their contact's kind, with the
  number and a pointer to the tracking code (which is never stored, so never sent again).

Reminders before and after a deadline are the ``remind_opinions`` command's. A message that
cannot be sent is logged; the step it reports on stands.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.dispatch import receiver
from django.urls import reverse

from . import access, senders
from .choices import EventKind
from .handling import opinion_event
from .models import Opinion

logger = logging.getLogger(__name__)


def active_members_of(group, exclude):
    """Active users of ``group`` but those whose ids are in ``exclude``."""
    if group is None:
        return []
    return get_user_model().objects.filter(groups=group, is_active=True).exclude(pk__in=set(exclude) - {None})


def admin_url(opinion):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("participation_admin:opinion", args=[opinion.pk])


def describe(opinion):
    return opinion.subject or opinion.body[:30].replace("\n", " ")


def mail_people(people, subject, text):
    """One e-mail per person with an address (recipients do not see each other)."""
    for person in people:
        if not person.email:
            continue
        try:
            send_mail(subject, text, None, [person.email], fail_silently=False)
        except Exception as error:  # SMTP refusals, timeouts: the step is done, the mail is lost and logged
            logger.warning("opinion notice to user %s failed: %s", person.pk, error.__class__.__name__)


def on_assigned(event):
    opinion = event.opinion
    if opinion.assignee is None or opinion.assignee_id == event.actor_id:
        return
    mail_people(
        [opinion.assignee],
        f"阳光党务：意见 {opinion.number} 已交办给您",
        f"{opinion.unit.display_name}的意见 {opinion.number}（{describe(opinion)}）已交办给您，"
        f"办理期限 {opinion.deadline:%Y-%m-%d}。\n\n办理：{admin_url(opinion)}\n",
    )


def on_answer_submitted(event):
    opinion = event.opinion
    answer = opinion.pending_answer
    if answer is None:
        return
    approvers = active_members_of(opinion.unit.leading_group, exclude={answer.author_id})
    mail_people(
        approvers,
        f"阳光党务：意见 {opinion.number} 的答复待您审核",
        f"{opinion.unit.display_name}的意见 {opinion.number}（{describe(opinion)}）已提交答复（{answer.get_outcome_display()}），"
        f"请审核。\n\n审核：{admin_url(opinion)}\n",
    )


def on_answer_referred(event):
    opinion = event.opinion
    answer = opinion.pending_answer
    county = access.county_of(opinion.unit)
    if answer is None or county is None:
        return
    approvers = active_members_of(county.leading_group, exclude={answer.author_id, answer.unit_approver_id})
    mail_people(
        approvers,
        f"阳光党务：重要意见 {opinion.number} 的答复待县级审核",
        f"{opinion.unit.display_name}的重要意见 {opinion.number}（{describe(opinion)}）的答复已经本单位审核，"
        f"提请县级审核。\n\n审核：{admin_url(opinion)}\n",
    )


def on_answer_rejected(event):
    opinion = event.opinion
    answer = opinion.answers.order_by("-decided_at", "-pk").first()
    if answer is None or answer.author is None:
        return
    mail_people(
        [answer.author],
        f"阳光党务：意见 {opinion.number} 的答复被退回修改",
        f"意见 {opinion.number}（{describe(opinion)}）的答复被退回修改。\n退回原因：{event.note}\n\n修改：{admin_url(opinion)}\n",
    )


def on_answered(event):
    opinion = event.opinion
    if not opinion.contact or not opinion.contact_kind or opinion.contact_erased_at:
        return
    message = senders.Message(
        subject=f"阳光党务：您的意见（受理编号 {opinion.number}）已答复",
        text=f"您提交的意见（受理编号 {opinion.number}）已答复，请凭查询码查看答复并评价。",
        template="opinion_answered",
        params={"number": opinion.number},
    )
    try:
        senders.send(opinion.contact_kind, opinion.contact, message)
    except Exception as error:  # a gateway down or a sender misconfigured: the answer stands
        logger.warning("answer notice for opinion %s failed: %s", opinion.pk, error.__class__.__name__)


NOTICES = {
    EventKind.ASSIGNED: on_assigned,
    EventKind.ANSWER_SUBMITTED: on_answer_submitted,
    EventKind.ANSWER_REFERRED: on_answer_referred,
    EventKind.ANSWER_REJECTED: on_answer_rejected,
    EventKind.ANSWERED: on_answered,
}


@receiver(opinion_event, dispatch_uid="participation-notifications")
def notify(sender, event, **kwargs):
    notice = NOTICES.get(event.kind)
    if notice is None:
        return
    try:
        event.opinion = Opinion.objects.select_related("unit", "assignee").get(pk=event.opinion_id)
        notice(event)
    except Exception:  # the step has committed: a notice that fails must not turn it into an error page
        logger.exception("opinion notice for event %s failed", event.pk)
