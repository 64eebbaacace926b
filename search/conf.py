"""The search's settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # The WAGTAILSEARCH_BACKENDS entry that answers searches…
    SUNSHINE_SEARCH_BACKEND="default",
    # …and the one that answers while it is unreachable (a database backend), or None.
    SUNSHINE_SEARCH_FALLBACK_BACKEND=None,
    # The database engine keeps in memory (per process) the matches of at least this many
    # documents or that took at least this long to read, at most this many ids in all (4 bytes
    # each and 8 for its position in the columns; a smaller match counts as one of the first size): search.backends.matches.
    SUNSHINE_SEARCH_MATCHES_CACHED_FROM=2000,
    SUNSHINE_SEARCH_MATCHES_CACHED_SLOWER_THAN_MS=50,
    SUNSHINE_SEARCH_MATCHES_CACHED_IDS=5_000_000,
)
