"""``manage.py purge_alert_subscribers``: delete the subscriptions and addresses privacy says
must go (unconfirmed after ``SUNSHINE_ALERTS_CONFIRM_DAYS``; addresses whose last subscription
ended ``SUNSHINE_ALERTS_KEEP_DAYS_AFTER_UNSUBSCRIBE`` days ago). Run it daily."""

from django.core.management.base import BaseCommand

from ...subscribing import purge


class Command(BaseCommand):
    help = "删除逾期未确认的订阅及其地址，以及退订已满保留期限的地址。"

    def handle(self, *args, **options):
        subscriptions, subscribers = purge()
        self.stdout.write(f"已删除 {subscriptions} 个未确认的订阅、{subscribers} 个订阅人地址。")
