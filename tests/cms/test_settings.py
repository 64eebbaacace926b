"""Production settings refuse to start on unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "SECRET_KEY": "k" * 50,
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
