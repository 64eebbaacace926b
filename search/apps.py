from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """Chinese full-text search across all units: engines, index updates, the search page and API."""

    name = "search"
    label = "disclosure_search"
    verbose_name = _("全文检索")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Page

        from . import signals

        # Pages are indexed through this app's outbox (search.updates), which also follows
        # publishing, moves and view restrictions; Wagtail's per-save update would index them
        # twice. Set before wagtail.search connects its handlers (this app is listed first).
        Page.search_auto_update = False
        signals.connect()
