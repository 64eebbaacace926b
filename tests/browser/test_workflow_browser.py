"""The review workflow in a real browser: officer submits → unit approves → county approves → it is live."""

import re

import pytest
from playwright.sync_api import expect

from disclosure_pages.models import DisclosureItemPage
from tests.factories import build_tree, make_user, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "城关镇党委关于调整领导班子成员分工的通知"


@pytest.fixture
def county():
    t = build_tree()
    township, county = reload(t.township), reload(t.county)
    make_user("officer", township.officers_group, first_name="李晓芸")
    make_user("approver", township.leading_group, first_name="杨建华")
    make_user("reviewer", county.leading_group, first_name="赵明远")
    return t


def log_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/$"))


def choose_action(page, name):
    """Pick an action from the editor's footer menu (the main button or its dropdown)."""
    action = page.locator("footer").get_by_role("button", name=name, exact=True)
    if not action.is_visible():
        page.locator("footer").get_by_role("button", name=re.compile("更多|More")).click()
    action.click()


def approve_in_dialog(page, item_title):
    """On the dashboard's 待我审核, open the item and approve it in Wagtail's action dialog."""
    panel = page.locator("#sunshine-awaiting-my-review-section")
    panel.get_by_role("row").filter(has_text=item_title).get_by_role("link", name="审核", exact=True).click()
    choose_action(page, "审核通过")
    dialog = page.locator(".modal-dialog")
    dialog.get_by_label(re.compile("保密审查")).check()
    dialog.get_by_role("button", name="审核通过").click()


def test_officer_submits_unit_and_county_approve_and_the_item_goes_live(live_server, page, county):
    log_in(page, live_server, "officer")
    page.goto(f"{live_server.url}/admin/pages/add/disclosure_pages/disclosureitempage/{county.township.pk}/")
    page.fill("#id_title", TITLE)
    page.fill("#id_summary", "因人事变动，对党委领导班子成员分工作相应调整。")
    page.select_option("#id_importance", "important")
    choose_action(page, re.compile("^提交"))
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    item = DisclosureItemPage.objects.get(title=TITLE)
    assert item.current_workflow_state is not None and not item.live

    log_in(page, live_server, "approver")
    approve_in_dialog(page, TITLE)
    expect(page.locator(".messages")).to_contain_text("您已在“本单位审核”环节审核通过")
    expect(page.locator(".messages")).to_contain_text("事项当前处于“县级审核”环节")
    assert not reload(item).live

    log_in(page, live_server, "reviewer")
    assert "重要事项" in page.locator("#sunshine-awaiting-my-review-section").inner_text()
    approve_in_dialog(page, TITLE)
    # The last approval publishes, indexes and fans out alerts: over the default 5 s on a loaded machine.
    expect(page.locator(".messages")).to_contain_text("事项已发布", timeout=30_000)

    item = reload(item)
    assert item.live
    page.context.clear_cookies()
    page.goto(live_server.url + item.url)
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    record = page.locator(".approval-record").inner_text()
    assert "城关镇党委领导小组" in record and "青溪县委党务公开领导小组办公室" in record
