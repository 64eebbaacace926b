"""A resident subscribes to a search from the search page (「订阅此检索」), confirms from the mail a
local SMTP server received, and is alerted to the new public items that search finds — asked
of the search index once it has them; others, members-only ones and items already sent for
another subscription send nothing."""

import datetime
import html
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import search_matching
from alerts.fanout import send_digests
from alerts.models import Delivery, Frequency, Subscription
from alerts.searches import SavedSearch
from cms.workers import schedule_overdue_drains
from disclosure_pages.choices import Scope
from disclosure_pages.models import PendingItemChange
from search.models import PendingIndexUpdate
from search.updates import apply_due_updates
from tests.factories import make_item
from tests.search.conftest import osmem_server  # noqa: F401 (the engine tests' server, for osmem_clone)
from tests.search.test_engines import engine_settings

from .helpers import SmtpServer, confirmed, link_to, new_client, text_of
from .test_end_to_end import confirm_from_mail, publish_through_workflow

pytestmark = pytest.mark.django_db

ADDRESS = "searcher@example.cn"


def subscribe_link(client, search_path):
    """The 「订阅此检索」 link of a search results page."""
    page = client.get(search_path).content.decode()
    found = re.search(r'<a href="([^"]+)">(订阅此检索|訂閱此檢索)</a>', page)
    assert found, page
    return html.unescape(found.group(1))


def subscribe_to_search(client, mailbox, search_path, address=ADDRESS, frequency="immediate"):
    """From the search page to a confirmed saved search; returns the subscribe page's text."""
    link = subscribe_link(client, search_path)
    shown = client.get(link).content.decode()
    response = client.post(link, {"kind": "email", "address": address, "frequency": frequency, "action": "subscribe"})
    assert response.status_code == 200, response.content.decode()
    confirm_from_mail(mailbox, address, client)
    return link, shown


def saved_search(address, query, frequency="immediate", **filters):
    return confirmed(SavedSearch(query, filters), address, frequency=frequency)


def test_subscribe_from_the_search_page_with_facets_and_the_matching_item_arrives(county, django_capture_on_commit_callbacks):
    resident, year = new_client(), timezone.localdate().year  # an item's year is its publication's
    described = f"检索“党费”（发布单位：城关镇党委；年份：{year}年）的新公开信息"
    with SmtpServer() as mailbox:
        link, shown = subscribe_to_search(resident, mailbox, f"/zh-hans/search/?q=党费&unit=QX-CGZ&year={year}&sort=date&page=1")
        # The link carries the query and facets, not the page or order.
        assert link.startswith("/zh-hans/alerts/subscribe/?") and "unit=QX-CGZ" in link and f"year={year}" in link
        assert "sort=" not in link and "page=" not in link
        assert described in shown
        subscription = Subscription.objects.get(subscriber__address=ADDRESS)
        assert (subscription.search_query, subscription.search_filters) == ("党费", {"unit": "QX-CGZ", "year": year})

        # Under the township (a village of it), with the word: one alert.
        with django_capture_on_commit_callbacks(execute=True):
            item = publish_through_workflow(county, county.township, "城关镇2024年第一季度党费收缴使用情况公示")
        [alert] = mailbox.to(ADDRESS)
        assert item.title in str(alert["Subject"])
        text = text_of(alert)
        # The manage page says what the subscription is, in words.
        manage = resident.get(link_to(text, "manage")).content.decode()
        assert described in manage
        mailbox.messages.clear()

        # Another township's item with the word, and the township's without it: nothing.
        with django_capture_on_commit_callbacks(execute=True):
            make_item(county.township2, "石桥镇2024年党费收缴情况公示")
            make_item(county.village1, "东关村2024年村务公开")
        assert mailbox.to(ADDRESS) == []
        # Both were looked at and done with (nothing waits for the index).
        assert not PendingItemChange.objects.filter(consumer=search_matching.outbox.consumer).exists()

        # Unsubscribing from the alert's link ends it.
        unsubscribe = link_to(text, "unsubscribe")
        assert resident.post(unsubscribe).status_code == 200
        assert not Subscription.objects.filter(subscriber__address=ADDRESS).exists()


