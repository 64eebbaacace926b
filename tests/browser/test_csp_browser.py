"""Content-Security-Policy in a real browser: the portal and the admin load with no violation.

Every ``securitypolicyviolation`` event and every console message about the policy is
collected while each page loads and its scripts run; none may appear.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.factories import build_tree, make_item, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def county():
    t = build_tree()
    t.item = make_item(t.township, "城关镇党委关于开展主题党日活动的公告")
    make_user("officer", t.township.officers_group)
    get_user_model().objects.create_superuser("county-admin", "admin@example.gov.cn", "pw-county-admin")
    return t


@pytest.fixture
def watched(page):
    page.add_init_script(LISTEN)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.console_messages = console
    return page


def violations(page):
    policy = [text for text in page.console_messages if re.search("Content.Security.Policy|Refused to", text)]
    return page.evaluate("window.__cspViolations") + policy


def visit(page, url):
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    return response


def sign_in(page, live_server, username, password):
    visit(page, live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("networkidle")


def test_the_portal_loads_with_no_policy_violation(live_server, watched, county):
    for path in ("/zh-hans/", county.item.url, "/zh-hans/search/?q=主题党日", "/zh-hans/account/login/", "/api/docs/"):
        response = visit(watched, live_server.url + path)
        assert response.status == 200, path
        header = response.headers["content-security-policy"]
        assert "'unsafe-inline'" not in header.split("script-src")[1].split(";")[0], header
        assert violations(watched) == [], path
    # The search page's inline script ran (with its nonce): on a wide screen the facets open.
    visit(watched, live_server.url + "/zh-hans/search/?q=主题党日")
    assert watched.evaluate("document.getElementById('search-facets-panel').open") is True
    assert violations(watched) == []


def test_the_admin_dashboard_and_page_editor_load_with_no_policy_violation(live_server, watched, county):
    sign_in(watched, live_server, "county-admin", "pw-county-admin")
    assert violations(watched) == []
    for path in (
        "/admin/",
        f"/admin/pages/{county.item.pk}/edit/",
        f"/admin/pages/add/disclosure_pages/disclosureitempage/{county.township.pk}/",
        "/admin/reports/sign-in-log/",
    ):
        response = visit(watched, live_server.url + path)
        assert response.status == 200, path
        assert violations(watched) == [], path
    # The editor's scripts ran: its title field is there and takes text.
    visit(watched, live_server.url + f"/admin/pages/{county.item.pk}/edit/")
    watched.fill("#id_title", "城关镇党委关于开展主题党日活动的公告（修订）")
    assert violations(watched) == []
