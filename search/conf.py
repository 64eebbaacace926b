"""The search's settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # The WAGTAILSEARCH_BACKENDS entry that answers searches…
    SUNSHINE_SEARCH_BACKEND="default",
    # …and the one that answers while it is unreachable (a database backend), or None.
    SUNSHINE_SEARCH_FALLBACK_BACKEND=None,
)
