"""Settings shared by every environment. See dev.py, test.py and production.py."""

from pathlib import Path

import dj_database_url

from disclosure_pages import plugin
from disclosure_pages.required_settings import *  # noqa: F403
from disclosure_pages.required_settings import REST_FRAMEWORK

from .env import env_bool, env_list, env_str, public_base_url, search_backends

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------------------
# Applications: the disclosure plugin, taken in as the README's install steps say
# (disclosure_pages/plugin.py). The Wagtail and Django settings it needs come from
# disclosure_pages/required_settings.py (imported above), its own settings' defaults from
# each app's conf.py: this file sets only what differs.
# https://docs.wagtail.org/en/stable/getting_started/integrating_into_django.html
# ---------------------------------------------------------------------------
# The site's own apps on top of the plugin: opinions and their ledger (意见办理), supervision,
# and subscriptions and alerts (订阅提醒), which plug into the plugin through its change feed
# and extension points.
INSTALLED_APPS = plugin.installed_apps(["accounts", "participation", "supervision", "alerts"])

MIDDLEWARE = plugin.middleware(
    [
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "wagtail.contrib.redirects.middleware.RedirectMiddleware",
        # A number or date a view took to the database unchecked is a 400, not a 500 (disclosure_pages.params checks ours).
        "cms.middleware.BadInputMiddleware",
    ]
)

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The county's own: error pages (the portal's templates are in the apps).
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                *plugin.CONTEXT_PROCESSORS,
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
# Passwords
# ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# Languages (Simplified and Traditional: required_settings). The admin's catalogues ship in
# disclosure_pages/locale; named here for makemessages (script_variants' make_traditional_catalogue).
# ---------------------------------------------------------------------------
LOCALE_PATHS = [BASE_DIR / "disclosure_pages" / "locale"]

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# The largest upload an officer may make (Wagtail's form checks, with a Chinese message); the
# nginx site's client_max_body_size (deploy/nginx/sunshine.conf) is the larger plus room for the
# form's other fields (tests/deploy/test_site_files.py checks they agree).
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
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
# Search (the search app): SEARCH_URL=database (default), elasticsearch://host:9200 or
# opensearch://host:9200 (…s:// for TLS). With an engine the database index is kept too, and
# answers while the engine is unreachable.
WAGTAILSEARCH_BACKENDS = search_backends(env_str("SEARCH_URL", "database"))
if "database" in WAGTAILSEARCH_BACKENDS:
    SUNSHINE_SEARCH_FALLBACK_BACKEND = "database"
# Background work (search index updates): a database queue worked by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# OpenCC profile producing Traditional: s2t, s2tw (the default), s2twp or s2hk.
if env_str("SCRIPT_PROFILE_TRADITIONAL"):
    SUNSHINE_SCRIPT_PROFILES = {"zh-hant": env_str("SCRIPT_PROFILE_TRADITIONAL"), "zh-hans": "t2s"}
# The importer, the bulk seed and the variant sync use private parts of wagtail-localize,
# treebeard and Wagtail to go fast (script_variants/localize_compat.py,
# disclosure_pages/pages_compat.py); False takes the frameworks' public API instead (slower),
# e.g. after an upgrade that the system check sunshine.W001 warns about.
SUNSHINE_FRAMEWORK_FAST_PATHS = env_bool("FRAMEWORK_FAST_PATHS", True)

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
# Cache: per-process memory unless REDIS_URL names a shared Redis, which a deployment with
# several processes needs for one rate limit per client (the API's cached responses are
# correct either way: their keys carry the content version from the database).
# ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# ---------------------------------------------------------------------------
# Headless API (api/): rate limits, caching and CORS origins from the environment.
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    # Behind N reverse proxies, the client's address is the Nth from the right of X-Forwarded-For.
    "NUM_PROXIES": int(env_str("API_NUM_PROXIES", "0")) or None,
}
# Requests per client, anonymous and members ("" switches a limit off).
if env_str("API_RATE_ANON") is not None:
    SUNSHINE_API_RATE_ANON = env_str("API_RATE_ANON")
if env_str("API_RATE_MEMBER") is not None:
    SUNSHINE_API_RATE_MEMBER = env_str("API_RATE_MEMBER")
# How long shared caches may keep a public response.
if env_str("API_CACHE_MAX_AGE"):
    SUNSHINE_API_CACHE_MAX_AGE = int(env_str("API_CACHE_MAX_AGE"))
# Origins whose pages may call the API from a browser (comma-separated), e.g. a kiosk front end.
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
