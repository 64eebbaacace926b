"""Deletes sign-in log rows older than SUNSHINE_SIGN_IN_LOG_RETENTION_DAYS (run daily from cron)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.conf import app_settings
from accounts.models import SignInEvent


class Command(BaseCommand):
    help = "Delete sign-in log rows older than SUNSHINE_SIGN_IN_LOG_RETENTION_DAYS (at least 180 days are kept)."

    def handle(self, *args, **options):
        days = app_settings.SUNSHINE_SIGN_IN_LOG_RETENTION_DAYS
        cutoff = timezone.now() - timedelta(days=days)
        deleted, _ = SignInEvent.objects.filter(time__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} sign-in log rows older than {days} days.")
