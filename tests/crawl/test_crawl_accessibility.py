"""Issue 14, the crawl: axe (WCAG 2.1 AA) in a browser on every kind of page the crawl finds.

The public crawl runs once more with one URL per kind (``public.py``, cap 1) against the live
server's database; every public HTML page type and sub-route, and every distinct template it
rendered, is checked in both scripts and must have no violation. In the admin, a sample of
screens (the dashboard and every menu entry as the superuser; an item's editor, history and
the explorer as every role) must have no serious or critical violation.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client, override_settings
from django.urls import reverse

from disclosure_pages.models import DisclosureItemPage, UnitPage

from .admin import editable, sidebar_menu_urls
from .county import ADMIN_ROLES, build_crawl_county
from .test_admin_crawl import ROLES
from .crawler import CRAWL_BASE
from .public import public_crawl

pytestmark = [pytest.mark.browser, pytest.mark.engine_neutral, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
SERIOUS = ("serious", "critical")

# Serious admin violations in Wagtail's own markup, accepted here with the reason: (rule, a
# piece of the offending element's HTML) -> why.
ADMIN_ACCEPTED = {
    ("aria-input-field-name", "public-DraftEditor-content"): "Wagtail's Draftail editor: its contenteditable textbox is not "
    "labelled by the field's <label> (wagtail/wagtail#14205, open)",
    ("label", 'id="HandsontableCopyPaste"'): "Handsontable's off-screen clipboard textarea (wagtail.contrib.table_block), "
    "tabindex=-1, never focused by a user",
    ("list", 'class="workflow-tasks"'): "Wagtail's workflow index (wagtailadmin/workflows/index): the tasks' <ul> and its "
    "tooltip <li>s, Wagtail's own template",
    ("listitem", 'class="workflow-tasks__task"'): "the same list of Wagtail's workflow index",
}


# The same, on public pages: Swagger UI's markup on the API docs page (for app developers).
PUBLIC_ACCEPTED = {
    ("nested-interactive", 'class="opblock-summary-control"'): "Swagger UI (drf-spectacular-sidecar) puts each operation's "
    "path and copy button inside its expand/collapse <button>; its markup is rendered by its own script",
}


def accepted(violation, accepted_rules=ADMIN_ACCEPTED):
    rule, _impact, nodes = violation
    return all(any(rule == key[0] and key[1] in html for key in accepted_rules) for _target, html, _summary in nodes)


@pytest.fixture
def county():
    with override_settings(PUBLIC_BASE_URL=CRAWL_BASE, WAGTAILADMIN_BASE_URL=CRAWL_BASE,
                           SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER=""):
        yield build_crawl_county()


def public_sample(c):
    """One URL of every kind of public HTML page and of every template, per script (and as a member)."""
    sample = {}
    for role in ("anonymous", "member"):
        crawl = public_crawl(c, role, cap=1, check_links=False)
        for visit in crawl.result.visits:
            if visit.status != 200 or visit.content_type != "text/html" or visit.key[-1] == ("POST",):
                continue  # the signed-out page (a POST's answer) is checked by pressing the button
            kind = visit.key[:4] if visit.key[0] == "page" else visit.key[:3]
            language = "zh-hant" if visit.url.startswith("/zh-hant/") else "zh-hans"
            for name in (("kind", role if role == "member" else "", kind), ("template", language, visit.template)):
                sample.setdefault(name, (role, visit.url))
    return sorted(set(sample.values()))


# Waits for the short transitions (a message fading in, half a second); not for Wagtail's 25-second
# attention pulse on the "what's new" badge, which held every admin screen for the whole timeout.
SETTLE = """() => Promise.race([
  Promise.all(document.getAnimations()
    .filter(a => a.playState === "running" && a.effect && a.effect.getComputedTiming().endTime <= 2000)
    .map(a => a.finished.catch(() => null))),
  new Promise(resolve => setTimeout(resolve, 3000)),
])"""


def violations(axe, page, serious_only=False):
    # Colours are checked once animations (a message fading in) are over.
    page.evaluate(SETTLE)
    result = axe.run(page, options=WCAG_AA)
    found = []
    for violation in result.response["violations"]:
        if serious_only and violation.get("impact") not in SERIOUS:
            continue
        nodes = [(node["target"], node.get("html", "")[:160], (node.get("failureSummary") or "")[:200]) for node in violation["nodes"]][:3]
        found.append((violation["id"], violation.get("impact"), nodes))
    return found


def browser_context(browser, live_server, user):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    if user is not None:
        client = Client()
        client.force_login(user)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def public_failures(live_server, browser, county):
    """Every kind of public page and template in both scripts, WCAG 2.1 AA: no violation at all."""
    sample = public_sample(county)
    assert len(sample) > 30, sample
    axe = Axe()
    failures = {}
    contexts = {}
    for role, url in sample:
        if role not in contexts:
            contexts[role] = browser_context(browser, live_server, county.roles[role]).new_page()
        page = contexts[role]
        page.goto(live_server.url + url)
        found = [violation for violation in violations(axe, page) if not accepted(violation, PUBLIC_ACCEPTED)]
        if found:
            failures[f"{role} {url}"] = found
    # The signed-out page: the member presses 退出登录 in the header, in each script.
    for language in ("zh-hans", "zh-hant"):
        context = browser_context(browser, live_server, county.roles["member"])
        page = context.new_page()
        page.goto(f"{live_server.url}/{language}/")
        page.locator("form.logout-form button").click()
        page.wait_for_load_state()
        sample.append(("member", f"{page.url} (signed out)"))
        found = violations(axe, page)
        if found:
            failures[f"member {page.url} (signed out)"] = found
        context.close()
    for page in contexts.values():
        page.context.close()
    return failures, len(sample)


def admin_sample(c, role):
    user = c.roles[role]
    client = Client()
    client.force_login(user)
    urls = ["/admin/"]
    if role == "superuser":
        urls += sidebar_menu_urls(client.get("/admin/").content.decode())
    item = editable(user, DisclosureItemPage, locale__language_code="zh-hans")
    unit = editable(user, UnitPage, locale__language_code="zh-hans")
    if item is not None:
        urls += [reverse("wagtailadmin_pages:edit", args=[item.pk]), reverse("wagtailadmin_pages:history", args=[item.pk])]
    if unit is not None:
        urls.append(reverse("wagtailadmin_explore", args=[unit.pk]))
    if role == "superuser":
        urls += [reverse("wagtailsnippets_disclosure_pages_catalogueentry:edit", args=[c.entry.pk]), "/admin/reports/review-audit/"]
    return list(dict.fromkeys(urls))


def admin_failures(live_server, browser, county):
    """The admin sample of every role: no serious or critical violation but Wagtail's own, accepted above."""
    axe = Axe()
    failures = {}
    checked = 0
    for role in ROLES:
        context = browser_context(browser, live_server, county.roles[role])
        page = context.new_page()
        for url in admin_sample(county, role):
            page.goto(live_server.url + url)
            checked += 1
            found = [violation for violation in violations(axe, page, serious_only=True) if not accepted(violation)]
            messages = page.locator("ul.messages li, .messages li")
            if found and messages.count():
                found.append(("(messages shown)", "", [m.strip()[:120] for m in messages.all_inner_texts()]))
            if found:
                failures[f"{role} {url}"] = found
        context.close()
    return failures, checked


def test_every_kind_of_public_page_and_the_admin_screens_pass_axe(live_server, browser, county):
    # One test, so the crawl's county (a transactional database, flushed after each test) is built once.
    public, pages = public_failures(live_server, browser, county)
    admin, screens = admin_failures(live_server, browser, county)
    assert screens > 30 or ROLES != list(ADMIN_ROLES)
    assert public == {}, f"{len(public)} of {pages} public pages: {public}"
    assert admin == {}, f"{len(admin)} of {screens} admin screens: {admin}"