def test_a_traditional_query_from_the_traditional_page_matches_the_same(county, django_capture_on_commit_callbacks):
    resident, address = new_client(), "hant-search@example.cn"
    with django_capture_on_commit_callbacks(execute=True):
        make_item(county.township, "城关镇工作通知")  # the Traditional tree is made with the first variant
    with SmtpServer() as mailbox:
        link = subscribe_link(resident, "/zh-hant/search/?q=黨費&unit=QX-CGZ")
        assert link.startswith("/zh-hant/alerts/subscribe/?")
        shown = resident.get(link).content.decode()
        # (The sentence around them is the Traditional catalogue's, made by the integrator.)
        assert "“黨費”" in shown and "城關鎮黨委" in shown
        resident.post(link, {"kind": "email", "address": address, "frequency": "immediate", "action": "subscribe"})
        [mail] = mailbox.to(address)
        assert "您的訂閱已確認" in resident.post(link_to(text_of(mail), "confirm")).content.decode()
        mailbox.messages.clear()

        with django_capture_on_commit_callbacks(execute=True):
            make_item(county.village1, "东关村党费收缴公示")
            make_item(county.township2, "石桥镇党费收缴公示")
        [alert] = mailbox.to(address)
        assert "東關村黨費收繳公示" in str(alert["Subject"])


def test_a_members_only_item_never_matches(county, publish, outbox):
    saved_search("members@example.cn", "党费")
    publish(county.township, "城关镇党员党费缴纳名单", scope=Scope.UNIT_MEMBERS)
    publish(county.township, "城关镇党费收缴情况（全县党员）", scope=Scope.ALL_MEMBERS)
    assert [message for contact, message in outbox if contact == "members@example.cn"] == []
    assert not Delivery.objects.filter(subscriber__address="members@example.cn").exists()
    assert not PendingItemChange.objects.filter(consumer=search_matching.outbox.consumer).exists()


def test_an_item_both_a_unit_subscription_and_a_saved_search_match_is_sent_once(county, publish, outbox):
    confirmed(county.township, "both@example.cn", frequency="immediate")
    saved_search("both@example.cn", "党费", frequency="daily")
    saved_search("other@example.cn", "党费")
    publish(county.township, "城关镇党费收缴公示")
    assert len([m for contact, m in outbox if contact == "both@example.cn"]) == 1
    assert len([m for contact, m in outbox if contact == "other@example.cn"]) == 1
    assert Delivery.objects.filter(subscriber__address="both@example.cn").count() == 1


def test_a_saved_search_wanting_it_sooner_hastens_what_a_unit_subscription_put_in_the_weekly_digest(county, publish, outbox):
    confirmed(county.township, "soon@example.cn", frequency="weekly")
    saved_search("soon@example.cn", "党费", frequency="immediate")
    publish(county.township, "城关镇党费收缴公示")
    assert len([m for contact, m in outbox if contact == "soon@example.cn"]) == 1
    assert Delivery.objects.get(subscriber__address="soon@example.cn").frequency == "immediate"


def test_a_weekly_saved_search_goes_into_the_weekly_digest(county, publish, outbox):
    saved_search("weekly@example.cn", "党费", frequency="weekly")
    publish(county.township, "城关镇党费收缴公示")
    publish(county.village1, "东关村党费收缴公示")
    assert outbox == []
    assert send_digests(Frequency.WEEKLY) == 1
    [(contact, digest)] = outbox
    assert contact == "weekly@example.cn" and "2条新公开信息" in digest.subject
    assert "城关镇党费收缴公示" in digest.text and "东关村党费收缴公示" in digest.text


def test_identical_saved_searches_are_asked_once_per_pass(county, publish, outbox):
    for number in range(3):
        saved_search(f"same{number}@example.cn", "党费", unit="QX-CGZ")
    with mock.patch("alerts.search_matching.found_among", wraps=search_matching.found_among) as asked:
        publish(county.township, "城关镇党费收缴公示")
    # One question per script the item was published in, for the three subscribers.
    assert asked.call_count == len({call.args[1] for call in asked.call_args_list})
    assert {contact for contact, _m in outbox} == {f"same{number}@example.cn" for number in range(3)}


