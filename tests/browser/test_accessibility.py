"""WCAG 2.1 AA on every kind of public page, in normal and elder-friendly mode, and reflow."""

from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from disclosure_pages.models import DisclosureItemPage, PortalPage, PowerListPage, UnitPage

pytestmark = [pytest.mark.browser, pytest.mark.engine_neutral, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def public_urls():
    call_command(
        "seed_demo", townships=1, villages_per_township=1, departments=1, items_per_unit=4, seed=11, quiet=True
    )
    portal = PortalPage.objects.get()
    item = DisclosureItemPage.objects.live().filter(scope="public", previous_stage__isnull=False).first()
    item = item or DisclosureItemPage.objects.live().filter(scope="public").first()
    entry_id = item.catalogue_entry_id
    from wagtail.models import Locale

    from script_variants.sync import sync_variant

    variant = sync_variant(item)  # the demo's variants are otherwise made in the background
    hant_portal = portal.get_translation(Locale.objects.get(language_code="zh-hant"))
    return {
        "portal (繁體)": hant_portal.url,
        "item (繁體)": variant.url,
        "portal": portal.url,
        "unit directory": portal.url + portal.reverse_subpage("units"),
        "catalogue": portal.url + portal.reverse_subpage("catalogue"),
        "catalogue entry": portal.url + portal.reverse_subpage("catalogue_entry", args=[item.catalogue_entry.translation_key]),
        "unit": UnitPage.objects.filter(unit_type="township").first().url,
        "item": item.url,
        "print notice": item.url + "print/",
        "power list": PowerListPage.objects.live().first().url,
        "search results": "/zh-hans/search/?" + urlencode({"q": "党员"}),
        "search results (繁體)": "/zh-hant/search/?" + urlencode({"q": "黨員"}),
        "search, nothing found": "/zh-hans/search/?" + urlencode({"q": "没有这个词"}),
        "search start": "/zh-hans/search/",
        "feed directory": portal.url + portal.reverse_subpage("feeds"),
        "feed directory (繁體)": hant_portal.url + "feeds/",
        "member sign-in": "/zh-hans/account/login/",
        "member sign-in (繁體)": "/zh-hant/account/login/",
    }


@pytest.mark.parametrize("elder_mode", [False, True], ids=["normal", "elder-mode"])
def test_public_pages_have_no_wcag_aa_violations(live_server, browser, public_urls, elder_mode):
    context = browser.new_context()
    if elder_mode:
        context.add_cookies([{"name": "elder_mode", "value": "1", "url": live_server.url}])
    page = context.new_page()
    axe = Axe()
    failures = {}
    for name, url in public_urls.items():
        page.goto(live_server.url + url)
        result = axe.run(page, options=WCAG_AA)
        if result.violations_count:
            failures[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result.response["violations"]]
    context.close()
    assert failures == {}


def test_pages_reflow_on_a_phone_without_horizontal_scrolling(live_server, browser, public_urls):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    too_wide = {}
    for name, url in public_urls.items():
        if name == "print notice":
            continue  # an A4 sheet by design
        page.goto(live_server.url + url)
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > 360:
            too_wide[name] = scroll_width
    context.close()
    assert too_wide == {}
