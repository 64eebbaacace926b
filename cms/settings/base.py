"""Settings shared by every environment. See dev.py, test.py and production.py."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from accounts.conf import OTP_ROLES
from accounts.csp import PORTAL_DIRECTIVES
from disclosure_pages import plugin
from disclosure_pages.required_settings import *  # noqa: F403
from disclosure_pages.required_settings import REST_FRAMEWORK

from cms.request_log import logging_config
from cms.sentry import init_sentry

from .env import env_bool, env_int, env_list, env_rate, env_str, env_url, public_base_url, search_backends

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# ---------------------------------------------------------------------------
# Applications: the disclosure plugin, taken in as the README's install steps say
# (disclosure_pages/plugin.py). The Wagtail and Django settings it needs come from
# disclosure_pages/required_settings.py (imported above), its own settings' defaults from
# each app's conf.py: this file sets only what differs.
# https://docs.wagtail.org/en/stable/getting_started/integrating_into_django.html
# ---------------------------------------------------------------------------
# The site's own apps on top of the plugin: the site itself (cms: task workers' heartbeats and
# recovery, health checks), opinions and their ledger (意见办理), supervision,
# and subscriptions and alerts (订阅提醒), which plug into the plugin through its change feed
# and extension points.
# Sign-in security (accounts, with django-axes for wrong passwords) comes before the plugin.
INSTALLED_APPS = plugin.installed_apps(
    [
        "cms",
        "accounts",
        "axes",
        "csp",
        "participation",
        "supervision",
        "alerts",
        # The admin's second factor (accounts.two_factor): TOTP devices and recovery codes.
        "django_otp",
        "django_otp.plugins.otp_totp",
        "django_otp.plugins.otp_static",
    ]
)

MIDDLEWARE = plugin.middleware(
    [
        # First: the request id every later log record carries, and one log line per request (cms/request_log.py).
        "cms.request_log.RequestLogMiddleware",
        "django.middleware.security.SecurityMiddleware",
        # Content-Security-Policy (a nonce for the templates' inline scripts) and Permissions-Policy: accounts/csp.py.
        "accounts.csp.ContentSecurityPolicyMiddleware",
        "accounts.csp.PermissionsPolicyMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        # Idle and absolute session timeouts, shorter for admin users (accounts/sessions.py): an
        # expired session is signed out before the second factor is asked for.
        "accounts.sessions.SessionTimeoutMiddleware",
        # request.user.is_verified(): whether a second-factor device accepted a code in this session,
        # then the admin's gate: the code, or enrolment, before any other admin page.
        "django_otp.middleware.OTPMiddleware",
        "accounts.two_factor.TwoFactorMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
        "wagtail.contrib.redirects.middleware.RedirectMiddleware",
        # A number or date a view took to the database unchecked is a 400, not a 500 (disclosure_pages.params checks ours).
        "cms.middleware.BadInputMiddleware",
        # Last: turns a sign-in refused for too many wrong passwords into the sign-in page saying so (accounts.lockout).
        "axes.middleware.AxesMiddleware",
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
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as error:  # an unknown scheme or a bad port
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL ({error}), e.g. postgres://user@host:5432/name") from None
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
# Wagtail's user forms and the password change and reset pages check new passwords against
# these (accounts/passwords.py: length SUNSHINE_PASSWORD_MIN_LENGTH, three character classes,
# no pinyin word of the county's with digits around it; Django's list of common passwords).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.WeakBaseValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The admin's second factor: who must enrol ("approvers,superusers" by default; "" for no one).
if env_str("OTP_REQUIRED_FOR") is not None:
    SUNSHINE_OTP_REQUIRED_FOR = env_list("OTP_REQUIRED_FOR")
    if not set(SUNSHINE_OTP_REQUIRED_FOR) <= set(OTP_ROLES):
        raise ImproperlyConfigured(
            f"OTP_REQUIRED_FOR must list some of {', '.join(OTP_ROLES)} (comma-separated) or be empty, "
            f"got {env_str('OTP_REQUIRED_FOR')!r}"
        )
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "阳光党务")

# ---------------------------------------------------------------------------
# Sign-in security (accounts/, README 账号安全): one rule for wrong passwords at the admin's
# and the portal's sign-in, through django-axes. https://django-axes.readthedocs.io/
# ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Refuses an account name and address that are locked out before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Counted per account name *and* address (accounts/lockout.py says why), limits from
# SUNSHINE_LOGIN_ATTEMPTS and SUNSHINE_LOGIN_LOCKOUT_SECONDS (accounts/conf.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "accounts.lockout.cool_off"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# A successful sign-in clears the count; tries while locked out are refused without being
# counted, so the wait ends when the page says it does.
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Sign-ins, sign-outs and failures are logged once, in accounts' sign-in log (SignInEvent).
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# No Django admin here: lockouts are lifted with manage.py axes_reset_username.
AXES_ENABLE_ADMIN = False
# Its start-up banner on every command and process says nothing an operator needs.
AXES_VERBOSE = False
# Content-Security-Policy (django-csp): the portal's directives; the admin's few allowances
# are in accounts/csp.py with their reasons. https://django-csp.readthedocs.io/
CONTENT_SECURITY_POLICY = {"DIRECTIVES": PORTAL_DIRECTIVES}
# The admin loads nothing from other origins: no Gravatar avatars (and no request to
# releases.wagtail.org for its upgrade notice, which a county's network may not reach).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

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
WAGTAILADMIN_BASE_URL = public_base_url(env_str("WAGTAILADMIN_BASE_URL"), "WAGTAILADMIN_BASE_URL") or PUBLIC_BASE_URL
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
    if env_str("SCRIPT_PROFILE_TRADITIONAL") not in ("s2t", "s2tw", "s2twp", "s2hk"):
        raise ImproperlyConfigured(f"SCRIPT_PROFILE_TRADITIONAL must be s2t, s2tw, s2twp or s2hk, got {env_str('SCRIPT_PROFILE_TRADITIONAL')!r}")
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
# The SMTP server of EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend (notifications,
# alerts and their confirmations, officers' reminders). Implicit TLS (465) or STARTTLS (587).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS (STARTTLS, usually port 587) and EMAIL_USE_SSL (implicit TLS, port 465) exclude each other: set one.")
# Seconds to wait for the SMTP server (Django waits forever by default: a stuck server would hold a worker).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)

# ---------------------------------------------------------------------------
# Cache: per-process memory unless REDIS_URL names a shared Redis, which a deployment with
# several processes needs for one rate limit per client (the API's cached responses are
# correct either way: their keys carry the content version from the database).
# ---------------------------------------------------------------------------
REDIS_URL = env_url("REDIS_URL", ["redis", "rediss", "unix"])
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# ---------------------------------------------------------------------------
# Logs: everything on stderr (systemd's journal keeps it), one line per request with its id
# (cms/request_log.py). LOG_FORMAT=json (production's default: one JSON object a line) or
# text (development's); LOG_LEVEL=INFO by default.
# ---------------------------------------------------------------------------
LOGGING = logging_config(env_str("LOG_FORMAT", "text"), env_str("LOG_LEVEL", "INFO"))
# Errors also to Sentry (or GlitchTip) when SENTRY_DSN is set (needs `pip install sentry-sdk`).
init_sentry(env_str("SENTRY_DSN"), env_str("SENTRY_ENVIRONMENT"))

# ---------------------------------------------------------------------------
# Headless API (api/): rate limits, caching and CORS origins from the environment.
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    # Behind N reverse proxies, the client's address is the Nth from the right of X-Forwarded-For.
    # 0: no proxy, the address is REMOTE_ADDR (DRF reads None as "trust X-Forwarded-For whole", which a client can forge).
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0, minimum=0),
}
# Requests per client, anonymous and members ("" switches a limit off).
if env_rate("API_RATE_ANON") is not None:
    SUNSHINE_API_RATE_ANON = env_rate("API_RATE_ANON")
if env_rate("API_RATE_MEMBER") is not None:
    SUNSHINE_API_RATE_MEMBER = env_rate("API_RATE_MEMBER")
# How long shared caches may keep a public response.
if env_int("API_CACHE_MAX_AGE", None, minimum=0) is not None:
    SUNSHINE_API_CACHE_MAX_AGE = env_int("API_CACHE_MAX_AGE", None, minimum=0)
# Origins whose pages may call the API from a browser (comma-separated), e.g. a kiosk front end.
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ALLOWED_ORIGINS")
