"""The portal's settings with their defaults, and ``AppSettings``, through which every app of the plugin reads its own.

A site sets only what differs from the defaults; the README lists every setting in one table
(tests/cms/test_settings_defaults.py keeps the table and these defaults in step).
"""

from django.conf import settings


class AppSettings:
    """An app's settings: each name is the site's setting when set, else its default here (read at each access)."""

    def __init__(self, **defaults):
        self.defaults = defaults

    def __getattr__(self, name):
        try:
            default = self.defaults[name]
        except KeyError:
            raise AttributeError(f"{name} is not a setting of this app") from None
        return getattr(settings, name, default)


app_settings = AppSettings(
    # The portal's public address, http(s)://host[:port]: absolute URLs (QR codes, feeds, the
    # sitemap, the API, emails) start with it; empty, they take the request's host.
    PUBLIC_BASE_URL="",
    # OpenCC profile producing each script: s2t, s2tw, s2twp or s2hk for Traditional; t2s for Simplified.
    SUNSHINE_SCRIPT_PROFILES={"zh-hant": "s2tw", "zh-hans": "t2s"},
    # A township's disclosure officers also add and edit in its villages' and communities'
    # sections (where villages have no officer of their own).
    SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=False,
    # The importer, the bulk seed and the variant sync take private parts of wagtail-localize,
    # treebeard and Wagtail to go fast (the compat modules); False takes their public API.
    SUNSHINE_FRAMEWORK_FAST_PATHS=True,
    # How long a rendered fragment of a portal page (a unit's catalogue listing, its sub-units)
    # stays in the cache; its key carries the content version and the reader, so it is never
    # served stale or to another audience (``fragments.py``). 0: not cached.
    SUNSHINE_PORTAL_FRAGMENT_CACHE_SECONDS=600,
)
