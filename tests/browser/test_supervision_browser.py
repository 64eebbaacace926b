"""Issue 18 in a real browser: the county office sees a late township on the 督办台, opens what is
behind the count and chases it; the township's officer sees the chase and the obligation on the
dashboard; the township publishes the quarter's report; the board counts it as published late."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from disclosure_pages.models import UnitPage
from supervision import obligations
from supervision.models import Chase, SupervisionRules
from supervision.periods import add_months, quarter_of
from tests.factories import build_tree, make_item, make_user

from .test_workflow_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "请于5个工作日内公开上季度党费收缴使用情况。"


@pytest.fixture
def county():
    tree = build_tree()
    UnitPage.objects.update(first_published_at=timezone.make_aware(datetime.datetime(2020, 1, 1)))
    # Counted from last quarter, with no grace: its reports were due on its last day, so they are late today whatever the date.
    tree.quarter = quarter_of(add_months(quarter_of(timezone.localdate()).start, -3))
    SupervisionRules.objects.create(
        county=tree.county, tracking_start=tree.quarter.start, **{**SupervisionRules.defaults(), "periodic_grace_days": 0}
    )
    tree.number = (tree.quarter.start.month - 1) // 3 + 1
    tree.dues = tree.entries["党费收缴使用"]
    make_item(tree.township, f"城关镇{tree.quarter.start.year}年第{tree.number}季度党费收缴使用情况", catalogue_entry=tree.dues,
              publish_date=tree.quarter.end)
    obligations.rebuild(tree.county)
    tree.county_officer = make_user("qx_office", tree.county.officers_group, email="office@example.cn")
    tree.officer = make_user("sqz_officer", tree.township2.officers_group, email="sqz@example.cn")
    return tree


def cell(page, section, label):
    """The count in the board's row of ``section`` under the column ``label`` (0 when not a link)."""
    link = page.get_by_role("link", name=f"{section}{label} ", exact=False)
    return int(link.inner_text()) if link.count() else 0


def test_county_chases_a_late_township_which_publishes_and_the_board_updates(live_server, page, county):
    board = f"{live_server.url}/admin/supervision/board/?period=quarter&year={county.quarter.start.year}&n={county.number}"

    # The county office: 石桥镇 has missing obligations in the quarter; 城关镇 published its dues report on time.
    log_in(page, live_server, county.county_officer.username)
    page.goto(board)
    missing_before, late_before = cell(page, "石桥镇党委", "应公开未公开"), cell(page, "石桥镇党委", "逾期公开")
    assert missing_before >= 1
    page.get_by_role("link", name=re.compile("^石桥镇党委应公开未公开")).click()
    row = page.locator("tr", has_text="党费收缴使用")
    expect(row).to_contain_text("石桥镇党委")
    row.get_by_role("link", name="催办").click()

    # The chase: the dues obligation chosen, a message, sent to the township's officers.
    page.get_by_label("党费收缴使用").check()  # (what is missing comes checked)
    page.locator("textarea").first.fill(MESSAGE)
    page.get_by_role("button", name="发送催办").click()
    expect(page.get_by_text(re.compile("催办"))).not_to_have_count(0)
    chase = Chase.objects.get(unit=county.township2)
    assert chase.message == MESSAGE and chase.sent_by == county.county_officer
    assert [message.to for message in mail.outbox if MESSAGE in message.body] == [["sqz@example.cn"]]

    # The township's officer sees the chase and the obligation on the dashboard.
    log_in(page, live_server, county.officer.username)
    expect(page.get_by_role("heading", name=re.compile("本单位应公开"))).to_be_visible()
    expect(page.get_by_text("收到催办").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("党费收缴使用")

    # The township publishes the quarter's report (its approval is the workflow's own browser test).
    make_item(county.township2, f"石桥镇{county.quarter.start.year}年第{county.number}季度党费收缴使用情况",
              catalogue_entry=county.dues, publish_date=timezone.localdate())

    # The board: one missing fewer, one late more.
    log_in(page, live_server, county.county_officer.username)
    page.goto(board)
    assert cell(page, "石桥镇党委", "应公开未公开") == missing_before - 1
    assert cell(page, "石桥镇党委", "逾期公开") == late_before + 1
