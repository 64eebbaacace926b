"""The daily commands: reminders before and after a deadline (never twice), and the erasure of contacts."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from participation import handling
from participation.choices import EventKind, Outcome
from participation.models import Opinion
from participation.working_days import add_working_days

from .helpers import resident_opinion

pytestmark = pytest.mark.django_db


def run(command):
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


def assigned(county, deadline, **fields):
    opinion, _ = resident_opinion(unit=county.township, **fields)
    handling.assign(opinion, county.people.officer, county.people.officer)
    Opinion.objects.filter(pk=opinion.pk).update(deadline=deadline)
    return opinion


@override_settings(SUNSHINE_OPINION_REMIND_WORKING_DAYS_BEFORE=2)
def test_reminders_before_and_after_the_deadline_once_each(county):
    today = timezone.localdate()
    soon = assigned(county, add_working_days(today, 2), subject="即将到期的意见")
    later = assigned(county, add_working_days(today, 5), subject="还早的意见", contact="13800000002")
    late = assigned(county, today - timedelta(days=1), subject="逾期的意见", contact="13800000003")
    mail.outbox.clear()
    assert "2 件" in run("remind_opinions")
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == sorted([f"阳光党务：意见 {soon.number} 即将到期", f"阳光党务：意见 {late.number} 已超过办理期限"])
    assert all(message.to == ["officer@example.cn"] for message in mail.outbox)
    assert later.events.filter(kind=EventKind.REMINDED).count() == 0
    # A second run the same day sends nothing.
    mail.outbox.clear()
    assert "0 件" in run("remind_opinions")
    assert mail.outbox == []
    # Once the soon one passes its deadline it gets its one reminder after it.
    Opinion.objects.filter(pk=soon.pk).update(deadline=today - timedelta(days=1))
    run("remind_opinions")
    run("remind_opinions")
    assert [message.subject for message in mail.outbox] == [f"阳光党务：意见 {soon.number} 已超过办理期限"]
    assert soon.events.filter(kind=EventKind.REMINDED).count() == 2


def test_answered_opinions_are_not_reminded(county):
    opinion = assigned(county, timezone.localdate() - timedelta(days=3))
    answer = handling.submit_answer(opinion, county.people.officer, "已处理。", Outcome.ADOPTED)
    handling.approve_answer(answer, county.people.leader)
    mail.outbox.clear()
    run("remind_opinions")
    assert mail.outbox == []


@override_settings(SUNSHINE_OPINION_CONTACT_RETENTION_DAYS=30)
def test_contacts_are_erased_after_the_retention(county):
    people = county.people
    old, _ = resident_opinion(unit=county.township, name="张三")
    recent, _ = resident_opinion(unit=county.township, name="李四", contact="13800000002")
    still_open, _ = resident_opinion(unit=county.township, name="王五", contact="13800000003")
    for opinion in (old, recent):
        answer = handling.submit_answer(opinion, people.officer, "经研究，暂不具备条件，列入明年计划。", Outcome.NOT_FEASIBLE)
        handling.approve_answer(answer, people.leader)
    Opinion.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=31))
    Opinion.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert "1 件" in run("erase_opinion_contacts")
    old.refresh_from_db()
    assert (old.author_name, old.contact, old.contact_kind) == ("", "", "") and old.contact_erased_at
    assert old.events.filter(kind=EventKind.CONTACT_ERASED).count() == 1
    assert handling.contact_for(old, people.officer) is None
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.contact == "13800000002" and still_open.author_name == "王五"
    assert "0 件" in run("erase_opinion_contacts")
    assert old.events.filter(kind=EventKind.CONTACT_ERASED).count() == 1


@override_settings(SUNSHINE_OPINION_CONTACT_RETENTION_DAYS=30)
def test_a_merged_duplicate_loses_its_contact_with_the_opinion_it_joined(county):
    people = county.people
    kept, _ = resident_opinion(unit=county.township, name="张三")
    duplicate, _ = resident_opinion(unit=county.township, name="赵六", contact="13800000004")
    handling.merge(duplicate, people.officer, kept)
    answer = handling.submit_answer(kept, people.officer, "经研究，暂不具备条件，列入明年计划。", Outcome.NOT_FEASIBLE)
    handling.approve_answer(answer, people.leader)
    assert "0 件" in run("erase_opinion_contacts")  # ended, but not long ago
    Opinion.objects.filter(pk=kept.pk).update(closed_at=timezone.now() - timedelta(days=31))
    assert "2 件" in run("erase_opinion_contacts")
    duplicate.refresh_from_db()
    assert (duplicate.author_name, duplicate.contact) == ("", "") and duplicate.contact_erased_at
