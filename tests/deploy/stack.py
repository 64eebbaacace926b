"""The reference deployment (deploy/) stood up on loopback for the deployment test.

Everything runs from the deploy/ folder's own files, as on a server: the environment file is
written from ``settings`` and read the way systemd reads it; ``deploy/install.sh --app-only``
installs (migrate, collectstatic, check --deploy, public site); gunicorn and two task workers
are ``deploy/web.sh`` and ``deploy/worker.sh N``, the commands of the systemd units; nginx runs
the site rendered by ``deploy/nginx/render.sh`` from the same template, inside a main
configuration of its own (a temporary prefix, ports of 18400-18499, no root needed). The search
engine is osmem, the in-memory OpenSearch-compatible server of the engine tests.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV = Path(sys.executable).parent.parent
PORTS = range(18400, 18500)
# The demo county, small: one township with one village and one department, two items each.
SEED = ["--townships", "1", "--villages-per-township", "1", "--departments", "1", "--items-per-unit", "2",
        "--no-opinions", "--no-supervision", "--skip-index", "--quiet"]


def free_ports(count, ports=PORTS):
    """``count`` loopback ports of ``ports`` (default 18400-18499) that nothing listens on."""
    found = []
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"no free ports in {ports.start}-{ports.stop - 1}")


def database_url(server_url, name):
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def read_env_file(path):
    """KEY=value lines as systemd's EnvironmentFile reads them (deploy/lib.sh reads them so too)."""
    values = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


