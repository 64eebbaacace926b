"""Settings shared by every environment. See dev.py, test.py and production.py."""

from pathlib import Path

import dj_database_url

from .env import env_bool, env_list, env_str, public_base_url, search_backends

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------------------
# Applications
# https://docs.wagtail.org/en/stable/getting_started/integrating_into_django.html
# ---------------------------------------------------------------------------
INSTALLED_APPS = [
    # The disclosure plugin: a county adds these apps to its own Wagtail site.
    "disclosure_pages",
    "workflows",
    "search",
    "importer",
    "script_variants",
    "api",
    # The headless API: DRF (also for its message catalogues), the schema and docs page
    # (assets served from the sidecar, no CDN), CORS
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
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail writes "5 minutes ago" with humanize's naturaltime: its catalogues translate it
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer: preflight requests and error responses get CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Admin routes about a page of another unit are refused before the view can name it.
    "workflows.boundary.UnitBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A number or date a view took to the database unchecked is a 400, not a 500 (disclosure_pages.params checks ours).
    "cms.middleware.BadInputMiddleware",
]
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.embeds"), "wagtail.contrib.redirects")

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "disclosure_pages.context_processors.portal",
                # Names the approval record template the item page includes (workflows).
                "workflows.context_processors.approval_record",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite is the embedded default; DATABASE_URL selects PostgreSQL.
# https://github.com/jazzband/dj-database-url
# ---------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Connections persist, as for PostgreSQL: a new one per request cost a cached API answer
    # half its time (4.4 against 7.2 ms) and started every request with an empty page cache.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # IMMEDIATE takes the write lock at BEGIN, so two concurrent writers queue
            # on the busy timeout instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            # Reads through memory-mapped pages rather than a read() per page; sorts for
            # ORDER BY in memory.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=1073741824; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Passwords and authentication
# ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Members sign in on the portal (disclosure_pages/accounts.py), in the script they are
# reading: a URL name, reversed under the active language's prefix. Restricted pages and
# documents send readers there; officers sign in at /admin/login/ (Wagtail's own).
LOGIN_URL = "portal_login"
WAGTAIL_FRONTEND_LOGIN_URL = "portal_login"
# Wrong passwords on the portal's sign-in: after this many within the lockout time (seconds)
# the account name and the address wait (counted in the cache: use REDIS_URL with several processes).
SUNSHINE_LOGIN_ATTEMPTS = 5
SUNSHINE_LOGIN_LOCKOUT_SECONDS = 15 * 60

