"""A resident's path through the portal in a real browser: portal → unit tree → item."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from disclosure_pages.models import DisclosureItemPage, UnitPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_county():
    call_command(
        "seed_demo", townships=2, villages_per_township=1, departments=1, items_per_unit=3, seed=5, skip_index=True, quiet=True
    )


def test_resident_goes_from_portal_through_unit_tree_to_an_item(live_server, page, demo_county):
    township = UnitPage.objects.filter(unit_type="township").order_by("path").first()
    public_items = DisclosureItemPage.objects.child_of(township).live().filter(scope="public")
    assert public_items.exists()

    page.goto(live_server.url + "/zh-hans/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="单位导航").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("单位导航")

    page.get_by_role("link", name=township.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(township.title)

    listed = page.locator(".unit-main .item-list a")
    titles = listed.all_inner_texts()
    assert titles, "the unit page lists its items"
    page.get_by_role("link", name=titles[0], exact=True).first.click()
    # The click does not wait for the item's page; reading its table before it arrives reads nothing.
    expect(page.locator("table.metadata")).to_be_visible()

    metadata = {
        row_header.inner_text(): row_header.locator("xpath=following-sibling::td[1]").inner_text()
        for row_header in page.locator("table.metadata th").all()
    }
    item = DisclosureItemPage.objects.get(title=page.get_by_role("heading", level=1).inner_text())
    assert metadata["索引号"] == item.index_number
    assert re.fullmatch(r"[A-Z0-9-]+/\d{4}-\d{5}", metadata["索引号"])
    assert metadata["发布机构"] == township.title
    assert metadata["公开范围"] == "向社会公开"
    for label in ("成文日期", "发布日期", "文号", "有效性", "所属目录"):
        assert label in metadata


def test_elder_mode_persists_across_pages_and_works_from_the_keyboard(live_server, page, demo_county):
    page.goto(live_server.url + "/zh-hans/")
    font_size_before = page.evaluate("getComputedStyle(document.documentElement).fontSize")

    toggle = page.get_by_role("link", name="长者模式")
    toggle.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert "elder-mode" in (page.locator("html").get_attribute("class") or "")
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") != font_size_before

    page.get_by_role("link", name="公开目录").first.click()
    assert "elder-mode" in (page.locator("html").get_attribute("class") or "")
    assert page.get_by_role("link", name="退出长者模式").is_visible()


def test_skip_link_is_first_in_keyboard_order(live_server, page, demo_county):
    page.goto(live_server.url + "/zh-hans/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"


def test_switching_scripts_on_an_item_lands_on_the_same_item(live_server, page, demo_county):
    from disclosure_pages.models import DisclosureItemPage as Item
    from script_variants.sync import sync_variant

    item = Item.objects.filter(locale__language_code="zh-hans", scope="public").live().first()
    sync_variant(item)  # the demo's variants are made in the background by make run
    page.goto(live_server.url + item.url)
    page.get_by_role("link", name="繁體").click()
    from wagtail.models import Locale

    variant = item.get_translation(Locale.objects.get(language_code="zh-hant"))
    assert page.url.endswith(variant.url)
    assert page.get_by_role("heading", level=1).inner_text() == variant.title
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    metadata_index = page.locator("table.metadata td").first.inner_text()
    assert metadata_index == item.index_number
    assert page.get_by_role("navigation", name="主導航").is_visible()

    page.get_by_role("link", name="简体").click()
    assert page.url.endswith(item.url)
    assert page.get_by_role("heading", level=1).inner_text() == item.title
