"""Typed reads of settings from the environment, with explicit defaults."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


_SEARCH_SCHEMES = {
    "elasticsearch": ("search.backends.elasticsearch", "http"),
    "elasticsearchs": ("search.backends.elasticsearch", "https"),
    "opensearch": ("search.backends.opensearch", "http"),
    "opensearchs": ("search.backends.opensearch", "https"),
}


def public_base_url(value):
    """PUBLIC_BASE_URL checked: ``http(s)://host[:port]``, no path, query or trailing slash."""
    from urllib.parse import urlsplit

    value = (value or "").strip().rstrip("/")
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(
            f"PUBLIC_BASE_URL must be the portal's address as http(s)://host[:port] with no path, e.g. "
            f"https://dangwu.example.gov.cn, got {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def search_backends(url):
    """WAGTAILSEARCH_BACKENDS for SEARCH_URL: ``database`` or ``elasticsearch[s]://`` / ``opensearch[s]://host:port``.

    With an engine, the database backend stays configured as well: it is kept up to date and
    answers while the engine is unreachable.
    """
    database = {"BACKEND": "search.backends.database"}
    if not url or url == "database":
        return {"default": database}
    scheme, _, rest = url.partition("://")
    if scheme not in _SEARCH_SCHEMES or not rest:
        raise ImproperlyConfigured(
            f"SEARCH_URL must be 'database' or elasticsearch://, elasticsearchs://, opensearch://, opensearchs:// "
            f"followed by host:port, got {url!r}"
        )
    module, http_scheme = _SEARCH_SCHEMES[scheme]
    engine = {
        "BACKEND": module,
        "URLS": [f"{http_scheme}://{rest}"],
        "INDEX_PREFIX": os.environ.get("SEARCH_INDEX_PREFIX", "sunshine_"),
        # Seconds per request: searches answer in milliseconds; bulk rebuilds of large chunks need more.
        "TIMEOUT": int(os.environ.get("SEARCH_TIMEOUT", "10")),
    }
    return {"default": engine, "database": database}
