"""``manage.py send_alert_digests --frequency daily|weekly``: one digest per subscriber of the
items published for them since their last one (run daily and weekly, e.g. by cron)."""

from django.core.management.base import BaseCommand

from ...fanout import send_digests
from ...models import Frequency


class Command(BaseCommand):
    help = "发送订阅提醒的每日或每周汇总：每位订阅人一封，按单位和公开目录分组，最新的在前；已发送的不再重复。"

    def add_arguments(self, parser):
        parser.add_argument("--frequency", required=True, choices=[Frequency.DAILY, Frequency.WEEKLY])

    def handle(self, *args, frequency, **options):
        sent = send_digests(frequency)
        self.stdout.write(f"已发送 {sent} 封{Frequency(frequency).label}。")
