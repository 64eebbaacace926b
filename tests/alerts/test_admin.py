"""The county office's 订阅提醒 report (counts, masked addresses, refusals, the audit log) and
``manage.py check_alert_delivery`` against a local SMTP server whose mailbox the check reads."""

import io
import json
import logging
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import PageLogEntry

from alerts.admin_views import VIEWED
from alerts.models import Delivery, DeliveryCheck, DeliveryStatus, Subscriber

from .helpers import SmtpServer, confirmed

pytestmark = pytest.mark.django_db

OVERVIEW = "/admin/reports/alerts/"
CHECK_JSON = "/admin/reports/alerts/check.json"
CHECK_ADDRESS = "alert-check@county.example"


def client_of(user):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def subscribers(county):
    """Three confirmed subscribers of 城关镇 (two with its villages, one without), one of a catalogue
    entry, a suspended one, and deliveries of the last week and of three weeks ago."""
    with_villages = [confirmed(county.township, f"resident{n}@example.cn") for n in (1, 2)]
    only_township = confirmed(county.township, "13912345678", kind="mobile", with_sub_units=False)
    entry = county.entries["发展党员"]
    confirmed(entry, "reader@example.cn")
    bounced = confirmed(county.township2, "bounced.person@mail.example.cn")
    Subscriber.objects.filter(pk=bounced.pk).update(suspended=True, failure_count=5)
    from tests.factories import make_item

    items = [make_item(county.township, "城关镇2024年党费收缴情况"), make_item(county.township, "城关镇2023年党费收缴情况")]
    now = timezone.now()
    for subscriber, status, age, item in [
        (with_villages[0], DeliveryStatus.SENT, 1, items[0]), (with_villages[1], DeliveryStatus.FAILED, 2, items[0]),
        (only_township, DeliveryStatus.WITHHELD, 3, items[0]), (with_villages[0], DeliveryStatus.PENDING, 0, items[1]),
        (only_township, DeliveryStatus.SENT, 20, items[1]),
    ]:
        delivery = Delivery.objects.create(
            subscriber=subscriber, item=item, item_key=item.translation_key, frequency="immediate", status=status,
        )
        Delivery.objects.filter(pk=delivery.pk).update(created_at=now - timedelta(days=age))
    return {"entry": entry, "bounced": bounced}


