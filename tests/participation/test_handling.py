"""The ledger's steps: intake with a code, moderation, assignment, answers under four-eyes, rating."""

import pytest
from django.test import override_settings
from django.utils import timezone

from disclosure_pages.choices import Scope
from participation import handling, intake
from participation.choices import AnswerStatus, EventKind, Moderation, Outcome, Satisfaction, State
from participation.models import CalendarDay, Opinion
from participation.working_days import add_working_days
from tests.factories import d, edit_and_publish

from .helpers import last_code, outbox_senders, resident_opinion

pytestmark = pytest.mark.django_db


def test_resident_opinion_needs_the_code_sent_to_the_contact(county):
    with outbox_senders():
        contact = intake.request_code("mobile", "138-0000-0002", "10.0.0.9")
        assert contact == "13800000002"
        with pytest.raises(intake.IntakeError) as wrong:
            intake.submit(body="意见", item=county.pre_item, contact_kind="mobile", contact=contact, code="000000", address="a")
        assert wrong.value.code == "wrong_code"
        opinion, tracking = intake.submit(
            body="意见", item=county.pre_item, contact_kind="mobile", contact=contact, code=last_code(contact), address="a"
        )
    assert opinion.number.startswith(str(opinion.created_at.year))
    assert Opinion.by_tracking_code(tracking.lower()) == opinion
    assert opinion.unit == county.township and opinion.moderation == Moderation.PENDING
    assert opinion.events.get().kind == EventKind.RECEIVED
    # The code is spent.
    with pytest.raises(intake.IntakeError):
        with outbox_senders():
            intake.submit(body="再一次", item=county.pre_item, contact_kind="mobile", contact=contact, code="x", address="a")


@override_settings(SUNSHINE_OPINION_CODES_PER_CONTACT_HOUR=2)
def test_codes_are_rate_limited_per_contact(county):
    with outbox_senders():
        intake.request_code("email", "a@example.cn", "1")
        intake.request_code("email", "A@example.cn ", "2")
        with pytest.raises(intake.IntakeError) as refused:
            intake.request_code("email", "a@example.cn", "3")
    assert refused.value.code == "rate_limited"


def test_members_only_item_takes_opinions_from_its_members_only(county):
    people = county.people
    with pytest.raises(intake.IntakeError):
        resident_opinion(item=county.members_item)
    with pytest.raises(intake.IntakeError):
        intake.submit(body="意见", item=county.members_item, user=people.other_member, address="m")
    opinion, _ = intake.submit(body="党内意见", item=county.members_item, user=people.member, address="m")
    assert opinion.members_only and not Opinion.objects.public().filter(pk=opinion.pk).exists()


def test_closed_item_refuses_opinions(county):
    with pytest.raises(intake.IntakeError) as refused:
        resident_opinion(item=county.plain_item)
    assert refused.value.code == "closed"


def test_flagged_words_go_to_moderation_with_a_flag(county):
    opinion, _ = resident_opinion(item=county.pre_item, body="有人在市场门口代开发票")
    assert opinion.flagged_words == "代开发票" and opinion.moderation == Moderation.PENDING


