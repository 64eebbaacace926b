"""Who is told about an opinion's steps: the e-mails in ``mail.outbox``, the resident's message in the sender's outbox."""

import pytest
from django.core import mail
from django.test import override_settings

from participation import handling
from participation.choices import Outcome
from participation.senders import OutboxSender

from .helpers import OUTBOX_SENDERS, outbox_senders, resident_opinion

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the step's on-commit notices (the test's transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_the_assignee_is_told(county, committed):
    people = county.people
    people.officer2.email = "officer2@example.cn"
    people.officer2.save()
    opinion, _ = resident_opinion(unit=county.township, subject="路灯不亮")
    mail.outbox.clear()
    with committed():
        handling.assign(opinion, people.officer, people.officer2)
    assert recipients() == ["officer2@example.cn"]
    message = mail.outbox[0]
    opinion.refresh_from_db()
    assert opinion.number in message.subject and "路灯不亮" in message.body
    assert f"{opinion.deadline:%Y-%m-%d}" in message.body and f"/admin/opinions/{opinion.pk}/" in message.body
    assert "13800000001" not in message.body


def test_a_submitted_answer_goes_to_the_leading_group_but_its_author(county, committed):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    mail.outbox.clear()
    with committed():
        handling.submit_answer(opinion, people.leader, "已安排维修。", Outcome.ADOPTED)
    assert recipients() == []  # leader wrote it; leader2 has no address
    people.leader2.email = "leader2@example.cn"
    people.leader2.save()
    opinion2, _ = resident_opinion(unit=county.township, contact="13800000002")
    mail.outbox.clear()
    with committed():
        handling.submit_answer(opinion2, people.officer, "已安排维修。", Outcome.ADOPTED)
    assert recipients() == ["leader2@example.cn", "leader@example.cn"]
    assert "待您审核" in mail.outbox[0].subject


def test_a_referred_answer_goes_to_the_county_leading_group(county, committed):
    people = county.people
    people.county_leader.email = "county@example.cn"
    people.county_leader.save()
    opinion, _ = resident_opinion(unit=county.township)
    answer = handling.submit_answer(opinion, people.officer, "经研究，暂不具备条件，列入明年计划。", Outcome.NOT_FEASIBLE, important=True)
    mail.outbox.clear()
    with committed():
        handling.approve_answer(answer, people.leader)
    assert recipients() == ["county@example.cn"] and "县级审核" in mail.outbox[0].subject


def test_a_rejected_answer_goes_back_to_its_author(county, committed):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    answer = handling.submit_answer(opinion, people.officer, "已处理。", Outcome.ADOPTED)
    mail.outbox.clear()
    with committed():
        handling.reject_answer(answer, people.leader, "请写明处理时间")
    assert recipients() == ["officer@example.cn"] and "请写明处理时间" in mail.outbox[0].body


def test_the_resident_is_told_when_the_answer_is_approved_without_the_code(county, committed):
    people = county.people
    opinion, tracking_code = resident_opinion(unit=county.township)
    answer = handling.submit_answer(opinion, people.officer, "已处理。", Outcome.ADOPTED)
    with outbox_senders():
        with committed():
            handling.approve_answer(answer, people.leader)
        sent = list(OutboxSender.outbox)
    assert len(sent) == 1
    contact, message = sent[0]
    assert contact == "13800000001"
    assert opinion.number in message.text and "凭查询码查看答复并评价" in message.text
    assert tracking_code not in message.text and message.params == {"number": opinion.number}


def test_a_failing_sender_does_not_break_the_step(county, committed):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    answer = handling.submit_answer(opinion, people.officer, "已处理。", Outcome.ADOPTED)
    failing = {kind: {"CLASS": config["CLASS"], "OPTIONS": {"fail": True}} for kind, config in OUTBOX_SENDERS.items()}
    with override_settings(SUNSHINE_PARTICIPATION_SENDERS=failing), committed():
        handling.approve_answer(answer, people.leader)
    opinion.refresh_from_db()
    assert opinion.state == "answered"


@override_settings(EMAIL_BACKEND="tests.participation.test_admin_notifications.RefusingBackend")
def test_a_failing_mail_server_does_not_break_the_step(client, county, django_capture_on_commit_callbacks):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    client.force_login(people.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/opinions/{opinion.pk}/", {"action": "answer", "answer-outcome": "adopted", "answer-body": "已处理。"})
    assert response.status_code == 302
    assert opinion.answers.count() == 1


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
