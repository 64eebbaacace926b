"""The reference deployment, stood up on loopback with production settings and walked through nginx.

nginx (TLS with a self-signed certificate) → gunicorn → PostgreSQL, Redis and osmem, two task
workers: the portal in both scripts, search, the API, admin sign-in, an item submitted by an
officer and approved by another user that becomes visible and searchable, a members-only
attachment for a member and not the public, what nginx serves itself and what it never
serves. Then the restore drill: back up, wipe database, files and index, restore, and the
portal, the API and search show the same items.

Runs in the PostgreSQL pass of the suite only (it needs a PostgreSQL server, Redis and Debian's
nginx); ``make deploy-test`` runs it alone.
"""

import os
import re
import shutil
import time
import uuid

import pytest

from .stack import DEPLOY, Stack, admin_session, approve_item, post_form, submit_item

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("DEPLOY_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(
        not DATABASE_URL.startswith("postgres"),
        reason="the deployment test needs PostgreSQL: it runs in the PostgreSQL pass (DATABASE_URL=postgres://…) or with make deploy-test",
    ),
]

TITLE = f"关于部署演练{uuid.uuid4().hex[:6]}号党员大会召开情况的公示"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not shutil.which("nginx") and not os.path.exists("/usr/sbin/nginx"):
        pytest.skip("Debian's nginx is not installed (make install-test installs it)")
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    deployment = Stack(tmp_path_factory.mktemp("deployment"), DATABASE_URL, REDIS_URL)
    try:
        deployment.stand_up()
        yield deployment
    finally:
        print(f"\ndeployment test timings (s): {deployment.timings}")
        deployment.close()


def https(stack):
    return stack.session()


def url(stack, path):
    return f"{stack.base_url}{path}"


def api_titles(stack, session=None):
    response = (session or https(stack)).get(url(stack, "/api/v2/disclosures/"), params={"limit": 100})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["meta"]["total_count"] <= 100
    return sorted(item["title"] for item in body["items"])


def search_titles(stack, query):
    response = https(stack).get(url(stack, "/api/v2/search/"), params={"q": query})
    assert response.status_code == 200, response.text[:500]
    return [item["title"] for item in response.json()["results"]]


def wait_for(check, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.3)


# -- nginx ---------------------------------------------------------------------------------------


