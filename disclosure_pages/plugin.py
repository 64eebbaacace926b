"""The plugin as a Wagtail site takes it in: its apps, middleware, context processors and URLs.

A site's settings end with (the README's install steps; ``cms/`` does the same):

    from disclosure_pages import plugin
    from disclosure_pages.required_settings import *

    INSTALLED_APPS = plugin.installed_apps(INSTALLED_APPS)
    MIDDLEWARE = plugin.middleware(MIDDLEWARE)
    TEMPLATES[0]["OPTIONS"]["context_processors"] += plugin.CONTEXT_PROCESSORS

and its root urlconf with ``urlpatterns += plugin.urlpatterns()``.
"""

# The plugin's own apps. Listed before Wagtail's: their templates override the admin's
# (branding, translated labels), and search must switch Wagtail's page indexing off before
# wagtail.search connects its handlers.
PLUGIN_APPS = ["disclosure_pages", "workflows", "search", "importer", "script_variants", "api"]

# What the plugin's apps need besides, in an order that works.
REQUIRED_APPS = [
    # The headless API: DRF (also for its message catalogues), the schema and docs page
    # (assets served from the sidecar, no CDN), CORS.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Search index updates run as background tasks.
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail writes "5 minutes ago" with humanize's naturaltime: its catalogues translate it.
    "django.contrib.humanize",
]

# (middleware, the one it must follow): each is added after that one when the site lacks it.
REQUIRED_MIDDLEWARE = [
    # Before anything that may answer: preflight requests and error responses get CORS headers too.
    ("corsheaders.middleware.CorsMiddleware", "django.middleware.security.SecurityMiddleware"),
    # The script (简体/繁體) from the URL's language prefix; needs the session.
    ("django.middleware.locale.LocaleMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"),
    # Admin routes about a page of another unit are refused before the view can name it.
    ("workflows.boundary.UnitBoundaryMiddleware", "django.contrib.messages.middleware.MessageMiddleware"),
    ("wagtail.contrib.redirects.middleware.RedirectMiddleware", None),
]

CONTEXT_PROCESSORS = [
    "wagtail.contrib.settings.context_processors.settings",
    "disclosure_pages.context_processors.portal",
]

# The root urlconf's error views: JSON under /api/ (also when the database is down), Django's pages elsewhere.
HANDLER404 = "api.errors.page_not_found"
HANDLER500 = "api.errors.server_error"


def installed_apps(site_apps=()):
    """The site's own apps first (in its order), then the plugin's, then what they need (``REQUIRED_APPS``).

    Apps of the site that the plugin also lists take the plugin's place in the order.
    """
    ours = PLUGIN_APPS + REQUIRED_APPS
    return [app for app in site_apps if app not in ours] + ours


def middleware(site_middleware):
    """The site's middleware with the plugin's added where they must run (``REQUIRED_MIDDLEWARE``)."""
    result = list(site_middleware)
    for name, after in REQUIRED_MIDDLEWARE:
        if name in result:
            continue
        result.insert(result.index(after) + 1 if after in result else len(result), name)
    return result


def urlpatterns():
    """The plugin's URLs, last in a root urlconf: the API, the portal's own routes and, under the
    language prefixes (/zh-hans/, /zh-hant/), members' sign-in, search and Wagtail's pages."""
    from django.conf.urls.i18n import i18n_patterns
    from django.urls import include, path
    from wagtail import urls as wagtail_urls

    return [
        path("api/", include("api.urls")),
        path("", include("disclosure_pages.urls")),
        path("", include("script_variants.urls")),
        *i18n_patterns(
            path("", include("disclosure_pages.account_urls")),
            path("", include("search.urls")),
            path("", include(wagtail_urls)),
            prefix_default_language=True,
        ),
    ]
