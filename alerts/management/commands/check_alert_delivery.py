"""``manage.py check_alert_delivery``: the alerts' delivery check, run every 15 minutes (cron).

Each run first looks in the check mailbox for the test alerts still waiting (found: arrived;
older than SUNSHINE_ALERTS_CHECK_MINUTES: missing), then sends a new one through the real
e-mail path to SUNSHINE_ALERTS_CHECK_ADDRESS. ``--verify`` only looks, sends nothing. Exit code
1 (and an ERROR in the log) when a test alert went missing, could not be sent, or the mailbox
could not be read; nothing to do when no check address is set."""

import logging

from django.core.management.base import BaseCommand, CommandError

from ... import checks

logger = logging.getLogger("alerts.checks")


class Command(BaseCommand):
    help = "订阅提醒送达检查：核对上次发出的检查邮件是否已送达检查邮箱，再发出一封新的检查邮件；未按时送达或发送失败时退出码为 1。"

    def add_arguments(self, parser):
        parser.add_argument("--verify", action="store_true", help="只核对已发出的检查邮件，不发送新的。")

    def handle(self, *args, verify, **options):
        if not checks.enabled():
            self.stdout.write("未设置 SUNSHINE_ALERTS_CHECK_ADDRESS，不做送达检查。")
            return
        failed = False
        try:
            missing = checks.verify()
        except checks.MailboxUnreadable as error:
            logger.error("alert delivery check: the check mailbox could not be read: %s", error)
            self.stderr.write(f"无法读取检查邮箱：{error}")
            missing, failed = [], True
        if missing:
            self.stderr.write(f"{len(missing)} 封检查邮件未在规定时间内送达。")
            failed = True
        if not verify:
            check = checks.send_check()
            if check.status == check.Status.SEND_FAILED:
                self.stderr.write(f"检查邮件发送失败：{check.error}")
                failed = True
            else:
                self.stdout.write("已发出检查邮件。")
        state = checks.status()["status"]
        if failed:
            raise CommandError(f"送达检查状态：{state}", returncode=1)
        self.stdout.write(f"送达检查状态：{state}")
