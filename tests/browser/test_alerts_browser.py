"""Issue 21 in a real browser: a resident subscribes on a township's page, confirms from the mail a
local SMTP server received, and receives the alert of an item the township's officer submitted and
its leading group approved; the alert's link opens the item."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tests.alerts.helpers import SmtpServer, build_county, links_in, text_of
from tests.alerts.test_end_to_end import publish_through_workflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "resident@example.cn"
TITLE = "城关镇2024年第三季度党费收缴使用情况公示"


def only_mail(mailbox):
    [mail] = mailbox.to(ADDRESS)
    mailbox.messages.clear()
    return mail


def test_resident_subscribes_on_the_township_page_confirms_from_the_mail_and_gets_the_alert(live_server, page):
    county = build_county()
    with SmtpServer() as mailbox, override_settings(PUBLIC_BASE_URL=live_server.url):
        page.goto(live_server.url + county.township.url)
        panel = page.get_by_role("region", name="订阅提醒")
        panel.get_by_label("电子邮箱或手机号码").fill(ADDRESS)
        panel.get_by_label("即时提醒").check()
        panel.get_by_role("button", name="订阅").click()
        expect(page.get_by_text("确认邮件已发送至 r***@example.cn")).to_be_visible()

        confirmation = only_mail(mailbox)
        assert "请确认订阅" in str(confirmation["Subject"])
        [confirm_link] = [url for url in links_in(text_of(confirmation)) if "/alerts/confirm/" in url]
        page.goto(confirm_link)
        page.get_by_role("button", name="确认订阅").click()
        expect(page.get_by_text("您的订阅已确认")).to_be_visible()

        publish_through_workflow(county, county.township, TITLE)
        alert = only_mail(mailbox)
        assert TITLE in str(alert["Subject"])
        [item_link] = [url for url in links_in(text_of(alert)) if "/alerts/" not in url and url.startswith(live_server.url + "/zh-hans/")]
        page.goto(item_link)
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
