"""``manage.py send_officer_reminders --daily``: each admin user who chose the daily summary (or
left the default) gets one e-mail of what waits for them now — approvals, overdue obligations,
opinions — unless nothing does (run once each morning, e.g. by cron at 8:00)."""

from django.core.management.base import BaseCommand, CommandError

from ...reminders import send_daily


class Command(BaseCommand):
    help = "发送待办提醒的每日汇总：每位选择每日汇总的管理用户一封，列出等待其处理的审核、逾期未公开事项和意见；没有待办的不发送，当天已发送的不重复。"

    def add_arguments(self, parser):
        # Only the daily summary exists: a new approval is announced at once by the workflow's own notification.
        parser.add_argument("--daily", action="store_true", help="发送每日汇总")

    def handle(self, *args, daily, **options):
        if not daily:
            raise CommandError("请指定 --daily。")
        sent = send_daily()
        self.stdout.write(f"已发送 {sent} 封待办提醒。")
