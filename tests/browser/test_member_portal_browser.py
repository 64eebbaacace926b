"""On a phone and a desktop (issue 14): search facets collapsed above the results on a phone and
open beside them on a desktop; a member signs in and out on the portal. Screenshots of the pages
go to test-artifacts/screenshots/ for a person to look at."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from disclosure_pages.models import UnitPage
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_county():
    call_command("seed_demo", townships=1, villages_per_township=1, departments=1, items_per_unit=4, seed=11, quiet=True)


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_search(browser, live_server, viewport, name):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/zh-hans/search/?" + urlencode({"q": "党员"}))
    shot(page, name)
    return context, page


def test_on_a_phone_the_facets_are_collapsed_above_the_results(live_server, browser, demo_county):
    context, page = open_search(browser, live_server, PHONE, "search-phone")
    summary = page.locator(".facets-panel > summary")
    results = page.locator("#results-heading")
    assert summary.is_visible()
    assert summary.bounding_box()["y"] < results.bounding_box()["y"], "the facets come before the results"
    first_option = page.locator(".search-facets .facet a").first
    assert not first_option.is_visible(), "collapsed until asked for"
    summary.click()
    assert first_option.is_visible()
    shot(page, "search-phone-facets-open")
    context.close()


def test_on_a_desktop_the_facets_are_open_beside_the_results(live_server, browser, demo_county):
    context, page = open_search(browser, live_server, DESKTOP, "search-desktop")
    assert not page.locator(".facets-panel > summary").is_visible()
    option = page.locator(".search-facets .facet a").first
    assert option.is_visible()
    facets, results = page.locator(".search-facets").bounding_box(), page.locator(".search-results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"], "a column to the left of the results"
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_member_signs_in_and_out_on_the_portal(live_server, browser, demo_county, viewport):
    unit = UnitPage.objects.filter(unit_type__in=["village", "community"]).first()
    make_user("dgc-member", Group.objects.get(pk=unit.members_group_id))
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    size = "phone" if viewport is PHONE else "desktop"
    page.goto(live_server.url + "/zh-hans/")
    page.get_by_role("link", name="党员登录").click()
    assert page.get_by_role("heading", level=1).inner_text() == "党员登录"
    page.get_by_label("用户名").fill("dgc-member")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录", exact=True).click()
    assert "用户名或密码不正确" in page.get_by_role("alert").inner_text()
    shot(page, f"login-error-{size}")
    page.get_by_label("密码").fill("pw-dgc-member")
    page.get_by_role("button", name="登录", exact=True).click()
    assert page.url == live_server.url + "/zh-hans/"
    shot(page, f"signed-in-{size}")
    page.get_by_role("button", name="退出登录").click()
    assert page.get_by_role("heading", level=1).inner_text() == "已退出登录"
    shot(page, f"signed-out-{size}")
    assert page.get_by_role("link", name="党员登录").is_visible()
    page.goto(live_server.url + "/zh-hans/feeds/")
    shot(page, f"feeds-{size}")
    page.goto(live_server.url + "/zh-hant/feeds/")
    shot(page, f"feeds-hant-{size}")
    context.close()