class Stack:
    """PostgreSQL database, Redis, osmem, gunicorn, two task workers and nginx, with production settings."""

    def __init__(self, tmp, server_database_url, redis_url, ports=PORTS, settings=None):
        """``settings`` are added to (or replace) the environment file's values; ``ports`` is where free ports are looked for."""
        import psycopg

        self.tmp = Path(tmp)
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.processes = {}
        self.commands = {}
        self.timings = {}
        self.osmem = None
        self.server_database_url = server_database_url
        self.database = f"{urlsplit(server_database_url).path.strip('/') or 'sunshine'}_deploy"
        self.admin_url = database_url(server_database_url, "postgres")
        self.psycopg = psycopg
        http, https, web, engine = free_ports(4, ports)
        self.base_url = f"https://127.0.0.1:{https}"
        self.http_url = f"http://127.0.0.1:{http}"
        self.certificate, key = self.tmp / "tls.crt", self.tmp / "tls.key"
        self.settings = {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "PUBLIC_BASE_URL": self.base_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "DATABASE_URL": database_url(server_database_url, self.database),
            "REDIS_URL": redis_url,
            "SEARCH_URL": f"opensearch://127.0.0.1:{engine}",
            "SEARCH_INDEX_PREFIX": "deploytest_",
            "MEDIA_ROOT": str(self.tmp / "media"),
            "DEFAULT_FROM_EMAIL": "阳光党务 <noreply@127.0.0.1>",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "API_NUM_PROXIES": "1",
            # The second factor's requirement for approvers stays off: the journey signs in with passwords.
            "OTP_REQUIRED_FOR": "",
            "SECURE_SSL_REDIRECT": "1",
            "WEB_BIND": f"127.0.0.1:{web}",
            "WEB_WORKERS": "2",
            "WEB_THREADS": "4",
            "WEB_TIMEOUT": "60",
            "SUNSHINE_WORKERS": "2",
            "WORKER_INTERVAL": "0.2",
            "TLS_CERTIFICATE": str(self.certificate),
            "TLS_CERTIFICATE_KEY": str(key),
            "NGINX_HTTP_LISTEN": f"127.0.0.1:{http}",
            "NGINX_HTTPS_LISTEN": f"127.0.0.1:{https}",
            "NGINX_LOG_DIR": str(self.logs),
            "BACKUP_DIR": str(self.tmp / "backups"),
            "BACKUP_KEEP": "2",
            **(settings or {}),
        }
        self.env_file = self.tmp / "sunshine.env"
        self.env_file.write_text(
            "# written by tests/deploy\n" + "".join(f"{key}={value}\n" for key, value in self.settings.items()), encoding="utf-8"
        )
        self.engine_port = engine
        self.web_port = web
        self.media_root = Path(self.settings["MEDIA_ROOT"])

    # -- environment -------------------------------------------------------------------------

    def base_env(self):
        """What a systemd service starts with: no settings of the test run."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(self.tmp)),
            "LANG": "C.UTF-8",
            "SUNSHINE_VENV": str(VENV),
            "SUNSHINE_ENV_FILE": str(self.env_file),
        }

    def service_env(self):
        """A unit's environment: EnvironmentFile=sunshine.env."""
        return {**self.base_env(), **read_env_file(self.env_file)}

    def run(self, args, env=None, label=None, timeout=300):
        started = time.monotonic()
        result = subprocess.run(args, cwd=ROOT, env=env or self.base_env(), capture_output=True, text=True, timeout=timeout)
        if label:
            self.timings[label] = round(time.monotonic() - started, 1)
            (self.logs / f"{label.split()[0]}.log").write_text(result.stdout + result.stderr, encoding="utf-8")
        assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result.stdout

    # -- the pieces --------------------------------------------------------------------------

    def create_database(self):
        with self.psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{self.database}"')

    def drop_database(self):
        with self.psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def make_certificate(self):
        self.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", self.settings["TLS_CERTIFICATE_KEY"], "-out", str(self.certificate),
        ])

    def start_engine(self):
        from osmem_server import OsmemServer

        self.osmem = OsmemServer.start(japanese=False, addr=f"127.0.0.1:{self.engine_port}")

    def install(self):
        self.run([str(DEPLOY / "install.sh"), "--app-only"], label="install.sh --app-only")

    def seed(self):
        """The demo county (seed_demo is in the development settings' apps only), its Traditional variants and the indexes."""
        dev = {**self.service_env(), "DJANGO_SETTINGS_MODULE": "cms.settings.dev", "DEBUG": "0"}
        self.run([str(VENV / "bin/python"), "manage.py", "seed_demo", *SEED], env=dev, label="seed_demo")
        self.run([str(VENV / "bin/python"), "manage.py", "sync_variants", "--missing-only"], env=dev, label="sync_variants")
        probe = self.run([str(VENV / "bin/python"), "manage.py", "shell", "--no-imports", "-c",
                          (Path(__file__).parent / "probe.py").read_text(encoding="utf-8")], env=dev)
        return json.loads(probe.strip().splitlines()[-1])

    def stand_up(self):
        """Everything, in the order of an installation: database, certificate, engine, install.sh, the demo county, services, nginx."""
        started = time.monotonic()
        self.create_database()
        self.make_certificate()
        self.start_engine()
        self.timings["database, certificate, engine"] = round(time.monotonic() - started, 1)
        self.install()
        self.facts = self.seed()
        self.start_app()
        self.start_nginx()
        self.wait_until_served()
        self.timings["standing up"] = round(time.monotonic() - started, 1)

    def start(self, name, args):
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        process = subprocess.Popen(args, cwd=ROOT, env=self.service_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = (process, log)
        self.commands[name] = args
        return process

    def restart(self, name):
        """Starts ``name`` again with its command once it has exited (as systemd's Restart=on-failure does)."""
        process, log = self.processes.pop(name)
        process.wait()
        log.close()
        return self.start(name, self.commands[name])

    def start_app(self):
        self.start("web", [str(DEPLOY / "web.sh")])
        self.start("worker-1", [str(DEPLOY / "worker.sh"), "1"])
        self.start("worker-2", [str(DEPLOY / "worker.sh"), "2"])

    def start_nginx(self):
        site = self.run([str(DEPLOY / "nginx" / "render.sh")], env=self.service_env())
        (self.tmp / "sunshine.conf").write_text(site, encoding="utf-8")
        prefix = self.tmp / "nginx"
        for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (prefix / folder).mkdir(parents=True, exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""  # as the current user: workers of a root master would be nobody
        (self.tmp / "nginx.conf").write_text(
            f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\nerror_log {self.logs}/nginx-main.error.log warn;\n"
            "events { worker_connections 512; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  sendfile on;\n"
            f"  client_body_temp_path {prefix}/body;\n  proxy_temp_path {prefix}/proxy;\n"
            f"  fastcgi_temp_path {prefix}/fastcgi;\n  uwsgi_temp_path {prefix}/uwsgi;\n  scgi_temp_path {prefix}/scgi;\n"
            f"  include {self.tmp}/sunshine.conf;\n}}\n",
            encoding="utf-8",
        )
        nginx = [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(prefix), "-c", str(self.tmp / "nginx.conf"),
                 "-e", str(self.logs / "nginx-main.error.log")]
        self.run([*nginx, "-t", "-q"])
        self.start("nginx", nginx)

    def session(self):
        """An https client that trusts the deployment's certificate (and no proxy or CA bundle of the environment)."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.certificate)
        return session

    def wait_until_served(self, timeout=60):
        """Until the portal answers through nginx (gunicorn's workers import the project first)."""
        started = time.monotonic()
        deadline = started + timeout
        client = self.session()
        while time.monotonic() < deadline:
            for name, (process, _log) in self.processes.items():
                assert process.poll() is None, f"{name} exited:\n{self.log(name)}"
            try:
                if client.get(f"{self.base_url}/zh-hans/", timeout=5).status_code == 200:
                    self.timings["first page"] = round(time.monotonic() - started, 1)
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise AssertionError(f"the portal did not answer within {timeout} s:\n{self.log('web')}")

    def log(self, name):
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self, *names):
        for name in names or list(self.processes):
            process, log = self.processes.pop(name)
            started = time.monotonic()
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            self.timings[f"stop {name}"] = round(time.monotonic() - started, 1)
            log.close()

    def close(self):
        self.stop()
        if self.osmem is not None:
            self.osmem.close()
        self.drop_database()


# -- the journey's steps over https, as a browser takes them (the deployment test and bench/soak.py) --

XHR = {"X-Requested-With": "XMLHttpRequest"}


def post_form(stack, session, path, data, page=None, **headers):
    """POST a form the way a browser does: the CSRF token from the page, Origin and Referer set."""
    page = page if page is not None else session.get(f"{stack.base_url}{path}").text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return session.post(
        f"{stack.base_url}{path}", data={"csrfmiddlewaretoken": token, **data}, allow_redirects=False,
        headers={"Origin": stack.base_url, "Referer": f"{stack.base_url}{path}", **headers},
    )


def admin_session(stack, username):
    """A session signed in to the admin as the demo user ``username``."""
    session = stack.session()
    response = post_form(stack, session, "/admin/login/", {"username": username, "password": f"sunshine-{username}", "next": "/admin/"})
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["Location"] == "/admin/"
    dashboard = session.get(f"{stack.base_url}/admin/", allow_redirects=False)
    assert dashboard.status_code == 200
    return session


def submit_item(stack, officer, title, slug):
    """The officer adds a public item to their unit and submits it for review (提交审核); the response."""
    add = f"/admin/pages/add/disclosure_pages/disclosureitempage/{stack.facts['unit_id']}/"
    form = {
        "title": title, "slug": slug, "summary": "部署演练：经本单位审核后公开。", "scope": "public",
        "stage": "other", "importance": "general", "validity": "valid", "change_kind": "minor", "change_note": "",
        "body-count": "0", "change_notes-TOTAL_FORMS": "0", "change_notes-INITIAL_FORMS": "0",
        "change_notes-MIN_NUM_FORMS": "0", "change_notes-MAX_NUM_FORMS": "1000", "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0", "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
        "action-submit": "提交审核",
    }
    return post_form(stack, officer, add, form)


def approve_item(stack, approver, title):
    """The approver finds ``title`` on their dashboard and approves it (审核通过) in the editor's dialog: (item id, response)."""
    dashboard = approver.get(f"{stack.base_url}/admin/").text
    assert title in dashboard, "the item is not waiting for the approver"
    item_id = re.search(rf'href="/admin/pages/(\d+)/edit/"[^>]*>\s*{re.escape(title)}', dashboard)
    item_id = item_id.group(1) if item_id else re.findall(r"/admin/pages/(\d+)/edit/", dashboard[: dashboard.index(title)])[-1]
    editor = approver.get(f"{stack.base_url}/admin/pages/{item_id}/edit/").text
    # The editor's 审核通过 button names the task; its dialog posts to Wagtail's workflow action view.
    task_state = re.search(rf'data-workflow-action-modal-url="/admin/pages/workflow/collect_action_data/{item_id}/approve/(\d+)/"', editor).group(1)
    action = f"/admin/pages/workflow/action/{item_id}/approve/{task_state}/"
    return int(item_id), post_form(stack, approver, action, {"confidentiality_confirmed": "on", "comment": "同意公开。"}, page=editor, **XHR)
