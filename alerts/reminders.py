"""Officers' reminders (待办提醒): one e-mail a day per admin user of what waits for them.

What waits comes from the apps that own it, through the Wagtail hook
``register_officer_reminders``: each function is called with a user and returns
``(section label, [(title, admin url, due date or None), …])`` or ``None``, from the same
permission-scoped functions as that app's admin (an officer of one township never sees another's
items). Alerts imports none of them: an app not installed registers nothing.

Each user chooses in their account settings (``OfficerReminderSetting``; without a choice
``SUNSHINE_OFFICER_REMINDERS_DEFAULT``). The message goes to their account e-mail through
``SUNSHINE_ALERTS_SENDERS["email"]``, in their admin language's script, with links to the admin
(``WAGTAILADMIN_BASE_URL``); people with nothing waiting, no e-mail address or who chose none
are sent nothing. A new approval is announced at once already by the workflow's own notification
(Wagtail's "submitted" notification, in the same account settings): reminders do not repeat it.
"""

import logging
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.users.models import UserProfile

from disclosure_pages.models import UnitPage
from participation.senders import Message, SendError
from script_variants.machine_translator import convert_for

from .conf import app_settings
from .delivery import sender_for
from .models import OfficerReminderSetting, ReminderFrequency, Script

logger = logging.getLogger(__name__)

HOOK = "register_officer_reminders"


@dataclass(frozen=True)
class Reminder:
    title: str
    url: str
    due: date | None
    overdue: bool


def script_of(user):
    """The script of ``user``'s admin language (Wagtail's account preference, else the site's)."""
    language = UserProfile.get_for_user(user).get_preferred_language().lower()
    return Script.TRADITIONAL if language.startswith(("zh-hant", "zh-tw", "zh-hk", "zh-mo")) else Script.SIMPLIFIED


def admin_url(path):
    return path if "://" in path else settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def waiting_for(user, script, today=None):
    """``[{label, reminders}]``: what every registered source lists for ``user``, in ``script``."""
    today = today or timezone.localdate()
    sections = []
    with translation.override(script):
        for source in hooks.get_hooks(HOOK):
            found = source(user)
            if not found:
                continue
            label, items = found
            reminders = [
                Reminder(convert_for(str(title), script), admin_url(url), due, due is not None and due < today)
                for title, url, due in items
            ]
            if reminders:
                sections.append({"label": str(label), "reminders": reminders})
    return sections


def message(user, script, sections):
    with translation.override(script):
        site = convert_for(settings.WAGTAIL_SITE_NAME, script)
        count = sum(len(section["reminders"]) for section in sections)
        subject = _("【%(site)s】待办提醒：%(count)s项事务等待您处理") % {"site": site, "count": count}
        context = {
            "subject": subject, "site_name": site, "sections": sections, "count": count, "user": user,
            "settings_url": admin_url(reverse("wagtailadmin_account")),
        }
        text, html = render_to_string("alerts/email/reminders.txt", context), render_to_string("alerts/email/reminders.html", context)
    if script == Script.TRADITIONAL:
        # Through the conversion layer as a whole: the words the Traditional catalogue does not
        # have yet read in Traditional too (markup, links and numbers pass unchanged).
        subject, text, html = (convert_for(part, script) for part in (subject, text, html))
    return Message(subject, text, html=html)


def recipients():
    """Active users with an e-mail address who may have something waiting — a unit's officers or
    leading group, superusers — and did not turn reminders off."""
    groups = set(UnitPage.objects.values_list("officers_group", flat=True)) | set(UnitPage.objects.values_list("leading_group", flat=True))
    groups.discard(None)
    users = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(is_superuser=True) | Q(groups__in=groups)
    ).distinct().select_related("officer_reminders").order_by("pk")
    default = app_settings.SUNSHINE_OFFICER_REMINDERS_DEFAULT
    for user in users:
        choice = getattr(user, "officer_reminders", None)
        if (choice.frequency if choice else default) == ReminderFrequency.DAILY:
            yield user, choice


def send_daily(today=None):
    """Send today's summaries; returns how many were sent. A user already sent one today is skipped."""
    today = today or timezone.localdate()
    sender, sent = sender_for("email"), 0
    if hasattr(sender, "__enter__"):
        sender.__enter__()
    try:
        for user, choice in recipients():
            if choice is not None and choice.last_sent_on == today:
                continue
            script = script_of(user)
            sections = waiting_for(user, script, today)
            if not sections:
                continue
            try:
                sender.send(user.email, message(user, script, sections))
            except SendError as error:
                logger.warning("officer reminder to user %s failed: %s", user.pk, error)
                continue
            OfficerReminderSetting.objects.update_or_create(
                user=user, defaults={"last_sent_on": today},
                create_defaults={"last_sent_on": today, "frequency": ReminderFrequency.DAILY},
            )
            sent += 1
    finally:
        if hasattr(sender, "__exit__"):
            sender.__exit__(None, None, None)
    return sent