def test_http_is_redirected_to_the_public_https_address(stack):
    response = https(stack).get(f"{stack.http_url}/zh-hans/?a=1", allow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"] == f"{stack.base_url}/zh-hans/?a=1"


def test_the_portal_answers_in_both_scripts_through_nginx_with_a_request_id(stack):
    session = https(stack)
    simplified = session.get(url(stack, "/zh-hans/"))
    traditional = session.get(url(stack, "/zh-hant/"))
    assert simplified.status_code == traditional.status_code == 200
    assert "党务公开" in simplified.text
    assert "黨務公開" in traditional.text
    assert re.fullmatch(r"[0-9a-f]{32}", simplified.headers["X-Request-ID"])
    # The client's own id is passed on when it is a plain token, replaced when it is not.
    assert session.get(url(stack, "/zh-hans/"), headers={"X-Request-ID": "trace-42"}).headers["X-Request-ID"] == "trace-42"
    assert session.get(url(stack, "/zh-hans/"), headers={"X-Request-ID": "bad id\""}).headers["X-Request-ID"] != "bad id\""
    # Production settings behind the proxy: the session cookie would be Secure, HSTS is sent.
    assert "max-age=" in simplified.headers["Strict-Transport-Security"]


def test_the_health_checks_answer_through_nginx(stack):
    session = https(stack)
    assert session.get(url(stack, "/healthz")).json() == {"status": "ok"}
    ready = session.get(url(stack, "/readyz"))
    assert ready.status_code == 200, ready.text
    checks = ready.json()["checks"]
    # The database, the cache (Redis), the engine and the task workers' heartbeat all answer.
    assert {"database", "cache", "worker"} <= set(checks) and any(name.startswith("search:") for name in checks)
    assert all(check["status"] == "ok" for check in checks.values()), checks


def test_static_files_are_served_by_nginx_with_a_long_cache(stack):
    page = https(stack).get(url(stack, "/zh-hans/")).text
    stylesheet = re.search(r'href="(/static/[^"?]+\.css)', page).group(1)
    response = https(stack).get(url(stack, stylesheet), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"  # gunicorn never saw it
    assert response.headers["Cache-Control"] == "public, max-age=86400"
    assert response.headers["Content-Encoding"] == "gzip"
    versioned = https(stack).get(url(stack, "/admin/login/")).text
    admin_asset = re.search(r'(/static/wagtailadmin/[^"]+\.js\?v=[0-9a-f]+)', versioned).group(1)
    assert "max-age=31536000" in https(stack).get(url(stack, admin_asset)).headers["Cache-Control"]


def test_media_root_is_never_served_directly(stack):
    stored = stack.facts["document_file"]
    assert (stack.media_root / stored).exists()  # the file is there: nginx refuses, not a missing file
    for path in (f"/media/{stored}", "/media/", "/media/original_images/"):
        response = https(stack).get(url(stack, path), allow_redirects=False)
        assert response.status_code == 404
        assert "党员" not in response.text


# -- the application through nginx ---------------------------------------------------------------


def test_the_api_lists_the_seeded_items_and_search_finds_one(stack):
    titles = api_titles(stack)
    assert len(titles) >= 5
    assert titles[0] in search_titles(stack, titles[0])
    page = https(stack).get(url(stack, "/zh-hans/search/"), params={"q": titles[0]})
    assert page.status_code == 200


def test_an_item_submitted_by_an_officer_and_approved_by_another_user_is_published_and_searchable(stack):
    officer = admin_session(stack, "officer")
    submitted = submit_item(stack, officer, TITLE, f"deploy-{uuid.uuid4().hex[:8]}")
    assert submitted.status_code == 302, submitted.text[:3000]
    assert TITLE not in api_titles(stack)  # in review: not published

    approver = admin_session(stack, "approver")
    assert TITLE in approver.get(url(stack, "/admin/")).text  # waiting for this approver
    _item_id, approved = approve_item(stack, approver, TITLE)
    assert approved.status_code == 200, (approved.headers.get("Location"), approved.text[:2000])
    assert approved.json()["step"] == "success"

    assert TITLE in api_titles(stack)
    # The task workers apply the index update: the engine finds the item.
    assert wait_for(lambda: TITLE in search_titles(stack, TITLE)), "the published item never became searchable"
    home = https(stack).get(url(stack, "/zh-hans/")).text
    assert TITLE in home


def test_a_members_only_attachment_is_downloaded_by_a_member_and_refused_to_the_public(stack):
    document = stack.facts["document_url"]
    public = https(stack).get(url(stack, document), allow_redirects=False)
    assert public.status_code in (302, 403, 404)
    assert public.headers.get("Content-Disposition") is None
    member = https(stack)
    signed_in = post_form(stack, member, "/zh-hans/account/login/", {"username": "member", "password": "sunshine-member"})
    assert signed_in.status_code == 302, signed_in.text[:2000]
    download = member.get(url(stack, document), allow_redirects=False)
    assert download.status_code == 200
    assert download.content == (stack.media_root / stack.facts["document_file"]).read_bytes()
    assert "attachment" in download.headers["Content-Disposition"] or "inline" in download.headers["Content-Disposition"]


# -- backups -------------------------------------------------------------------------------------


def test_the_restore_drill_brings_back_the_same_items(stack):
    """Back up, wipe (database, files, search index, cache), restore: the same items everywhere."""
    titles, found = api_titles(stack), search_titles(stack, TITLE)
    home = https(stack).get(url(stack, "/zh-hans/")).text
    started = time.monotonic()
    backup = stack.run([str(DEPLOY / "backup.sh"), "--app-only"], label="backup.sh").strip().splitlines()[-1]
    assert sorted(os.listdir(backup)) == ["BACKUP_INFO", "SHA256SUMS", "database.dump", "media.tar.gz"]

    stack.stop("web", "worker-1", "worker-2")
    stack.drop_database()
    shutil.rmtree(stack.media_root)
    https(stack).delete(f"http://127.0.0.1:{stack.engine_port}/deploytest_*", timeout=10)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()

    stack.run([str(DEPLOY / "restore.sh"), backup, "--app-only"], label="restore.sh")
    stack.start_app()
    stack.wait_until_served()
    stack.timings["restore drill"] = round(time.monotonic() - started, 1)

    assert api_titles(stack) == titles
    assert search_titles(stack, TITLE) == found
    restored_home = https(stack).get(url(stack, "/zh-hans/")).text
    assert re.findall(r"关于[^<]{4,60}", restored_home) == re.findall(r"关于[^<]{4,60}", home)
    member = https(stack)
    post_form(stack, member, "/zh-hans/account/login/", {"username": "member", "password": "sunshine-member"})
    assert member.get(url(stack, stack.facts["document_url"])).content == (stack.media_root / stack.facts["document_file"]).read_bytes()
