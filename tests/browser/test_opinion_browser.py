"""Issue 17 in a real browser: a resident comments on a pre-disclosure item and gets a code; the
officer publishes, assigns and answers; an approver approves; the resident reads the answer with
the 查询码 and rates it; the public ledger's figures change."""

import re

import pytest
from playwright.sync_api import expect

from participation.models import Opinion
from participation.senders import OutboxSender
from tests.participation.helpers import build_people, last_code, outbox_senders

from .test_workflow_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OPINION = "建议在集贸市场东侧增设一处无障碍坡道，方便老人和轮椅通行。"
ANSWER = "您的建议已采纳：改造方案在东侧入口增设无障碍坡道，年底前完工。"
MOBILE = "13912345678"


@pytest.fixture
def county():
    return build_people()


def card(page, label):
    """The number on one of the ledger's figure cards."""
    text = page.locator(".figure-cards .card").filter(has=page.get_by_text(label, exact=True)).locator("dd").first.inner_text()
    return int(re.match(r"\d+", text).group())


def test_resident_officer_and_approver_close_the_loop(live_server, page, county):
    people = county.people
    ledger_url = f"{live_server.url}/zh-hans/opinions/?unit={county.township.pk}&period=all"
    page.goto(ledger_url)
    received_before, satisfied_rate_before = card(page, "受理"), page.locator(".figure-cards").inner_text()

    with outbox_senders():
        # The resident, on the item's page: the form, a code to the phone, the receipt.
        page.goto(live_server.url + county.pre_item.url)
        form = page.locator("form.opinion-form")
        form.get_by_label("意见内容").fill(OPINION)
        form.get_by_role("radio", name="手机号码").check()
        form.locator("#id_contact").fill(MOBILE)
        form.get_by_role("button", name="获取验证码").click()
        expect(page.get_by_text(re.compile("验证码已发送至"))).to_be_visible()
        assert OutboxSender.outbox[-1][0] == MOBILE
        page.locator("#id_code").fill(last_code(MOBILE))
        page.locator("form.opinion-form button.button-primary").click()
        expect(page.get_by_text("您的意见已受理，感谢您的参与。")).to_be_visible()
        tracking_code = page.locator(".tracking-code").inner_text().replace(" ", "")
        number = page.locator(".receipt-number").inner_text()
    opinion = Opinion.objects.get(number=number)
    assert opinion.contact == MOBILE and MOBILE not in page.content()

    # The officer: publish, assign, answer.
    log_in(page, live_server, people.officer.username)
    page.goto(f"{live_server.url}/admin/opinions/{opinion.pk}/")
    expect(page.get_by_text(OPINION)).to_be_visible()
    page.get_by_role("button", name="审查通过，公开").click()
    page.locator("summary", has_text="交办").click()
    page.locator("#id_assign-assignee").select_option(str(people.officer.pk))
    page.locator("details.opinion-step", has_text="交办").get_by_role("button", name="交办").click()
    expect(page.get_by_role("cell", name=re.compile("承办人：" + people.officer.username))).to_be_visible()
    page.locator("summary", has_text="撰写答复").click()
    page.locator("#id_answer-outcome").select_option("adopted")
    page.locator("#id_answer-body").fill(ANSWER)
    page.get_by_role("button", name="提交审核").click()
    expect(page.get_by_text("待本单位审核").first).to_be_visible()

    # The approver (a leading-group member who did not write it) approves.
    log_in(page, live_server, people.leader.username)
    page.goto(f"{live_server.url}/admin/opinions/answers/")
    page.get_by_role("link", name=re.compile(number)).first.click()
    page.get_by_role("button", name="审核通过答复").click()
    expect(page.get_by_text("已答复").first).to_be_visible()

    # The resident reads the answer with the code and rates it.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/zh-hans/opinions/track/")
    page.locator("#tracking-code").fill(tracking_code)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    page.locator("label[for=satisfaction-satisfied]").click()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_text("满意", exact=True).first).to_be_visible()
    assert MOBILE not in page.content()

    # The ledger counts it: one more received, answered and rated.
    page.goto(ledger_url)
    assert card(page, "受理") == received_before + 1
    assert "满意 1" in page.locator(".figure-cards").inner_text() and page.locator(".figure-cards").inner_text() != satisfied_rate_before
    expect(page.get_by_text(ANSWER[:20])).to_be_visible()
