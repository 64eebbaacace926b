"""The item editor's audience chooser in a real browser (issue 19): the officer searches for a
unit, picks it from the matches, saves, and the unit is the item's audience. A screenshot of
the chooser goes to test-artifacts/screenshots/ for a person to look at."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from disclosure_pages.choices import Scope
from tests.browser.test_workflow_browser import choose_action, log_in
from tests.factories import build_tree, make_item, make_user, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture
def county():
    t = build_tree()
    make_user("officer", reload(t.township).officers_group, first_name="李晓芸")
    t.item = make_item(t.township, "城关镇党委关于党员发展对象公示的通知", publish=False)
    return t


def test_the_officer_finds_a_unit_picks_it_and_saves_it_as_the_audience(live_server, page, county):
    log_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/admin/pages/{county.item.pk}/edit/")
    page.select_option("#id_scope", Scope.NAMED)

    search = page.get_by_role("combobox", name=re.compile("指定组织"))
    search.fill("東關")  # typed in Traditional, found in Simplified
    matches = page.get_by_role("listbox", name="搜索结果").first
    option = matches.get_by_role("option", name="东关村党支部（QX-CGZ-DGC）")
    expect(option).to_be_visible()
    expect(matches.get_by_role("option")).to_have_count(1)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("[data-controller='sunshine-audience']").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "audience-chooser-matches.png"))
    option.click()

    chosen = page.locator("#id_named_units-search").locator("xpath=ancestor::*[@data-controller='sunshine-audience']")
    expect(chosen.locator(".sunshine-audience__chosen-item")).to_have_text(re.compile("东关村党支部（QX-CGZ-DGC）"))
    page.screenshot(path=str(SHOTS / "audience-chooser-chosen.png"))

    choose_action(page, "保存草稿")
    expect(page.locator(".messages")).to_contain_text("已被更新")
    draft = reload(county.item).get_latest_revision_as_object()
    assert (draft.scope, [unit.pk for unit in draft.named_units.all()]) == (Scope.NAMED, [county.village1.pk])

    # Shown again as chosen after the save; removed with its button, and saved without it.
    expect(chosen.locator(".sunshine-audience__chosen-item")).to_have_text(re.compile("东关村党支部（QX-CGZ-DGC）"))
    chosen.get_by_role("button", name="移除“东关村党支部（QX-CGZ-DGC）”").click()
    expect(chosen.locator(".sunshine-audience__chosen-item")).to_have_count(0)
    page.select_option("#id_scope", Scope.PUBLIC)
    choose_action(page, "保存草稿")
    expect(page.locator(".messages")).to_contain_text("已被更新")
    assert list(reload(county.item).get_latest_revision_as_object().named_units.all()) == []
