"""``manage.py send_alerts``: the alerts' every-minute run (cron), also for operators.

It puts back to pending the deliveries of a run that died (claimed longer than
``SUNSHINE_ALERTS_STUCK_MINUTES`` ago), fans out the publications and takedowns waiting in the
outbox and the answers to opinions waiting in theirs (should the task after a publication or an
answer not have run) and matches the publications the search index has against the saved
searches (should the pass after an index update not have run), sends the immediate alerts,
answers and corrections due — retries whose wait is over among them — and the digests that failed for a
while or waited for a rate limit, and prints the counts. Safe to run beside the task worker
and another run: each delivery is claimed by one run."""

from django.core.management.base import BaseCommand

from ... import answers
from ...fanout import process_outbox, recover_stuck, send_digests
from ...models import Delivery, DeliveryStatus, Frequency
from ...search_matching import match_saved_searches


class Command(BaseCommand):
    help = "发送到期的订阅提醒：处理待分发的发布、撤回和意见答复，发送即时提醒和更正、重试暂时失败的发送、恢复中断的发送，并输出数量。"

    def handle(self, *args, **options):
        recovered = recover_stuck()
        matched, sent = process_outbox()
        answers_matched, answers_sent = answers.process()
        searched, searched_sent = match_saved_searches()
        matched, sent = matched + answers_matched + searched, sent + answers_sent + searched_sent
        digests = sum(send_digests(frequency, retries_only=True) for frequency in (Frequency.DAILY, Frequency.WEEKLY))
        waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__isnull=False).count()
        self.stdout.write(
            f"恢复中断的发送 {recovered} 条；新匹配订阅人 {matched} 个；已发送提醒和更正 {sent} 条、汇总重试 {digests} 封；"
            f"等待重试或限额的 {waiting} 条。"
        )
