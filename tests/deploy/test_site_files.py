"""The deploy/ folder's files agree with the application (fast; every pass of the suite)."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SITE = (DEPLOY / "nginx" / "sunshine.conf").read_text(encoding="utf-8")


def render(**values):
    env = {"PATH": os.environ["PATH"], "PUBLIC_BASE_URL": "https://dangwu.example.gov.cn", "TLS_CERTIFICATE": "/etc/ssl/c.pem",
           "TLS_CERTIFICATE_KEY": "/etc/ssl/k.key", **values}
    return subprocess.run([str(DEPLOY / "nginx" / "render.sh")], env=env, capture_output=True, text=True, check=True).stdout


def test_nginx_accepts_the_largest_upload_the_application_accepts_and_little_more():
    limit = int(re.search(r"client_max_body_size (\d+)m;", SITE).group(1)) * 1024 * 1024
    largest = max(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE, settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)
    assert largest < limit <= largest + 2 * 1024 * 1024


def test_nginx_serves_nothing_from_media_root():
    assert "/media/" not in re.sub(r"location \^~ /media/ \{\s*return 404;\s*\}", "", SITE)
    assert not re.search(r"(alias|root)\s+\S*(media|documents|images)", SITE)


def test_the_site_is_rendered_from_the_environment_file():
    site = render(WEB_BIND="127.0.0.1:8001", NGINX_HTTPS_LISTEN="10.0.0.5:443")
    assert not re.search(r"\{\{[A-Z_]+\}\}", site)
    assert "server_name dangwu.example.gov.cn;" in site
    assert "return 301 https://dangwu.example.gov.cn$request_uri;" in site
    assert "server 127.0.0.1:8001;" in site
    assert "listen 10.0.0.5:443 ssl;" in site
    assert "listen 80;" in site
    with pytest.raises(subprocess.CalledProcessError):
        render(PUBLIC_BASE_URL="http://dangwu.example.gov.cn")  # nginx terminates TLS: the address is https


def test_the_systemd_units_run_the_scripts_the_deployment_test_runs():
    commands = {
        unit.name: re.search(r"^ExecStart=(\S+)", unit.read_text(encoding="utf-8"), re.M).group(1)
        for unit in (DEPLOY / "systemd").glob("*.service")
    }
    assert commands["sunshine-web.service"] == "/opt/sunshine/deploy/web.sh"
    assert commands["sunshine-worker@.service"] == "/opt/sunshine/deploy/worker.sh"
    for command in commands.values():
        script = DEPLOY / command.removeprefix("/opt/sunshine/deploy/")
        assert os.access(script, os.X_OK), script
    for unit in (DEPLOY / "systemd").glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        for option in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes", "EnvironmentFile=/etc/sunshine/sunshine.env"):
            assert option in text, (unit.name, option)


def test_the_environment_template_names_every_variable_production_refuses_to_start_without():
    template = (DEPLOY / "sunshine.env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.M))
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "PUBLIC_BASE_URL", "DATABASE_URL", "REDIS_URL", "SEARCH_URL", "MEDIA_ROOT",
            "CSRF_TRUSTED_ORIGINS", "TLS_CERTIFICATE", "TLS_CERTIFICATE_KEY", "WEB_WORKERS", "BACKUP_DIR"} <= names


@pytest.mark.skipif(not shutil.which("shellcheck"), reason="shellcheck is not installed")
def test_the_scripts_are_shellcheck_clean():
    scripts = sorted(str(path) for path in DEPLOY.rglob("*.sh"))
    result = subprocess.run(["shellcheck", "-x", *scripts], cwd=DEPLOY.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_a_web_worker_starts_with_the_urlconf_read_the_templates_compiled_and_what_it_loaded_frozen(monkeypatch):
    import gc
    import runpy

    from django.urls import clear_url_caches, get_resolver

    import cms.warm_up
    import search.service

    warmed = []
    monkeypatch.setattr(search.service, "warm_up", lambda: warmed.append(True))
    compiled = []
    monkeypatch.setattr(cms.warm_up, "compile_templates", lambda real=cms.warm_up.compile_templates: compiled.append(real()))
    clear_url_caches()
    post_worker_init = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))["post_worker_init"]
    try:
        post_worker_init(worker=None)
        assert warmed
        assert "url_patterns" in get_resolver().__dict__  # read, not left to the first request
        assert compiled and compiled[0] > 300  # the admin's templates and the project's
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