def test_an_item_is_matched_only_once_the_index_has_it(county, publish, outbox, django_capture_on_commit_callbacks):
    saved_search("patient@example.cn", "防火")
    with mock.patch("search.backends.database.DatabaseItemStore.write", side_effect=ConnectionError("engine down")):
        publish(county.township, "城关镇冬季防火工作通知")
    assert PendingIndexUpdate.objects.exists()
    # A pass now finds it not findable yet: nothing sent, the publication kept.
    assert search_matching.match_saved_searches() == (0, 0)
    assert outbox == [] and PendingItemChange.objects.filter(consumer=search_matching.outbox.consumer).exists()
    # The engine answers again and its retry comes: the update applied, its signal runs the pass and the alert goes.
    PendingIndexUpdate.objects.update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        apply_due_updates()
    assert [contact for contact, _m in outbox] == ["patient@example.cn"]


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_workers_recovery_pass_schedules_the_matching_of_a_publication_the_index_has(county):
    make_item(county.township, "城关镇冬季防火工作通知")  # committed, but no pass came
    PendingIndexUpdate.objects.all().delete()  # applied; its signal was lost
    PendingItemChange.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    assert "alerts-searches" in schedule_overdue_drains()
    assert DBTaskResult.objects.ready().filter(task_path="alerts.tasks.match_saved_searches").exists()


@pytest.mark.parametrize(
    ("query", "language", "error"),
    [
        ("q=党费&year=abc", "zh-hans", "年份参数无效。"),
        ("q=党费&year=1800", "zh-hans", "年份参数无效。"),
        ("q=党费&area=nope", "zh-hans", "板块参数无效。"),
        ("q=党费&unit=%3Cscript%3E", "zh-hans", "单位参数无效。"),
        ("q=党费&unit=NOWHERE", "zh-hans", "没有找到该单位"),
        ("q=%20%00", "zh-hans", "请先输入检索词"),
        ("q=党费&stage=x", "zh-hans", "公开阶段参数无效。"),
        ("q=党费&year=abc", "zh-hant", "年份參數無效。"),
    ],
)
def test_junk_search_parameters_answer_a_chinese_error(county, query, language, error):
    response = new_client().get(f"/{language}/alerts/subscribe/?{query}")
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_long_query_is_cut_as_the_search_page_cuts_it(county, outbox):
    client = new_client()
    response = client.post(
        f"/zh-hans/alerts/subscribe/?q={'党费' * 80}", {"kind": "email", "address": "long@example.cn", "frequency": "weekly", "action": "subscribe"},
    )
    assert response.status_code == 200
    assert Subscription.objects.get().search_query == "党费" * 50
    # Asking again for the same search (its facets in another order) is the same subscription.
    client.post(
        f"/zh-hans/alerts/subscribe/?year=2024&q={'党费' * 80}&unit=QX-CGZ",
        {"kind": "email", "address": "long@example.cn", "frequency": "weekly", "action": "subscribe"},
    )
    client.post(
        f"/zh-hans/alerts/subscribe/?unit=QX-CGZ&q={'党费' * 80}&year=2024",
        {"kind": "email", "address": "long@example.cn", "frequency": "daily", "action": "subscribe"},
    )
    assert Subscription.objects.count() == 2
    # The lookup that finds the first one again: no facets.
    assert Subscription.objects.filter(search_query="党费" * 50, search_filters={}).count() == 1
    assert Subscription.objects.get(search_filters__unit="QX-CGZ").frequency == "daily"


@pytest.fixture
def engine(osmem_clone):
    """The search page answered by an OpenSearch-compatible engine (osmem), the database beside it."""
    with engine_settings(osmem_clone.url):
        call_command("update_index", backend_name="default", verbosity=0)
        yield


def test_on_a_search_engine_the_engine_decides_and_the_alert_arrives(county, engine, publish, outbox):
    saved_search("engine@example.cn", "党费", unit="QX-CGZ")
    with mock.patch("search.backends.database.DatabaseItemStore.search", side_effect=AssertionError("asked the database")):
        publish(county.village1, "东关村党费收缴公示")
        publish(county.township2, "石桥镇党费收缴公示")
        publish(county.township, "城关镇党员名册", scope=Scope.UNIT_MEMBERS)
    [(contact, message)] = outbox
    assert contact == "engine@example.cn" and "东关村党费收缴公示" in message.subject
