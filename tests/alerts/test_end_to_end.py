"""A resident subscribes on a township's page, confirms from the mail a local SMTP server received,
and receives the alert of an item published through the review workflow — once, in their script."""

import pytest
from django.test import Client

from alerts.models import Delivery, DeliveryStatus, Subscription
from disclosure_pages.models import DisclosureItemPage
from tests.factories import make_item, reload
from tests.workflows.helpers import approve, submit_new_item

from .helpers import SmtpServer, html_of, link_to, links_in, new_client, path_of, subscribe, text_of

pytestmark = pytest.mark.django_db


def publish_through_workflow(county, unit, title, **fields):
    """An officer of the township submits, its leading group approves: the item goes live."""
    officer, approver = Client(), Client()
    officer.force_login(county.people["officer"])
    approver.force_login(county.people["approver"])
    item = submit_new_item(officer, unit, title=title, **fields)
    payload, _shown = approve(approver, item, comment="同意公开")
    assert payload["step"] == "success", payload
    item = reload(item)
    assert item.live
    return item


def confirm_from_mail(mailbox, address, client):
    [mail] = mailbox.to(address)
    assert "请确认订阅" in str(mail["Subject"])
    link = link_to(text_of(mail), "confirm")
    # Opening the link (as a mail scanner does) asks; only the button confirms.
    asked = client.get(link).content.decode()
    assert "请确认由" in asked and "您的订阅已确认" not in asked
    confirmed_before = Subscription.objects.filter(subscriber__address=address, confirmed_at__isnull=False).count()
    response = client.post(link)
    assert response.status_code == 200
    assert "您的订阅已确认" in response.content.decode()
    assert Subscription.objects.filter(subscriber__address=address, confirmed_at__isnull=False).count() == confirmed_before + 1
    mailbox.messages.clear()
    return response


def test_subscribe_confirm_publish_and_the_alert_arrives_once_with_its_link_and_index_number(
    county, django_capture_on_commit_callbacks
):
    resident, address = new_client(), "resident@example.cn"
    with SmtpServer() as mailbox:
        # On the township's page: the subscribe panel, its form posting to the subscribe page.
        page = resident.get(county.township.url).content.decode()
        assert "订阅提醒" in page and f"/zh-hans/alerts/subscribe/?page={county.township.pk}" in page
        response = subscribe(resident, county.township, address, with_sub_units=True)
        assert response.status_code == 200
        assert "确认邮件已发送至 r***@example.cn" in response.content.decode()
        confirm_from_mail(mailbox, address, resident)
        # A second subscription of the same address that the item also matches: its catalogue entry.
        subscribe(resident, county.entries["党费收缴使用"], address, with_sub_units=False, entry=True)
        confirm_from_mail(mailbox, address, resident)

        with django_capture_on_commit_callbacks(execute=True):
            item = publish_through_workflow(
                county, county.township, "城关镇2024年第一季度党费收缴使用情况公示",
                catalogue_entry=str(county.entries["党费收缴使用"].pk),
            )

        alerts = mailbox.to(address)
        assert len(alerts) == 1, [str(m["Subject"]) for m in alerts]  # two subscriptions match: one message
        [alert] = alerts
        assert str(alert["Subject"]).strip() == "【阳光党务】中共城关镇委员会：城关镇2024年第一季度党费收缴使用情况公示"
        text, html = text_of(alert), html_of(alert)
        assert item.index_number and f"索引号：{item.index_number}" in text
        assert item.index_number in html
        item_url = "http://testserver" + item.url
        assert item_url in links_in(text) and f'href="{item_url}"' in html
        # The link leads to the item, as anyone reads it.
        assert item.title in Client().get(path_of(item_url)).content.decode()
        # Every message can be left in one click, from its text and from its headers.
        unsubscribe = link_to(text, "unsubscribe")
        assert str(alert["List-Unsubscribe"]).strip() == f"<http://testserver{unsubscribe}>"
        assert str(alert["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
        assert Delivery.objects.get(subscriber__address=address).status == DeliveryStatus.SENT

        # Its Traditional variant's publication (the variant sync) and a republication send nothing more.
        mailbox.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            draft = item.get_latest_revision_as_object()
            draft.summary = "修订摘要"
            draft.save_revision().publish()
        assert mailbox.to(address) == []


def test_a_traditional_subscriber_gets_traditional_text_and_links(county, django_capture_on_commit_callbacks):
    resident, address = new_client(), "hant@example.cn"
    with SmtpServer() as mailbox:
        subscribe(resident, county.township, address, language="zh-hant")
        [mail] = mailbox.to(address)
        assert "請確認訂閱" in str(mail["Subject"])
        confirm_path = link_to(text_of(mail), "confirm")
        assert confirm_path.startswith("/zh-hant/alerts/confirm/")
        assert "您的訂閱已確認" in resident.post(confirm_path).content.decode()
        mailbox.messages.clear()

        with django_capture_on_commit_callbacks(execute=True):
            item = make_item(county.village1, "东关村2024年村务公开")

        [alert] = mailbox.to(address)
        text = text_of(alert)
        assert "東關村2024年村務公開" in text and "东关村" not in text
        assert "發布了新的公開信息" in text or "發佈了新的公開信息" in text
        assert "索引號" in text
        variant = DisclosureItemPage.objects.get(translation_key=item.translation_key, locale__language_code="zh-hant")
        assert "http://testserver" + variant.url in links_in(text)
        assert link_to(text, "manage").startswith("/zh-hant/alerts/manage/")