# ---------------------------------------------------------------------------
# Languages: Simplified is the default; Traditional is the other script.
# https://docs.wagtail.org/en/stable/advanced_topics/i18n.html
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    # Image URLs lead to the checked view (disclosure_pages/files.py): the web server serves nothing from MEDIA_ROOT.
    "default": {"BACKEND": "disclosure_pages.files.CheckedImagesFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# ---------------------------------------------------------------------------
# Wagtail
# ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "阳光党务"
# The portal's public address (scheme://host[:port], no path): every absolute URL the portal
# writes — QR codes on printed notices, feeds, the sitemap, the API, emails — starts with it,
# whatever Host header a request came with; the default Wagtail Site is kept in step with it
# (after migrate, and `manage.py sync_public_site`). `make run` sets it from HOST and PORT.
PUBLIC_BASE_URL = public_base_url(env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000"))
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL)
# Documents are always served through Wagtail's view, so that the scope of the item
# they are attached to is checked (disclosure_pages.attachments). Never by the web server.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "txt", "csv", "zip", "ofd", "wps"]
# Search (the search app): SEARCH_URL=database (default), elasticsearch://host:9200 or
# opensearch://host:9200 (…s:// for TLS). With an engine the database index is kept too, and
# answers while the engine is unreachable.
WAGTAILSEARCH_BACKENDS = search_backends(env_str("SEARCH_URL", "database"))
SUNSHINE_SEARCH_BACKEND = "default"
SUNSHINE_SEARCH_FALLBACK_BACKEND = "database" if "database" in WAGTAILSEARCH_BACKENDS else None
# Background work (search index updates): a database queue worked by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Every page and catalogue snippet gets a variant in the other script (script_variants),
# converted by this translator (the editor's machine-translation button uses it too).
# https://wagtail-localize.org/stable/how-to/integrations/machine-translation/
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {"CLASS": "script_variants.machine_translator.OpenCCTranslator", "OPTIONS": {}}
# The importer, the bulk seed and the variant sync use private parts of wagtail-localize,
# treebeard and Wagtail to go fast (script_variants/localize_compat.py,
# disclosure_pages/pages_compat.py); False takes the frameworks' public API instead (slower),
# e.g. after an upgrade that the system check sunshine.W001 warns about.
SUNSHINE_FRAMEWORK_FAST_PATHS = env_bool("FRAMEWORK_FAST_PATHS", True)
# OpenCC profile producing each script: s2t, s2tw, s2twp or s2hk for Traditional; t2s for Simplified.
SUNSHINE_SCRIPT_PROFILES = {"zh-hant": env_str("SCRIPT_PROFILE_TRADITIONAL", "s2tw"), "zh-hans": "t2s"}

# ---------------------------------------------------------------------------
# Security and hosts
# ---------------------------------------------------------------------------
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECRET_KEY = env_str("SECRET_KEY")

# ---------------------------------------------------------------------------
# Email: notifications go through Django's backend (console in development).
# ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "阳光党务 <noreply@localhost>")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# ---------------------------------------------------------------------------
# Disclosure plugin: the page it links its feeds and QR codes to, and demo logins.
# ---------------------------------------------------------------------------
SUNSHINE_DEMO_LOGINS = False

# ---------------------------------------------------------------------------
# Review workflow (workflows/): 本单位审核 → 县级审核, then publication.
# https://docs.wagtail.org/en/stable/reference/settings.html#workflow
# ---------------------------------------------------------------------------
# The last approval publishes through the workflow: nobody below the superusers holds the
# publish permission, so the completed review is the permission (workflows/publishing.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.publishing.publish_approved_revision"
# Every required tier approves the very revision that is published: a change made after a
# tier approved sends the item back through that tier.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Submissions are announced to the tier's approvers (the unit's leading group), not to
# every superuser of the county.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
# Four-eyes (四眼原则): nobody approves their own submission. True lets superusers do so,
# and each such approval is logged as "sunshine.workflow.self_approval".
SUNSHINE_ALLOW_SUPERUSER_SELF_APPROVAL = False
# True lets a township's disclosure officers add and edit in its villages' and communities'
# sections too (e.g. where villages have no officer of their own).
SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES = False
# Catalogue entry codes whose items always go to the county tier, besides important items
# and referrals: 干部考核评价和选拔任用 (C06), 违纪违法问题查处和通报 (D04).
SUNSHINE_COUNTY_REVIEW_ENTRY_CODES = ["C06", "D04"]
# Scopes whose items always go to the county tier, e.g. ["named"]; none by default (see workflows/rules.py).
SUNSHINE_COUNTY_REVIEW_SCOPES = []
# Days an item may wait at a review tier before dashboards mark it overdue.
SUNSHINE_REVIEW_OVERDUE_DAYS = 3

# ---------------------------------------------------------------------------
# Cache: per-process memory unless REDIS_URL names a shared Redis, which a deployment with
# several processes needs for one rate limit per client (the API's cached responses are
# correct either way: their keys carry the content version from the database).
# ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# ---------------------------------------------------------------------------
# Headless API (api/): /api/v2/, the OpenAPI schema at /api/schema/, docs at /api/docs/.
# https://www.django-rest-framework.org/ · https://drf-spectacular.readthedocs.io/
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Behind N reverse proxies, the client's address is the Nth from the right of X-Forwarded-For.
    "NUM_PROXIES": int(env_str("API_NUM_PROXIES", "0")) or None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "阳光党务开放接口",
    "VERSION": "2",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": True, "displayRequestDuration": True},
    "PREPROCESSING_HOOKS": ["api.schema.only_api_endpoints"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.add_guide"],
    # One name for a choice set used in several places (else drf-spectacular invents a second).
    "ENUM_NAME_OVERRIDES": {"ValidityEnum": "disclosure_pages.choices.Validity"},
}
# Requests per client: anonymous by address, members by token ("" switches a limit off).
SUNSHINE_API_RATE_ANON = env_str("API_RATE_ANON", "120/min")
SUNSHINE_API_RATE_MEMBER = env_str("API_RATE_MEMBER", "600/min")
SUNSHINE_API_MAX_PAGE_SIZE = 100
WAGTAILAPI_LIMIT_MAX = SUNSHINE_API_MAX_PAGE_SIZE
# How long shared caches may keep a public response (Cache-Control: public, max-age).
SUNSHINE_API_CACHE_MAX_AGE = int(env_str("API_CACHE_MAX_AGE", "60"))
# How long a rendered response stays in the server's cache (it is never served stale).
SUNSHINE_API_RESPONSE_CACHE_SECONDS = 600
# How long a headless preview token works.
SUNSHINE_API_PREVIEW_SECONDS = 600
# How long tombstones are kept: a sync from longer ago is told to start over.
SUNSHINE_API_TOMBSTONE_DAYS = 180
# Origins whose pages may call the API from a browser (comma-separated), e.g. a kiosk front end.
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = ["accept", "authorization", "content-type", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
