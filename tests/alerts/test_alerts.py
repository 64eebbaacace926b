"""What is sent, to whom, how often — and what never is (the test double sender records messages)."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from alerts import fanout, links, subscribing
from alerts.models import Delivery, DeliveryStatus, Frequency, Subscriber, Subscription
from disclosure_pages.choices import Scope, Stage, Takedown
from tests.factories import make_item, make_member

from .helpers import confirmed, link_to, new_client, outbox_senders, sent_to, subscribe

pytestmark = pytest.mark.django_db


# -- what is sent -----------------------------------------------------------------------------


def test_a_unit_with_its_sub_units_an_entry_and_an_item_each_match(county, outbox, publish):
    with_villages = confirmed(county.township, "a@example.cn")
    township_only = confirmed(county.township, "b@example.cn", with_sub_units=False)
    by_entry = confirmed(county.entries["发展党员"], "c@example.cn")
    other_township = confirmed(county.township2, "d@example.cn")
    publish(county.village1, "东关村发展党员公示", catalogue_entry=county.entries["发展党员"])
    assert [len(sent_to(s.address)) for s in (with_villages, township_only, by_entry, other_township)] == [1, 0, 1, 0]

    pre = publish(county.township2, "石桥镇集贸市场改造方案（预公开）", stage=Stage.PRE_DISCLOSURE)
    follower = confirmed(pre, "e@example.cn")
    outbox.clear()
    publish(county.township2, "石桥镇集贸市场改造决定", stage=Stage.DECISION, previous_stage=pre)
    assert len(sent_to(follower.address)) == 1
    assert "石桥镇集贸市场改造决定" in sent_to(follower.address)[0].text


def test_each_item_once_however_many_subscriptions_match(county, outbox, publish):
    subscriber = confirmed(county.county, "many@example.cn")
    confirmed(county.township, "many@example.cn")
    confirmed(county.entries["党费收缴使用"], "many@example.cn")
    item = publish(county.village2, "西关村党费收缴使用情况", catalogue_entry=county.entries["党费收缴使用"])
    assert len(sent_to(subscriber.address)) == 1
    assert Delivery.objects.filter(subscriber=subscriber, item_key=item.translation_key).count() == 1
    # The fan-out run again (a retried task) writes and sends nothing more.
    fanout.fan_out({item.translation_key})
    fanout.send_immediate()
    assert len(sent_to(subscriber.address)) == 1


def test_drafts_and_members_only_items_are_never_sent(county, outbox, publish):
    subscriber = confirmed(county.county, "all@example.cn")
    publish(county.township, "城关镇党委会议纪要（草稿）", publish=False)
    publish(county.township, "城关镇党员发展对象名单（党内）", scope=Scope.UNIT_MEMBERS)
    publish(county.township, "全县党员大会决议（党员可见）", scope=Scope.ALL_MEMBERS)
    assert sent_to(subscriber.address) == []
    assert not Delivery.objects.filter(subscriber=subscriber).exists()


def test_an_item_no_longer_public_when_its_turn_comes_is_withheld(county, outbox, publish):
    subscriber = confirmed(county.township, "daily@example.cn", frequency=Frequency.DAILY)
    item = publish(county.township, "城关镇2024年工作要点")
    delivery = Delivery.objects.get(subscriber=subscriber)
    assert delivery.status == DeliveryStatus.PENDING
    # Narrowed to the unit's members before the digest went out.
    draft = item.get_latest_revision_as_object()
    draft.scope = Scope.UNIT_MEMBERS
    draft.save_revision().publish()
    assert fanout.send_digests(Frequency.DAILY) == 0
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.WITHHELD
    assert sent_to(subscriber.address) == []


def test_unconfirmed_and_suspended_addresses_get_nothing(county, outbox, publish):
    subscribing.subscribe("email", "unconfirmed@example.cn", county.township, Frequency.IMMEDIATE, "zh-hans")
    suspended = confirmed(county.township, "bounces@example.cn")
    Subscriber.objects.filter(pk=suspended.pk).update(suspended=True)
    outbox.clear()
    publish(county.township, "城关镇2024年第二季度党费收缴情况")
    assert sent_to("unconfirmed@example.cn") == [] and sent_to("bounces@example.cn") == []


def test_repeated_failures_suspend_an_address_and_confirming_again_lifts_it(county, publish):
    failing = {"email": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {"fail": True}}}
    with outbox_senders():
        subscriber = confirmed(county.township, "gone@example.cn")
    # One try each: every message is given up at once (retries: test_delivery.py).
    with override_settings(SUNSHINE_ALERTS_SENDERS=failing, SUNSHINE_ALERTS_SUSPEND_AFTER_FAILURES=2, SUNSHINE_ALERTS_MAX_ATTEMPTS=1):
        publish(county.township, "城关镇公告一")
        subscriber.refresh_from_db()
        assert (subscriber.failure_count, subscriber.suspended) == (1, False)
        publish(county.township, "城关镇公告二")
        subscriber.refresh_from_db()
        assert subscriber.suspended
    failed = Delivery.objects.filter(subscriber=subscriber)
    assert {(d.status, d.attempts) for d in failed} == {(DeliveryStatus.FAILED, 1)}
    assert all("fail" in d.error for d in failed)
    subscribing.confirm(subscriber, [])
    subscriber.refresh_from_db()
    assert (subscriber.suspended, subscriber.failure_count) == (False, 0)


# -- digests ----------------------------------------------------------------------------------


def test_a_digest_groups_by_unit_and_entry_newest_first_and_never_repeats(county, outbox, publish):
    subscriber = confirmed(county.township, "digest@example.cn", frequency=Frequency.DAILY)
    entry = county.entries["党费收缴使用"]
    publish(county.village1, "东关村第一季度党费", catalogue_entry=entry, publish_date=timezone.localdate() - timedelta(days=3))
    publish(county.township, "城关镇工作要点", publish_date=timezone.localdate() - timedelta(days=2))
    publish(county.village1, "东关村第二季度党费", catalogue_entry=entry, publish_date=timezone.localdate() - timedelta(days=1))
    assert sent_to(subscriber.address) == []  # a daily subscriber waits for the digest

    call_command("send_alert_digests", "--frequency", "daily", stdout=open("/dev/null", "w"))
    [digest] = sent_to(subscriber.address)
    text = digest.text
    assert "每日汇总：共 3 条新公开信息" in text
    # The village's group (its newest item is the newest of all) first, newest first within it.
    heads = re.findall(r"^== (.+) ==$", text, re.M)
    assert heads == ["东关村党支部 · 党费收缴使用", "中共城关镇委员会"]
    assert text.index("东关村第二季度党费") < text.index("东关村第一季度党费") < text.index("城关镇工作要点")
    assert "索引号" in text and digest.headers["List-Unsubscribe"].startswith("<http://testserver/zh-hans/alerts/unsubscribe/")

    outbox.clear()
    call_command("send_alert_digests", "--frequency", "daily", stdout=open("/dev/null", "w"))
    assert sent_to(subscriber.address) == []  # nothing new: no repeat, no empty digest
    publish(county.village2, "西关村新公告")
    call_command("send_alert_digests", "--frequency", "weekly", stdout=open("/dev/null", "w"))
    assert sent_to(subscriber.address) == []  # not a weekly subscriber
    call_command("send_alert_digests", "--frequency", "daily", stdout=open("/dev/null", "w"))
    [second] = sent_to(subscriber.address)
    assert "西关村新公告" in second.text and "东关村第一季度党费" not in second.text and "东关村第二季度党费" not in second.text


def test_the_soonest_frequency_of_matching_subscriptions_wins(county, outbox, publish):
    subscriber = confirmed(county.county, "mixed@example.cn", frequency=Frequency.WEEKLY)
    confirmed(county.township, "mixed@example.cn", frequency=Frequency.DAILY)
    publish(county.township, "城关镇会议通知")
    assert Delivery.objects.get(subscriber=subscriber).frequency == Frequency.DAILY


# -- mobiles ----------------------------------------------------------------------------------


def test_a_mobile_confirms_with_a_code_and_gets_a_short_text(county, outbox, publish):
    resident = new_client()
    response = subscribe(resident, county.township, "138 0000 1234", kind="mobile")
    html = response.content.decode()
    assert "验证码已发送至 138****1234" in html
    [message] = sent_to("13800001234")
    code = re.search(r"\d{6}", message.text).group()
    wrong = "000000" if code != "000000" else "111111"
    response = resident.post(f"/zh-hans/alerts/subscribe/?page={county.township.pk}", {"action": "code", "code": wrong})
    assert "验证码不正确" in response.content.decode()
    response = resident.post(f"/zh-hans/alerts/subscribe/?page={county.township.pk}", {"action": "code", "code": code})
    assert "您的订阅已确认" in response.content.decode()
    outbox.clear()
    item = publish(county.village1, "东关村村务公开")
    [sms] = sent_to("13800001234")
    assert "东关村村务公开" in sms.text and item.index_number in sms.text and "http://testserver" + item.url in sms.text
    assert sms.template == "alerts_alert" and sms.params["index_number"] == item.index_number


# -- privacy ----------------------------------------------------------------------------------


def test_purge_deletes_old_unconfirmed_and_long_unsubscribed_addresses(county, outbox):
    old, _ = subscribing.subscribe("email", "old@example.cn", county.township, Frequency.IMMEDIATE, "zh-hans")
    new, _ = subscribing.subscribe("email", "new@example.cn", county.township, Frequency.IMMEDIATE, "zh-hans")
    kept = confirmed(county.township, "kept@example.cn")
    left = confirmed(county.township, "left@example.cn")
    subscribing.unsubscribe_all(left)
    eight_days_ago = timezone.now() - timedelta(days=8)
    Subscriber.objects.filter(pk__in=[old.pk, kept.pk]).update(created_at=eight_days_ago)
    Subscription.objects.filter(subscriber__in=[old, kept]).update(created_at=eight_days_ago)
    call_command("purge_alert_subscribers", stdout=open("/dev/null", "w"))
    assert sorted(Subscriber.objects.values_list("address", flat=True)) == ["kept@example.cn", "left@example.cn", "new@example.cn"]
    Subscriber.objects.filter(pk=left.pk).update(unsubscribed_at=timezone.now() - timedelta(days=29))
    call_command("purge_alert_subscribers", stdout=open("/dev/null", "w"))
    assert sorted(Subscriber.objects.values_list("address", flat=True)) == ["kept@example.cn", "new@example.cn"]


def test_a_strangers_request_changes_nothing_confirmed(county, outbox):
    subscriber = confirmed(county.township, "mine@example.cn", frequency=Frequency.WEEKLY, script="zh-hant")
    subscribe(new_client(), county.township, "mine@example.cn", frequency="immediate")
    subscriber.refresh_from_db()
    assert subscriber.script == "zh-hant"
    assert Subscription.objects.get(subscriber=subscriber).frequency == Frequency.WEEKLY


def test_confirmations_to_one_address_are_limited(county, outbox):
    resident = new_client()
    for _ in range(3):
        subscribe(resident, county.township, "target@example.cn")
    response = subscribe(resident, county.township, "target@example.cn")
    assert "该地址在一小时内已多次申请订阅，请稍后再试。" in response.content.decode()
    assert len(sent_to("target@example.cn")) == 3


# -- manage and unsubscribe -------------------------------------------------------------------


def test_the_manage_page_changes_frequencies_removes_and_switches_script(county, outbox):
    subscriber = confirmed(county.township, "manage@example.cn")
    confirmed(county.entries["发展党员"], "manage@example.cn")
    url = links.manage_url(subscriber).removeprefix("http://testserver")
    client = new_client()
    html = client.get(url).content.decode()
    assert "中共城关镇委员会（含下级单位）发布的公开信息" in html and "公开目录“发展党员”下的公开信息" in html
    unit_sub, entry_sub = Subscription.objects.filter(subscriber=subscriber).order_by("pk")
    response = client.post(url, {f"frequency-{unit_sub.pk}": "weekly", "remove": [str(entry_sub.pk)], "script": "zh-hant"})
    assert "已保存您的订阅设置。" in response.content.decode()
    assert list(Subscription.objects.filter(subscriber=subscriber).values_list("frequency", flat=True)) == ["weekly"]
    subscriber.refresh_from_db()
    assert subscriber.script == "zh-hant"


def test_one_click_unsubscribe_ends_everything_from_the_link_and_the_header(county, outbox, publish):
    subscriber = confirmed(county.township, "bye@example.cn")
    publish(county.township, "城关镇公告")
    [alert] = sent_to(subscriber.address)
    path = link_to(alert.text, "unsubscribe")
    assert alert.headers["List-Unsubscribe"] == f"<http://testserver{path}>"
    # A mail client posts it (RFC 8058) with no page and no CSRF token.
    client = Client(enforce_csrf_checks=True)
    assert "确认退订全部" in client.get(path).content.decode()  # looking changes nothing
    assert Subscription.objects.filter(subscriber=subscriber).exists()
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "已退订" in response.content.decode()
    assert not Subscription.objects.filter(subscriber=subscriber).exists()
    outbox.clear()
    publish(county.township, "城关镇又一公告")
    assert sent_to(subscriber.address) == []


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "email", "address": "not-an-address", "frequency": "immediate"}, "请填写正确的电子邮箱地址。"),
        ({"kind": "mobile", "address": "12345", "frequency": "immediate"}, "请填写正确的11位手机号码。"),
        ({"kind": "fax", "address": "a@example.cn", "frequency": "immediate"}, "请选择接收方式（电子邮箱或手机号码）。"),
        ({"kind": "email", "address": "a@example.cn", "frequency": "hourly"}, "请选择提醒频率。"),
        ({"kind": "email", "address": "", "frequency": "immediate"}, "请填写电子邮箱或手机号码。"),
    ],
)
def test_bad_input_is_refused_in_chinese(county, outbox, data, message):
    response = new_client().post(f"/zh-hans/alerts/subscribe/?page={county.township.pk}", {**data, "action": "subscribe"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscriber.objects.exists() and outbox == []


def test_tampered_or_expired_links_answer_a_chinese_page_not_an_error(county, outbox):
    subscriber, subscription = subscribing.subscribe("email", "t@example.cn", county.township, "immediate", "zh-hans")
    client = new_client()
    manage = links.manage_url(subscriber).removeprefix("http://testserver")
    confirm = links.confirm_url(subscriber, [subscription]).removeprefix("http://testserver")
    tampered = [
        manage[:-3] + "abc/", manage.replace("/manage/", "/unsubscribe/"), confirm[:-5] + "xxxx/",
        "/zh-hans/alerts/confirm/x/", "/zh-hant/alerts/manage/%E4%B8%AD/",
    ]
    for path in tampered:
        response = client.get(path)
        assert response.status_code == 400, path
        assert "链接无效或已过期" in response.content.decode() or "鏈接無效或已過期" in response.content.decode()
    with override_settings(SUNSHINE_ALERTS_CONFIRM_DAYS=0):
        assert client.get(confirm).status_code == 400
        assert client.post(confirm).status_code == 400
    assert Subscription.objects.get(pk=subscription.pk).confirmed_at is None


def test_only_public_units_entries_and_items_are_offered(county, outbox):
    client = new_client()
    members = make_item(county.township, "城关镇党员名单（党内）", scope=Scope.UNIT_MEMBERS)
    draft = make_item(county.township, "草稿", publish=False)
    removed = make_item(county.township, "已撤除的事项")
    removed.takedown, removed.takedown_reason = Takedown.REMOVED, "误发"
    removed.save()
    for query in [f"page={members.pk}", f"page={draft.pk}", f"page={removed.pk}", "page=abc", "page=99999999999999999999999",
                  f"page={county.portal.pk}", "entry=not-a-uuid", "entry=00000000-0000-0000-0000-000000000000"]:
        assert client.get(f"/zh-hans/alerts/subscribe/?{query}").status_code == 404, query
    public = make_item(county.township, "城关镇公开事项")
    assert f"/zh-hans/alerts/subscribe/?page={public.pk}" in client.get(public.url).content.decode()  # the item's panel
    member = Client()
    member.force_login(make_member(county.township, "alerts_member"))
    page = member.get(members.url).content.decode()
    # A members-only page offers its panel to the members who read it (test_members.py), and to no one else.
    assert "城关镇党员名单（党内）" in page and f"subscribe/?page={members.pk}" in page
    html = client.get("/zh-hans/alerts/subscribe/").content.decode()
    assert "中共城关镇委员会" in html and "发展党员" in html
    assert '<a href="/zh-hans/alerts/subscribe/"' in client.get(county.portal.url).content.decode()  # the main menu entry


def test_a_scheduled_item_is_alerted_when_it_goes_live(county, outbox, django_capture_on_commit_callbacks):
    subscriber = confirmed(county.township, "scheduled@example.cn")
    item = make_item(county.township, "城关镇2025年度党建工作计划（定时发布）", publish=False)
    revision = item.save_revision()
    revision.approved_go_live_at = timezone.now() + timedelta(hours=1)
    revision.save()
    call_command("publish_scheduled")
    assert sent_to(subscriber.address) == []

    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    [alert] = sent_to(subscriber.address)
    assert "城关镇2025年度党建工作计划（定时发布）" in alert.subject