def test_the_whole_path_with_four_eyes(county):
    people = county.people
    opinion, tracking = resident_opinion(item=county.pre_item)
    with pytest.raises(handling.HandlingError):
        handling.publish(opinion, people.other_officer)
    handling.publish(opinion, people.officer)
    handling.assign(opinion, people.officer, people.officer2)
    opinion.refresh_from_db()
    assert opinion.state == State.ASSIGNED and opinion.deadline == add_working_days(timezone.localdate(), 10)
    handling.start(opinion, people.officer2)
    answer = handling.submit_answer(opinion, people.leader, "已在改造方案中增加无障碍通道。", Outcome.ADOPTED)
    with pytest.raises(handling.HandlingError, match="四眼"):
        handling.approve_answer(answer, people.leader)
    with pytest.raises(handling.HandlingError):
        handling.approve_answer(answer, people.officer)  # not of the leading group
    handling.approve_answer(answer, people.leader2)
    opinion.refresh_from_db()
    assert opinion.state == State.ANSWERED and opinion.approved_answer == answer
    handling.rate(opinion, Satisfaction.UNSATISFIED)
    handling.send_back(opinion, "通道位置不合理")
    opinion.refresh_from_db()
    assert opinion.state == State.IN_PROGRESS and opinion.returned_count == 1
    answer2 = handling.submit_answer(opinion, people.officer, "已调整通道位置。", Outcome.ADOPTED)
    handling.approve_answer(answer2, people.leader)
    opinion.refresh_from_db()
    handling.rate(opinion, Satisfaction.UNSATISFIED)
    with pytest.raises(handling.HandlingError, match="一次"):
        handling.send_back(opinion, "还是不满意")
    handling.close(opinion, people.officer)
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED and opinion.closed_at
    kinds = list(opinion.events.values_list("kind", flat=True))
    assert kinds[:3] == [EventKind.RECEIVED, EventKind.PUBLISHED, EventKind.ASSIGNED] and kinds[-1] == EventKind.CLOSED


def test_important_answer_needs_the_county_and_a_third_person(county):
    people = county.people
    opinion, _ = resident_opinion(item=county.pre_item)
    answer = handling.submit_answer(opinion, people.officer, "经研究，暂不具备改造条件，待明年预算安排。", Outcome.NOT_FEASIBLE, important=True)
    handling.approve_answer(answer, people.leader)
    answer.refresh_from_db()
    assert answer.status == AnswerStatus.PENDING_COUNTY
    with pytest.raises(handling.HandlingError):
        handling.approve_answer(answer, people.leader2)  # the unit's tier is done
    handling.approve_answer(answer, people.county_leader)
    opinion.refresh_from_db()
    assert opinion.state == State.NOT_FEASIBLE and opinion.closed_at


def test_not_feasible_needs_a_reason(county):
    opinion, _ = resident_opinion(item=county.pre_item)
    with pytest.raises(handling.HandlingError, match="理由"):
        handling.submit_answer(opinion, county.people.officer, "不行", Outcome.NOT_FEASIBLE)


def test_transfer_down_and_contact_reads_are_logged(county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township, body="东关村路灯不亮")
    with pytest.raises(handling.HandlingError):
        handling.transfer(opinion, people.officer, county.township2, "不属本镇")  # a sibling, not up or down
    handling.transfer(opinion, people.officer, county.village1, "属东关村")
    opinion.refresh_from_db()
    assert opinion.unit == county.village1 and opinion.state == State.RECEIVED
    with pytest.raises(handling.HandlingError):
        handling.contact_for(opinion, people.officer)  # no longer the handling unit
    with pytest.raises(handling.HandlingError):
        handling.contact_for(opinion, people.county_officer)
    assert handling.contact_for(opinion, people.village_officer)["contact"] == "13800000001"
    assert opinion.events.filter(kind=EventKind.CONTACT_VIEWED, actor=people.village_officer).count() == 1


def test_opinions_follow_their_items_audience(county):
    opinion, _ = resident_opinion(item=county.pre_item)
    handling.publish(opinion, county.people.officer)
    assert Opinion.objects.public().filter(pk=opinion.pk).exists()
    edit_and_publish(county.pre_item, scope=Scope.ALL_MEMBERS)
    assert not Opinion.objects.public().filter(pk=opinion.pk).exists()
    edit_and_publish(county.pre_item, scope=Scope.PUBLIC)
    assert Opinion.objects.public().filter(pk=opinion.pk).exists()


def test_working_days_skip_weekends_and_holidays():
    CalendarDay.objects.create(date=d("2026-10-01"), working=False, name="国庆节")
    CalendarDay.objects.create(date=d("2026-10-10"), working=True, name="调休")
    assert add_working_days(d("2026-09-30"), 1) == d("2026-10-02")  # Thursday holiday skipped
    assert add_working_days(d("2026-10-09"), 1) == d("2026-10-10")  # a Saturday worked
    assert add_working_days(d("2026-10-10"), 1) == d("2026-10-12")  # Sunday skipped
