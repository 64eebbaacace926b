"""催办提醒: e-mail each assignee before their opinion's deadline and once after it has passed.

The project has no scheduler of its own: run this once a day (a cron job or a systemd timer,
e.g. ``15 8 * * * manage.py remind_opinions``). Each reminder is recorded as a REMINDED step
naming the deadline it is about, so running it twice sends nothing twice, and a new deadline
(after a re-assignment or a send-back) gets its own reminders.
"""

import logging

from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from participation.choices import EventKind, Moderation, State
from participation.conf import app_settings
from participation.handling import record
from participation.models import Opinion
from participation.notifications import admin_url, describe
from participation.working_days import add_working_days

logger = logging.getLogger(__name__)

OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS)


def reminder_note(opinion, today):
    if opinion.deadline < today:
        return f"逾期提醒（期限 {opinion.deadline:%Y-%m-%d}）"
    return f"到期提醒（期限 {opinion.deadline:%Y-%m-%d}）"


def reminder_text(opinion, today):
    if opinion.deadline < today:
        subject = f"阳光党务：意见 {opinion.number} 已超过办理期限"
        lead = f"交办给您的意见 {opinion.number}（{describe(opinion)}）已超过办理期限 {opinion.deadline:%Y-%m-%d}，请尽快办理并答复。"
    else:
        subject = f"阳光党务：意见 {opinion.number} 即将到期"
        lead = f"交办给您的意见 {opinion.number}（{describe(opinion)}）的办理期限是 {opinion.deadline:%Y-%m-%d}，请按期答复。"
    return subject, f"{lead}\n\n办理：{admin_url(opinion)}\n"


class Command(BaseCommand):
    help = (
        "催办提醒：在办理期限前 SUNSHINE_OPINION_REMIND_WORKING_DAYS_BEFORE 个工作日内和逾期后各提醒承办人一次（电子邮件）。"
        "每天运行一次（cron 或 systemd 定时器）；重复运行不会重复提醒。"
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        horizon = add_working_days(today, app_settings.SUNSHINE_OPINION_REMIND_WORKING_DAYS_BEFORE)
        due = (
            Opinion.objects.filter(state__in=OPEN_STATES, assignee__isnull=False, deadline__lte=horizon)
            .exclude(moderation=Moderation.MERGED)
            .select_related("unit", "assignee")
            .order_by("deadline", "pk")
        )
        sent = 0
        for opinion in due.iterator():
            note = reminder_note(opinion, today)
            if opinion.events.filter(kind=EventKind.REMINDED, note=note).exists() or not opinion.assignee.email:
                continue
            subject, text = reminder_text(opinion, today)
            try:
                send_mail(subject, text, None, [opinion.assignee.email], fail_silently=False)
            except Exception as error:  # not recorded: the next run tries again
                logger.warning("reminder for opinion %s failed: %s", opinion.pk, error.__class__.__name__)
                continue
            with transaction.atomic():
                record(opinion, EventKind.REMINDED, note=note)
            sent += 1
        self.stdout.write(f"已发送催办提醒 {sent} 件。")
