"""Production: refuses to start on unsafe defaults."""

from django.core.exceptions import ImproperlyConfigured

from cms.request_log import logging_config

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DATABASES, SECRET_KEY
from .env import env_bool, env_int, env_str, weak_secret_reason

DEBUG = False
# One JSON object a line on stderr, unless LOG_FORMAT says text.
LOGGING = logging_config(env_str("LOG_FORMAT", "json"), env_str("LOG_LEVEL", "INFO"))

if weak_secret_reason("SECRET_KEY", SECRET_KEY):
    raise ImproperlyConfigured(weak_secret_reason("SECRET_KEY", SECRET_KEY))
if not env_str("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names.")
if "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must not contain '*'.")
if not env_str("PUBLIC_BASE_URL"):
    raise ImproperlyConfigured(
        "PUBLIC_BASE_URL must be set to the portal's public address, e.g. https://dangwu.example.gov.cn: "
        "QR codes on printed notices, feeds, the sitemap, the API and emails link there."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and not env_bool(
    "ALLOW_SQLITE_IN_PRODUCTION", False
):
    raise ImproperlyConfigured("Set DATABASE_URL to PostgreSQL (or ALLOW_SQLITE_IN_PRODUCTION=1 for a small site).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HSTS: browsers keep to https for a year. Subdomains too by default (a county's other sites
# under the same domain should be https anyway); HSTS_INCLUDE_SUBDOMAINS=0 for a domain whose
# other hosts still serve plain http. Preloading into browsers is hard to undo: opt in.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 60 * 60 * 24 * 365, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Left out of the preload list on purpose (HSTS_PRELOAD): `check --deploy` would warn every time.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
