"""Production settings refuse to start on unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    # A key as secrets.token_urlsafe(50) makes one (production refuses weak ones).
    "SECRET_KEY": "q7Vd-K2mXr9LwB4nTz8sHc1YfJpE6uGa0oNiR3kWlD5vMbQxZ_tCyhUeS2jPgA7F",
    "ALLOWED_HOSTS": "dangwu.example.gov.cn",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "PUBLIC_BASE_URL": "https://dangwu.example.gov.cn",
}


def load_production(code="import django; django.setup(); from django.conf import settings; print(settings.DEBUG)", **overrides):
    env = {key: value for key, value in os.environ.items() if key not in SAFE}
    env.update(SAFE)
    env.update(overrides)
    env = {key: value for key, value in env.items() if value is not None}
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


def test_production_starts_with_safe_settings():
    result = load_production()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        # Long enough, but not random: 32 or 64 identical characters, a word repeated, a keyboard walk.
        ({"SECRET_KEY": "k" * 32}, "SECRET_KEY"),
        ({"SECRET_KEY": "k" * 64}, "SECRET_KEY is not random enough"),
        ({"SECRET_KEY": "dangwu" * 10}, "SECRET_KEY is not random enough"),
        ({"SECRET_KEY": "abcdefgh" * 8}, "SECRET_KEY is not random enough"),
        ({"SECRET_KEY": "django-insecure-" + "q7Vd-K2mXr9LwB4nTz8sHc1YfJpE6uGa0oNiR3kWlD5v"}, "SECRET_KEY is a development key"),
        # Malformed numbers and URLs name their variable.
        ({"API_NUM_PROXIES": "abc"}, "API_NUM_PROXIES"),
        ({"API_NUM_PROXIES": "-1"}, "API_NUM_PROXIES"),
        ({"API_CACHE_MAX_AGE": "1m"}, "API_CACHE_MAX_AGE"),
        ({"API_RATE_ANON": "lots"}, "API_RATE_ANON"),
        ({"SEARCH_URL": "opensearch://127.0.0.1:9200", "SEARCH_TIMEOUT": "ten"}, "SEARCH_TIMEOUT"),
        ({"SEARCH_URL": "solr://127.0.0.1:8983"}, "SEARCH_URL"),
        ({"HSTS_SECONDS": "1y"}, "HSTS_SECONDS"),
        ({"HSTS_INCLUDE_SUBDOMAINS": "maybe"}, "HSTS_INCLUDE_SUBDOMAINS"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "EMAIL_USE_TLS (STARTTLS"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://127.0.0.1:port/1"}, "REDIS_URL"),
        ({"DATABASE_URL": "postgress://postgres@127.0.0.1/x"}, "DATABASE_URL"),
        ({"WAGTAILADMIN_BASE_URL": "admin.example.gov.cn"}, "WAGTAILADMIN_BASE_URL"),
        ({"SCRIPT_PROFILE_TRADITIONAL": "s2x"}, "SCRIPT_PROFILE_TRADITIONAL"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"PUBLIC_BASE_URL": None}, "PUBLIC_BASE_URL"),
        ({"PUBLIC_BASE_URL": "dangwu.example.gov.cn"}, "PUBLIC_BASE_URL"),
        ({"PUBLIC_BASE_URL": "https://dangwu.example.gov.cn/portal"}, "PUBLIC_BASE_URL"),
    ],
)
def test_production_refuses_unsafe_defaults(overrides, message):
    result = load_production(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


@pytest.mark.parametrize(
    "secret",
    [
        "q7Vd-K2mXr9LwB4nTz8sHc1YfJpE6uGa0oNiR3kWlD5vMbQxZ_tCyhUeS2jPgA7F",  # secrets.token_urlsafe
        "3f9a1c7e5b2d8046af13ce97b5d2084f6a1e3c5b7d9f0246ace13579bdf02468",  # openssl rand -hex 32
        "z$@1u^k4#n8wq!e6r%t(y)9i0o-p=a+s_d&f*g2h3j5l7x",  # get_random_secret_key(), shortened: too short
    ],
)
def test_random_keys_of_the_usual_generators_pass(secret):
    from cms.settings.env import weak_secret_reason

    reason = weak_secret_reason("SECRET_KEY", secret)
    if len(secret) >= 50:
        assert reason is None
    else:
        assert "at least 50 characters" in reason


def test_production_leaves_the_demo_county_out():
    # No module of the demo generator is imported (api and workflows used to import it at startup).
    # Every app ready and every URL module imported, as a server does before its first request.
    code = (
        "import sys, django; django.setup(); from django.urls import get_resolver; get_resolver().url_patterns; "
        "from django.conf import settings; "
        "print('demo_county' in settings.INSTALLED_APPS, "
        "sorted(m for m in sys.modules if {'demo', 'demo_county'} & set(m.split('.'))))"
    )
    result = load_production(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False []"


def run_manage(*args, **overrides):
    # The test run's own switch (tests/conftest.py) is not a deployment's: check --deploy refuses it.
    env = {key: value for key, value in os.environ.items() if key not in SAFE and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(SAFE)
    env.update(overrides)
    env["DJANGO_SETTINGS_MODULE"] = "cms.settings.production"
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_hsts_is_a_year_with_subdomains_and_preload_is_opt_in():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, settings.SECURE_HSTS_PRELOAD)"
    )
    assert load_production(code).stdout.split() == ["31536000", "True", "False"]
    result = load_production(code, HSTS_INCLUDE_SUBDOMAINS="0", HSTS_PRELOAD="1")
    assert result.stdout.split() == ["31536000", "False", "True"]
    # Preloading asked for, the deployment check has nothing to say either.
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr



def test_the_opensearch_client_keeps_a_connection_per_thread():
    """gunicorn's threads search at once: opensearch-py's default pool of one connection discarded theirs."""
    from wagtail.search.backends import get_search_backend

    from cms.settings.env import search_backends

    config = search_backends("opensearch://127.0.0.1:9200")["default"]
    backend = get_search_backend(config.pop("BACKEND"), **config)
    (connection,) = backend.es.transport.connection_pool.connections
    assert connection.pool.pool.maxsize == 10  # urllib3 keeps this many connections to the engine
