"""Typed reads of settings from the environment, with explicit defaults.

Every reader fails at startup with ImproperlyConfigured naming the variable when its value is
malformed: a typo in the environment file stops the service with a message, not with a raw
ValueError at the first request that needs the value.
"""

import math
import os
import re
from collections import Counter

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


def env_int(name, default, minimum=None):
    """An integer variable (``default`` when unset or empty), at least ``minimum``."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def env_rate(name):
    """A request rate such as ``120/min`` ("" switches the limit off; None when unset)."""
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    if value and not _RATE.match(value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 120/min (per s, min, hour or day) or empty, got {value!r}")
    return value


def env_url(name, schemes, default=None):
    """A URL variable whose scheme is one of ``schemes`` and that names a host (or a unix socket path)."""
    from urllib.parse import urlsplit

    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in schemes or not (parts.hostname or (parts.scheme == "unix" and parts.path)):
        raise ImproperlyConfigured(f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)}, got {value!r}")
    return value


# A secret's randomness as one can judge it from the string: bits of Shannon entropy per
# character, and distinct characters. Django's get_random_secret_key() gives about 5.2 bits and
# 30+ distinct characters over 50; `openssl rand -hex 32` about 3.8 bits and 16 over 64. A
# repeated character, a word repeated or a keyboard walk stays well below.
SECRET_MIN_LENGTH = 50  # Django's own deployment check (security.W009) asks for 50
SECRET_MIN_BITS_PER_CHAR = 3.5
SECRET_MIN_DISTINCT = 12


def weak_secret_reason(name, value):
    """Why ``value`` is not a usable secret for variable ``name``, or None when it is."""
    how = "generate one with: python -c \"import secrets; print(secrets.token_urlsafe(50))\""
    if not value:
        return f"{name} must be set to a random value ({how})."
    if len(value) < SECRET_MIN_LENGTH:
        return f"{name} must be at least {SECRET_MIN_LENGTH} characters long, has {len(value)} ({how})."
    if value.startswith(("dev-", "django-insecure-")):
        return f"{name} is a development key ({how})."
    counts = Counter(value)
    bits = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    if len(counts) < SECRET_MIN_DISTINCT or bits < SECRET_MIN_BITS_PER_CHAR:
        return (
            f"{name} is not random enough: {len(counts)} distinct characters and {bits:.1f} bits of entropy per "
            f"character (at least {SECRET_MIN_DISTINCT} and {SECRET_MIN_BITS_PER_CHAR} needed; {how})."
        )
    return None


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


def public_base_url(value, name="PUBLIC_BASE_URL"):
    """``value`` of variable ``name`` checked: ``http(s)://host[:port]``, no path, query or trailing slash."""
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
            f"{name} must be the site's address as http(s)://host[:port] with no path, e.g. "
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
        "TIMEOUT": env_int("SEARCH_TIMEOUT", 10, minimum=1),
    }
    if module == "search.backends.opensearch":
        # opensearch-py keeps one connection per host unless told otherwise: gunicorn's threads
        # searching at once each opened and discarded another ("Connection pool is full" under
        # the soak). Ten, as the Elasticsearch 8 client keeps by default.
        engine["OPTIONS"] = {"pool_maxsize": 10}
    return {"default": engine, "database": database}
