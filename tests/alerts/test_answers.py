"""Answers to opinions (意见答复) as alerts: a subscriber of an item is told of each public answer to
an opinion on it, a subscriber of a unit of those to its 意见箱 — through participation's own
handling steps, and never of an answer the public may not read."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alerts import answers
from alerts.fanout import send_digests
from alerts.models import Delivery, DeliveryKind, DeliveryStatus, PendingAnswer
from cms.workers import schedule_overdue_drains
from disclosure_pages.choices import Scope, Stage
from participation import handling, intake
from participation.choices import Channel, HiddenReason, Outcome
from tests.factories import d, make_item

from .helpers import SmtpServer, confirmed, html_of, links_in, new_client, outbox_senders, path_of, sent_to, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox")]

FUTURE = d("2099-12-31")
ANSWER = "市场改造方案已增加无障碍通道，预计明年三月完工。"


@pytest.fixture
def consulted(county):
    """An item of the township put out for comment (预公开), taking opinions."""
    return make_item(county.township, "关于城关镇集贸市场改造方案的预公开", stage=Stage.PRE_DISCLOSURE, comment_deadline=FUTURE)


@pytest.fixture
def steps(county, django_capture_on_commit_callbacks):
    """Participation's handling steps as the township's officer and leading group take them, each
    committed with its on-commit work run (the answers' task among it)."""

    class Steps:
        officer, approver = county.people["officer"], county.people["approver"]

        def run(self, step, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return step(*args, **kwargs)

        def opinion(self, item=None, unit=None, body="建议市场改造时增加无障碍通道。", **fields):
            """An opinion entered by the township's officer (from a hearing), on ``item`` or to ``unit``'s 意见箱."""
            opinion, _code = self.run(
                intake.enter_offline, self.officer, unit=unit or county.township, item=item, channel=Channel.HEARING,
                received_on=d("2026-12-01"), body=body, **fields,
            )
            return opinion

        def answer(self, opinion, body=ANSWER, outcome=Outcome.ADOPTED):
            answer = self.run(handling.submit_answer, opinion, self.officer, body, outcome)
            return self.run(handling.approve_answer, answer, self.approver)

        def publish(self, opinion):
            return self.run(handling.publish, opinion, self.officer)

    return Steps()


def test_an_answer_to_an_opinion_on_a_subscribed_item_arrives_by_mail_with_its_link(county, consulted, steps):
    address = "resident@example.cn"
    with SmtpServer() as mailbox:
        confirmed(consulted, address)
        opinion = steps.opinion(item=consulted)
        steps.publish(opinion)
        assert mailbox.to(address) == []  # published, not answered yet: nothing to tell
        steps.answer(opinion)
        [mail] = mailbox.to(address)
    text, html = text_of(mail), html_of(mail)
    assert "意见答复" in str(mail["Subject"]) and consulted.title in str(mail["Subject"])
    assert f"受理编号：{opinion.number}" in text and ANSWER in text and "答复结果：采纳" in text
    assert f"索引号：{consulted.index_number}" in text
    [link] = [url for url in links_in(text) if "/opinions/" in url]
    assert path_of(link) == f"/zh-hans/opinions/{opinion.number}/"
    assert f'href="{link}"' in html and ANSWER in html
    # The link opens the opinion's public page, which shows the answer.
    page = Client().get(path_of(link))
    assert page.status_code == 200 and ANSWER in page.content.decode()
    assert Delivery.objects.get(kind=DeliveryKind.ANSWERED).status == DeliveryStatus.SENT


def test_a_traditional_subscriber_reads_the_answer_in_traditional_script(county, consulted, steps):
    subscriber = confirmed(consulted, "trad@example.cn", script="zh-hant")
    opinion = steps.opinion(item=consulted)
    steps.publish(opinion)
    steps.answer(opinion)
    [message] = sent_to(subscriber.address)
    # The words of the opinion, the answer and the item in Traditional (the labels follow the Traditional catalogue).
    assert "關於城關鎮集貿市場改造方案" in message.subject and "無障礙通道" in message.text
    assert f"/zh-hant/opinions/{opinion.number}/" in message.text and f"/zh-hant/opinions/{opinion.number}/" in message.html


def test_an_answer_to_an_opinion_not_yet_published_is_sent_when_the_opinion_is(county, consulted, steps):
    subscriber = confirmed(consulted, "resident@example.cn")
    opinion = steps.opinion(item=consulted)
    steps.answer(opinion)
    assert sent_to(subscriber.address) == []  # answered but still in moderation: not public
    steps.publish(opinion)
    [message] = sent_to(subscriber.address)
    assert ANSWER in message.text


def test_hidden_and_members_only_opinions_answers_send_nothing(county, consulted, steps):
    members_item = make_item(
        county.township, "关于发展党员工作的意见征集（党内）", scope=Scope.UNIT_MEMBERS, stage=Stage.PRE_DISCLOSURE, comment_deadline=FUTURE,
    )
    on_item = confirmed(consulted, "item@example.cn")
    on_unit = confirmed(county.township, "unit@example.cn")
    # Hidden (不予公开) then answered.
    hidden = steps.opinion(item=consulted, body="这条意见含有个人隐私，不宜公开。")
    steps.run(handling.hide, hidden, steps.officer, HiddenReason.values[0])
    steps.answer(hidden)
    # On a members-only item, and to the unit's 意见箱 marked members-only: published and answered.
    on_members = steps.opinion(item=members_item, body="建议增加党员发展的公示环节。")
    members_only = steps.opinion(body="党内事务的意见，仅在党内公开。", members_only=True)
    for opinion in (on_members, members_only):
        steps.publish(opinion)
        steps.answer(opinion)
    assert on_members.members_only and members_only.members_only
    assert [sent_to(s.address) for s in (on_item, on_unit)] == [[], []]
    assert not Delivery.objects.filter(kind=DeliveryKind.ANSWERED).exists()
    # Nor does the every-minute run find anything left to send.
    call_command("send_alerts", stdout=open("/dev/null", "w"))
    assert not Delivery.objects.filter(kind=DeliveryKind.ANSWERED).exists()


def test_an_answer_hidden_before_its_turn_is_withheld(county, consulted, steps, django_capture_on_commit_callbacks):
    immediate = confirmed(consulted, "now@example.cn")
    daily = confirmed(consulted, "daily@example.cn", frequency="daily")
    opinion = steps.opinion(item=consulted)
    steps.publish(opinion)
    # Approved, but the task after the commit has not run yet when the officer hides the opinion.
    answer = steps.run(handling.submit_answer, opinion, steps.officer, ANSWER, Outcome.ADOPTED)
    with django_capture_on_commit_callbacks(execute=False):
        handling.approve_answer(answer, steps.approver)
    answers.fan_out({opinion.pk})
    assert Delivery.objects.filter(kind=DeliveryKind.ANSWERED, status=DeliveryStatus.PENDING).count() == 2
    steps.run(handling.hide, opinion, steps.officer, HiddenReason.values[0])
    with outbox_senders():
        call_command("send_alerts", stdout=open("/dev/null", "w"))
        send_digests("daily")
        assert sent_to(immediate.address) == [] and sent_to(daily.address) == []
    assert set(Delivery.objects.filter(kind=DeliveryKind.ANSWERED).values_list("status", flat=True)) == {DeliveryStatus.WITHHELD}


def test_the_digest_shows_answers_in_their_own_section(county, consulted, steps, publish):
    subscriber = confirmed(county.township, "digest@example.cn", frequency="daily")
    confirmed(consulted, "digest@example.cn", frequency="daily")
    publish(county.township, "城关镇党委2024年工作要点")
    box = steps.opinion(body="建议在镇政府门口设置意见箱夜间照明。", subject="意见箱夜间照明")
    on_item = steps.opinion(item=consulted)
    for opinion in (box, on_item):
        steps.publish(opinion)
        steps.answer(opinion)
    assert sent_to(subscriber.address) == []  # daily: nothing at once
    with outbox_senders():
        assert send_digests("daily") == 1
        [message] = sent_to(subscriber.address)
    text = message.text
    assert "城关镇党委2024年工作要点" in text and "== 意见答复 ==" in text
    section = text[text.index("== 意见答复 =="):]
    assert "意见箱夜间照明" in section and box.number in section and on_item.number in section
    assert f"/zh-hans/opinions/{box.number}/" in section and "<h2>意见答复</h2>" in message.html


def test_two_answers_are_two_deliveries_and_two_messages(county, consulted, steps):
    subscriber = confirmed(consulted, "two@example.cn")
    first, second = steps.opinion(item=consulted), steps.opinion(item=consulted, body="建议改造期间保留临时摊位。")
    for opinion in (first, second):
        steps.publish(opinion)
        steps.answer(opinion)
    assert Delivery.objects.filter(subscriber=subscriber, kind=DeliveryKind.ANSWERED, status=DeliveryStatus.SENT).count() == 2
    numbers = {re.search(r"受理编号：(\d+)", message.text).group(1) for message in sent_to(subscriber.address)}
    assert numbers == {first.number, second.number}
    # Published again after being hidden: the same answer is not sent twice.
    steps.run(handling.hide, first, steps.officer, HiddenReason.values[0])
    steps.publish(first)
    assert len(sent_to(subscriber.address)) == 2


def test_an_answer_to_a_units_box_reaches_the_units_subscribers_and_its_ancestors_with_sub_units(county, steps):
    township = confirmed(county.township, "township@example.cn", with_sub_units=False)
    county_wide = confirmed(county.county, "county@example.cn", with_sub_units=True)
    county_only = confirmed(county.county, "countyonly@example.cn", with_sub_units=False)
    neighbour = confirmed(county.township2, "neighbour@example.cn")
    opinion = steps.opinion(body="建议镇卫生院延长周末门诊时间。")
    steps.publish(opinion)
    steps.answer(opinion, body="卫生院自下月起周六上午开设门诊。", outcome=Outcome.PARTLY_ADOPTED)
    for reached in (township, county_wide):
        [message] = sent_to(reached.address)
        assert "中共城关镇委员会意见箱" in message.text and "卫生院自下月起周六上午开设门诊" in message.text
        assert f"/zh-hans/opinions/{opinion.number}/" in message.text
    assert sent_to(county_only.address) == [] and sent_to(neighbour.address) == []
    # An answer to an opinion on an item is not a unit subscriber's news (they follow the item's publication).
    assert Delivery.objects.filter(kind=DeliveryKind.ANSWERED, item__isnull=True).count() == 2


def test_an_answer_whose_task_was_lost_is_sent_by_the_every_minute_run(county, consulted, steps, django_capture_on_commit_callbacks):
    subscriber = confirmed(consulted, "resident@example.cn")
    opinion = steps.opinion(item=consulted)
    steps.publish(opinion)
    answer = steps.run(handling.submit_answer, opinion, steps.officer, ANSWER, Outcome.ADOPTED)
    # The process dies after the commit: neither opinion_event nor the task runs.
    with django_capture_on_commit_callbacks(execute=False):
        handling.approve_answer(answer, steps.approver)
    assert PendingAnswer.objects.count() == 1 and sent_to(subscriber.address) == []
    with outbox_senders():
        call_command("send_alerts", stdout=open("/dev/null", "w"))
        [message] = sent_to(subscriber.address)
    assert ANSWER in message.text and not PendingAnswer.objects.exists()


def test_an_answer_given_again_after_a_send_back_is_news_again(county, consulted, steps):
    subscriber = confirmed(consulted, "resident@example.cn")
    opinion = steps.opinion(item=consulted)
    steps.publish(opinion)
    steps.answer(opinion, body="暂不具备改造条件，待明年预算安排后实施。", outcome=Outcome.NOT_FEASIBLE)
    steps.run(handling.rate, opinion, "unsatisfied")
    steps.run(handling.send_back, opinion, "希望尽快实施。")
    steps.answer(opinion)
    first, second = sent_to(subscriber.address)
    assert "暂不具备改造条件" in first.text and ANSWER in second.text


def test_the_subscribers_manage_page_still_opens(county, consulted, steps):
    """A subscriber of an item answered about keeps their manage link working (no delivery without an item breaks it)."""
    subscriber = confirmed(county.township, "manage@example.cn")
    opinion = steps.opinion(body="建议镇政府公开接待日安排。")
    steps.publish(opinion)
    steps.answer(opinion)
    [message] = sent_to(subscriber.address)
    manage = [url for url in links_in(message.text) if "/alerts/manage/" in url][0]
    assert new_client().get(path_of(manage)).status_code == 200


def test_an_overdue_answers_outbox_is_drained_by_the_workers_recovery_pass(
    county, consulted, steps, django_capture_on_commit_callbacks, settings, client,
):
    subscriber = confirmed(consulted, "resident@example.cn")
    opinion = steps.opinion(item=consulted)
    steps.publish(opinion)
    answer = steps.run(handling.submit_answer, opinion, steps.officer, ANSWER, Outcome.ADOPTED)
    with django_capture_on_commit_callbacks(execute=False):  # its task was never queued
        handling.approve_answer(answer, steps.approver)
    PendingAnswer.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get("/readyz").json()["checks"]["outbox:alerts-answers"]["oldest_pending_age_s"] in (120, 121)  # the second a busy machine takes
    assert schedule_overdue_drains() == ["alerts-answers"]
    assert DBTaskResult.objects.ready().filter(task_path="alerts.tasks.process_answers").exists()
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    [message] = sent_to(subscriber.address)
    assert ANSWER in message.text and not PendingAnswer.objects.exists()


def test_a_mobile_subscriber_gets_a_short_sms_with_the_link(county, steps):
    subscriber = confirmed(county.township, "13900000009", kind="mobile")
    opinion = steps.opinion(body="建议镇文化站周末开放。")
    steps.publish(opinion)
    steps.answer(opinion)
    [message] = sent_to(subscriber.address)
    assert message.template == "alerts_answer" and message.params["number"] == opinion.number
    assert f"中共城关镇委员会意见箱的意见（{opinion.number}）已答复" in message.text
    assert f"/zh-hans/opinions/{opinion.number}/" in message.text and "退订" in message.text
