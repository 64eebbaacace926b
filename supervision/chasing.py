"""催办: the county office (or a township, for its villages) reminding a unit of obligations it has
not met, and escalating (报乡镇党委) what stays unmet after the county's number of chases.

- The unit's officers and leading group (active, with an e-mail address) get an e-mail listing
  the obligations; if the unit's phone is a mainland mobile number and the participation app
  is installed, a short SMS through its sender for kind "mobile" too.
- Each obligation chased counts one more chase. Once one has been chased the county's
  ``escalate_after_chases`` times, the chase is copied to the unit's parent unit (the township
  for a village, the county for a township or department): its officers and leading group get
  an e-mail, and the chase and the obligation record it.

A message that cannot be sent is logged; the chase stands (the unit sees it on its dashboard).
"""

import logging
import re

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage
from workflows.units import VILLAGE_TYPES, county_unit, in_group

from . import access
from .choices import ObligationStatus
from .models import Chase, Obligation, SupervisionRules

logger = logging.getLogger(__name__)

MOBILE = re.compile(r"1[3-9]\d{9}")


class ChaseError(Exception):
    """Why a chase was refused (shown to the user as it is)."""


def may_chase(user, unit):
    """The county office of the unit's county; a township's officers for a village directly under it."""
    if not access.is_active(user) or unit is None:
        return False
    if access.is_county_office(user):
        from workflows.overview import county_of_user

        county = county_of_user(user)
        return county is not None and unit.path.startswith(county.path)
    if unit.unit_type in VILLAGE_TYPES:
        parent = parent_unit(unit)
        return parent is not None and parent.unit_type == UnitType.TOWNSHIP and in_group(user, parent.officers_group)
    return False


def parent_unit(unit):
    """The nearest unit above ``unit`` (its township, or the county), or ``None`` for a county."""
    return UnitPage.objects.ancestor_of(unit).order_by("-depth").first()


def people_of(unit):
    """The unit's officers and leading group: active users with an e-mail address."""
    groups = [group_id for group_id in (unit.officers_group_id, unit.leading_group_id) if group_id]
    return list(
        get_user_model().objects.filter(groups__in=groups, is_active=True).exclude(email="").distinct().order_by("pk")
    )


def chosen_obligations(unit, ids):
    """The obligations ``ids`` names, if every one is one of the unit's missing obligations."""
    try:
        wanted = {int(value) for value in ids}
    except (TypeError, ValueError):
        raise ChaseError(_("所选事项无效，未发送催办。")) from None
    if not wanted:
        raise ChaseError(_("请至少选择一项应公开未公开的事项。"))
    found = list(Obligation.objects.outstanding().filter(unit=unit, pk__in=wanted).select_related("entry"))
    if len(found) != len(wanted):
        raise ChaseError(_("所选事项中有不属于本单位或已不是“应公开未公开”的事项，未发送催办。"))
    return found


def describe(obligations):
    return "\n".join(
        _("· %(entry)s（%(period)s，应于%(due)s前公开，已逾期%(days)s天，本次为第%(chases)s次催办）") % {
            "entry": obligation.entry.name, "period": obligation.period_label, "due": f"{obligation.due_on:%Y-%m-%d}",
            "days": obligation.days_late, "chases": obligation.chase_count,
        }
        for obligation in obligations
    )


def calendar_url(unit):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("supervision_board:calendar", args=[unit.pk])


def mail_people(people, subject, text):
    """One e-mail per person (recipients do not see each other); the number handed over."""
    sent = 0
    for person in people:
        try:
            send_mail(subject, text, None, [person.email], fail_silently=False)
            sent += 1
        except Exception as error:  # SMTP refusals, timeouts: the chase stands, the mail is logged
            logger.warning("chase notice to user %s failed: %s", person.pk, error.__class__.__name__)
    return sent


def send_sms(unit, count):
    """A short SMS to the unit's phone when it is a mobile number; whether it was handed over."""
    phone = re.sub(r"[\s-]", "", unit.phone or "")
    if not MOBILE.fullmatch(phone) or not apps.is_installed("participation"):
        return False
    from participation.senders import Message, SendError, send

    text = _("【阳光党务】%(unit)s：您单位有%(count)s项应公开事项逾期未公开，请登录系统查看公开日历并尽快公开。") % {
        "unit": unit.display_name, "count": count,
    }
    try:
        send("mobile", phone, Message(_("催办通知"), text, template="chase", params={"unit": unit.display_name, "count": count}))
    except SendError as error:
        logger.warning("chase SMS to unit %s failed: %s", unit.pk, error)
        return False
    return True


def chase(unit, obligation_ids, message, sent_by):
    """Chase ``unit`` about its missing obligations ``obligation_ids``; returns the ``Chase``.

    Raises ``ChaseError`` (and writes nothing) when an id is not one of the unit's missing obligations.
    """
    now = timezone.now()
    with transaction.atomic():
        obligations = chosen_obligations(unit, obligation_ids)
        people = people_of(unit)
        record = Chase.objects.create(unit=unit, message=message, sent_by=sent_by, sent_at=now, recipients=len(people))
        record.obligations.set(obligations)
        Obligation.objects.filter(pk__in=[o.pk for o in obligations]).update(chase_count=F("chase_count") + 1, last_chased_at=now)
        for obligation in obligations:
            obligation.chase_count += 1
        rules = SupervisionRules.for_county(county_unit(unit) or unit)
        escalated = [o for o in obligations if o.chase_count >= rules.escalate_after_chases]
        above = parent_unit(unit) if escalated else None
        if above is not None:
            record.escalated_to = above
            record.save(update_fields=["escalated_to"])
            Obligation.objects.filter(Q(pk__in=[o.pk for o in escalated]), escalated_at__isnull=True).update(escalated_at=now)

    sender_name = (sent_by.get_full_name() or sent_by.get_username()) if sent_by else ""
    subject = _("【督办】%(unit)s应公开事项催办通知") % {"unit": unit.display_name}
    text = _(
        "%(unit)s：\n\n经查，你单位以下%(count)s项应公开事项已过公开期限，至今未公开：\n\n%(list)s\n\n"
        "催办意见：%(message)s\n\n请尽快在阳光党务系统中公开，并查看本单位公开日历：%(url)s\n\n催办人：%(sender)s"
    ) % {
        "unit": unit.display_name, "count": len(obligations), "list": describe(obligations),
        "message": message or _("（无）"), "url": calendar_url(unit), "sender": sender_name,
    }
    mail_people(people, subject, text)
    send_sms(unit, len(obligations))

    if above is not None:
        subject = _("【督办】%(unit)s应公开事项经多次催办仍未公开（抄报%(above)s）") % {
            "unit": unit.display_name, "above": above.display_name,
        }
        text = _(
            "%(above)s：\n\n%(unit)s以下%(count)s项应公开事项已催办%(times)s次以上，至今未公开，现抄报你单位，请督促其尽快公开：\n\n"
            "%(list)s\n\n催办意见：%(message)s\n\n该单位公开日历：%(url)s\n\n催办人：%(sender)s"
        ) % {
            "above": above.display_name, "unit": unit.display_name, "count": len(escalated),
            "times": rules.escalate_after_chases, "list": describe(escalated), "message": message or _("（无）"),
            "url": calendar_url(unit), "sender": sender_name,
        }
        mail_people(people_of(above), subject, text)
    return record


def missing_of(unit):
    return Obligation.objects.filter(unit=unit, status=ObligationStatus.MISSING).select_related("entry").order_by("due_on", "pk")
