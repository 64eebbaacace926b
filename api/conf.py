"""The headless API's settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # Requests per client: anonymous by address, members by token ("" switches a limit off).
    SUNSHINE_API_RATE_ANON="120/min",
    SUNSHINE_API_RATE_MEMBER="600/min",
    # Items per page of the /api/v2/ lists.
    SUNSHINE_API_MAX_PAGE_SIZE=100,
    # Wagtail's own setting, with Wagtail's default: the largest ``limit`` of the page, image and
    # document endpoints.
    WAGTAILAPI_LIMIT_MAX=20,
    # How long shared caches may keep a public response (Cache-Control: public, max-age).
    SUNSHINE_API_CACHE_MAX_AGE=60,
    # How long a rendered response stays in the server's cache (it is never served stale).
    SUNSHINE_API_RESPONSE_CACHE_SECONDS=600,
    # How long a headless preview token works.
    SUNSHINE_API_PREVIEW_SECONDS=600,
    # How long tombstones are kept: a sync from longer ago is told to start over.
    SUNSHINE_API_TOMBSTONE_DAYS=180,
)
