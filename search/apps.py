from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Chinese full-text search across all units (filled by its own issue)."""

    name = "search"
    label = "disclosure_search"
    verbose_name = "全文检索"
