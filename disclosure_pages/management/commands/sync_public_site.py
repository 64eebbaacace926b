"""Puts the default Wagtail Site's host and port in step with PUBLIC_BASE_URL (migrate does it too)."""

from django.core.management.base import BaseCommand
from wagtail.models import Site

from disclosure_pages.public_urls import public_base_url, sync_default_site


class Command(BaseCommand):
    help = "Set the default Wagtail Site's hostname and port from PUBLIC_BASE_URL."

    def handle(self, *args, **options):
        changed = sync_default_site()
        site = Site.objects.filter(is_default_site=True).first()
        where = site.root_url if site else "(no default site)"
        self.stdout.write(f"{'Updated' if changed else 'Unchanged'}: default site {where}; PUBLIC_BASE_URL {public_base_url()}")
