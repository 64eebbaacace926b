"""Erase the name and contact of residents whose opinions ended long enough ago.

An opinion's handling ends when it is closed (销号), not adopted or not feasible — a duplicate
merged into another when that one ends; its author's name and contact are kept
``SUNSHINE_OPINION_CONTACT_RETENTION_DAYS`` after that, then erased and the erasure recorded. Run it once a day (a cron job or a systemd timer), like
``remind_opinions``.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from participation.choices import EventKind, Moderation, State
from participation.conf import app_settings
from participation.handling import record
from participation.models import Opinion


class Command(BaseCommand):
    help = (
        "清除办结超过 SUNSHINE_OPINION_CONTACT_RETENTION_DAYS 天的意见的提交人姓名和联系方式，并记入办理记录。"
        "每天运行一次（cron 或 systemd 定时器）。"
    )

    def handle(self, *args, **options):
        now = timezone.now()
        cutoff = now - timedelta(days=app_settings.SUNSHINE_OPINION_CONTACT_RETENTION_DAYS)
        ended_long_ago = Q(state__in=State.ended(), closed_at__lt=cutoff) | Q(
            moderation=Moderation.MERGED, merged_into__state__in=State.ended(), merged_into__closed_at__lt=cutoff
        )
        due = Opinion.objects.filter(ended_long_ago, contact_erased_at__isnull=True)
        erased = 0
        for opinion in due.only("pk").iterator():
            with transaction.atomic():
                # Re-checked under the update: an opinion sent back meanwhile is open again and keeps its contact.
                updated = Opinion.objects.filter(ended_long_ago, pk=opinion.pk, contact_erased_at__isnull=True).update(
                    author_name="", contact_kind="", contact="", contact_erased_at=now
                )
                if updated:
                    record(opinion, EventKind.CONTACT_ERASED, note=f"办结超过 {app_settings.SUNSHINE_OPINION_CONTACT_RETENTION_DAYS} 天")
                    erased += 1
        self.stdout.write(f"已清除 {erased} 件意见的联系方式。")