def table_rows(html, table_id):
    table = html[html.index(f'id="{table_id}"'):]
    table = table[: table.index("</table>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL) if "<td" in row
    ]


# -- the report ---------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "county_officer", "reviewer"])
def test_the_county_office_sees_the_counts_and_the_masked_addresses(county, subscribers, who):
    user = county.people[who]
    response = client_of(user).get(OVERVIEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert table_rows(html, "alerts-unit-table") == [["中共城关镇委员会", "2", "1"]]
    assert table_rows(html, "alerts-entry-table") == [[subscribers["entry"].name, "1"]]
    assert table_rows(html, "alerts-outcome-table") == [
        ["已发送", "1", "2"], ["发送失败", "1", "1"], ["不再公开", "1", "1"], ["待发送", "1", "1"],
    ]
    assert table_rows(html, "alerts-suspended-table") == [["b***@mail.example.cn", "电子邮箱", "5"]]
    assert "<svg" in html and "alerts-outcomes" in html and "alerts-units" in html
    # No address in full, of anyone.
    for address in ("bounced.person@", "resident1@", "13912345678", "reader@"):
        assert address not in html
    assert json.loads(html[html.index('id="alerts-check-status">') + 25: html.index("</pre>")].replace("&quot;", '"')) == {"status": "off"}

    entry = PageLogEntry.objects.get(action=VIEWED)
    assert (entry.user, entry.page_id, entry.data["shown"], entry.data["path"]) == (
        user, county.county.pk, [subscribers["bounced"].pk], OVERVIEW)


def test_the_suspended_subscriber_counts_in_no_unit(county, subscribers):
    html = client_of(county.people["admin"]).get(OVERVIEW).content.decode()
    # The suspended subscriber of 石桥镇 is not sent anything: not counted as a subscriber.
    assert table_rows(html, "alerts-unit-table") == [["中共城关镇委员会", "2", "1"]]
    assert "已确认且未暂停发送的订阅人共 4 个" in html


@pytest.mark.parametrize("who", ["officer", "approver", "officer2", "approver_b", None])
def test_unit_people_and_strangers_are_refused_and_nothing_is_logged(county, subscribers, who):
    client = client_of(county.people[who] if who else None)
    for url in (OVERVIEW, CHECK_JSON):
        response = client.get(url)
        assert response.status_code in (302, 403)
        body = response.content.decode()
        assert "b***@" not in body and "中共城关镇委员会" not in body and "status" not in body
    assert not PageLogEntry.objects.filter(action=VIEWED).exists()


def test_the_menu_item_is_shown_to_the_county_office_only(county):
    assert "/admin/reports/alerts/" in client_of(county.people["county_officer"]).get("/admin/").content.decode()
    assert "/admin/reports/alerts/" not in client_of(county.people["officer"]).get("/admin/").content.decode()


def test_the_audit_log_names_the_view(county, subscribers):
    client_of(county.people["admin"]).get(OVERVIEW)
    history = client_of(county.people["admin"]).get("/admin/reports/site-history/").content.decode()
    assert "查看订阅人数据" in history


# -- the delivery check ------------------------------------------------------------------------


class ServerMailbox:
    """The test double of the check mailbox: the local SMTP server's received messages."""

    server = None

    def received(self, token):
        return any(token in message["Subject"] for message in self.server.to(CHECK_ADDRESS))


CHECK_SETTINGS = {
    "SUNSHINE_ALERTS_CHECK_ADDRESS": CHECK_ADDRESS,
    "SUNSHINE_ALERTS_CHECK_MAILBOX": {"CLASS": "tests.alerts.test_admin.ServerMailbox", "OPTIONS": {}},
}


def check(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_alert_delivery", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue() + err.getvalue() + str(error)
    return 0, out.getvalue()


def test_without_a_check_address_the_check_does_nothing(db):
    assert check() == (0, "未设置 SUNSHINE_ALERTS_CHECK_ADDRESS，不做送达检查。\n")
    assert not DeliveryCheck.objects.exists()


@override_settings(**CHECK_SETTINGS)
def test_a_check_sent_through_smtp_and_found_in_the_mailbox_is_ok(county):
    with SmtpServer() as server:
        ServerMailbox.server = server
        code, output = check()
        assert code == 0 and "已发出检查邮件" in output
        sent = DeliveryCheck.objects.get()
        [message] = server.to(CHECK_ADDRESS)
        assert sent.token in message["Subject"] and sent.status == DeliveryCheck.Status.WAITING

        code, output = check("--verify")
    assert code == 0 and "送达检查状态：ok" in output
    sent.refresh_from_db()
    assert sent.status == DeliveryCheck.Status.ARRIVED and DeliveryCheck.objects.count() == 1
    response = client_of(county.people["admin"]).get(CHECK_JSON)
    assert response.status_code == 200 and response.json()["status"] == "ok"


@override_settings(**CHECK_SETTINGS)
def test_a_check_not_arrived_in_15_minutes_is_flagged(county, caplog):
    with SmtpServer() as server:
        ServerMailbox.server = server
        sent_at = timezone.now()
        check()
        server.messages.clear()  # lost on the way: the mailbox never got it
        with mock.patch("django.utils.timezone.now", return_value=sent_at + timedelta(minutes=10)):
            assert check("--verify")[0] == 0  # not late yet
        assert DeliveryCheck.objects.get().status == DeliveryCheck.Status.WAITING
        with caplog.at_level(logging.ERROR, logger="alerts.checks"), \
                mock.patch("django.utils.timezone.now", return_value=sent_at + timedelta(minutes=15, seconds=1)):
            code, output = check()
    assert code == 1 and "1 封检查邮件未在规定时间内送达" in output and "failing" in output
    [record] = [record for record in caplog.records if record.name == "alerts.checks"]
    assert record.levelname == "ERROR" and "did not arrive within 15 minutes" in record.getMessage()
    assert list(DeliveryCheck.objects.order_by("sent_at").values_list("status", flat=True)) == ["missing", "waiting"]
    response = client_of(county.people["county_officer"]).get(CHECK_JSON)
    assert response.status_code == 503 and response.json()["status"] == "failing"
    assert "&quot;status&quot;: &quot;failing&quot;" in client_of(county.people["admin"]).get(OVERVIEW).content.decode()


@override_settings(**CHECK_SETTINGS)
def test_a_check_the_server_refuses_is_flagged_at_once(county, caplog):
    with SmtpServer() as server:
        server.refuse[CHECK_ADDRESS] = "550 5.1.1 No such user"
        ServerMailbox.server = server
        with caplog.at_level(logging.ERROR, logger="alerts.checks"):
            code, output = check()
    assert code == 1 and "检查邮件发送失败" in output and "550" in output
    assert DeliveryCheck.objects.get().status == DeliveryCheck.Status.SEND_FAILED
    [record] = [record for record in caplog.records if record.name == "alerts.checks"]
    assert record.levelname == "ERROR" and "could not be sent" in record.getMessage()


@override_settings(SUNSHINE_ALERTS_CHECK_ADDRESS=CHECK_ADDRESS, SUNSHINE_ALERTS_CHECK_MAILBOX={
    "CLASS": "alerts.checks.ImapMailbox", "OPTIONS": {"host": "127.0.0.1", "port": 1, "ssl": False, "timeout": 2}})
def test_a_mailbox_that_cannot_be_read_is_flagged(county, caplog):
    DeliveryCheck.objects.create(token="0" * 32, sent_at=timezone.now())
    with caplog.at_level(logging.ERROR, logger="alerts.checks"):
        code, output = check("--verify")
    assert code == 1 and "无法读取检查邮箱" in output
    [record] = [record for record in caplog.records if record.name == "alerts.checks"]
    assert record.levelname == "ERROR" and "could not be read" in record.getMessage()
