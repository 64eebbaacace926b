"""督查意见 in the admin: the unit's queue, answering (整改答复), the dashboard panel and the menu;
and the numbering of notes. Who may not see or answer a note is refused, nothing written."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from disclosure_pages.choices import Scope
from supervision import inspections
from supervision.choices import InspectionState
from supervision.models import Inspection, InspectionStep
from tests.factories import build_tree, built_once, fresh, make_item, make_member, make_user

pytestmark = pytest.mark.django_db


def build_inspection_county():
    """The test county with a township's supervisors (one also a party member of it), its
    officers, another township's officer and supervisor, the county office and a member."""
    tree = build_tree()
    supervisor = make_user("cgz_sup", tree.township.supervisors_group, tree.township.members_group, email="sup@example.cn", first_name="张监督")
    tree.people = SimpleNamespace(
        supervisor=supervisor,
        plain_supervisor=make_user("cgz_sup2", tree.township.supervisors_group, email="sup2@example.cn"),
        other_supervisor=make_user("sqz_sup", tree.township2.supervisors_group, email="sqz_sup@example.cn"),
        officer=make_user("cgz_officer", tree.township.officers_group, email="officer@example.cn"),
        officer_without_mail=make_user("cgz_officer2", tree.township.officers_group),
        leader=make_user("cgz_leader", tree.township.leading_group, email="leader@example.cn"),
        other_officer=make_user("sqz_officer", tree.township2.officers_group, email="sqz@example.cn"),
        county_officer=make_user("qx_officer", tree.county.officers_group, email="qx@example.cn"),
        member=make_member(tree.township, "cgz_member"),
    )
    tree.public_item = make_item(tree.township, "城关镇党委2026年工作要点")
    tree.members_item = make_item(tree.township, "关于发展党员工作的意见（党内）", scope=Scope.UNIT_MEMBERS)
    tree.other_item = make_item(tree.township2, "石桥镇党委2026年工作要点")
    return tree


county_once = built_once(build_inspection_county)


@pytest.fixture
def county(county_once, db):
    return fresh(county_once)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def note_on(unit, supervisor, subject="党费收缴情况未按季度公开", **fields):
    return inspections.file(unit, supervisor, subject, "请说明第三季度党费收缴使用情况为何未公开。", **fields)


# -- numbering and deadlines --------------------------------------------------------------------


def test_notes_are_numbered_per_year_and_due_after_the_countys_answer_days(county):
    first = note_on(county.township, county.people.supervisor)
    second = note_on(county.township, county.people.supervisor)
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"DC{year}-0001", f"DC{year}-0002")
    assert first.deadline == timezone.localdate() + datetime.timedelta(days=15)
    assert list(first.steps.values_list("action", "by")) == [("filed", county.people.supervisor.pk)]


def test_the_countys_own_answer_days_set_the_deadline(county):
    from supervision.models import SupervisionRules

    SupervisionRules.objects.create(county=county.county, tracking_start=datetime.date(2026, 1, 1), inspection_answer_days=5)
    note = note_on(county.township, county.people.supervisor)
    assert note.deadline == timezone.localdate() + datetime.timedelta(days=5)


def test_numbers_go_on_past_ten_thousand(county):
    year = timezone.localdate().year
    note = note_on(county.township, county.people.supervisor)
    Inspection.objects.filter(pk=note.pk).update(number=f"DC{year}-9999")
    note_on(county.township, county.people.supervisor)
    assert note_on(county.township, county.people.supervisor).number == f"DC{year}-10001"


def test_a_number_taken_meanwhile_is_retried_with_the_next(county, monkeypatch):
    taken = note_on(county.township, county.people.supervisor)
    numbers = iter([taken.number, "DC2099-0002"])
    monkeypatch.setattr(inspections, "next_number", lambda year: next(numbers))
    note = note_on(county.township, county.people.supervisor)
    assert note.number == "DC2099-0002"
    assert Inspection.objects.count() == 2


def test_a_clash_every_time_is_not_hidden(county, monkeypatch):
    taken = note_on(county.township, county.people.supervisor)
    monkeypatch.setattr(inspections, "next_number", lambda year: taken.number)
    with pytest.raises(IntegrityError):
        note_on(county.township, county.people.supervisor)
    assert Inspection.objects.count() == 1


def test_only_the_units_supervisors_file_and_only_on_what_they_may_read(county):
    with pytest.raises(inspections.InspectionError):
        note_on(county.township, county.people.other_supervisor)
    with pytest.raises(inspections.InspectionError):
        note_on(county.township, county.people.member)
    with pytest.raises(inspections.InspectionError):  # members-only, and not a member
        note_on(county.township, county.people.plain_supervisor, item=county.members_item)
    with pytest.raises(inspections.InspectionError):  # another unit's item
        note_on(county.township, county.people.supervisor, item=county.other_item)
    assert not Inspection.objects.exists()
    assert note_on(county.township, county.people.supervisor, item=county.members_item).item == county.members_item


# -- the queue ------------------------------------------------------------------------------------


def test_the_queue_lists_the_units_notes_overdue_first(county):
    recent = note_on(county.township, county.people.supervisor, subject="近期的督查意见")
    late = note_on(county.township, county.people.supervisor, subject="已经逾期的督查意见")
    Inspection.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    note_on(county.township2, county.people.other_supervisor, subject="石桥镇的督查意见")
    html = client_for(county.people.officer).get("/admin/supervision/inspections/").content.decode()
    assert "已经逾期的督查意见" in html and "近期的督查意见" in html
    assert html.index("已经逾期的督查意见") < html.index("近期的督查意见")
    assert "逾期" in html[html.index("已经逾期的督查意见"):html.index("近期的督查意见")]
    assert "石桥镇的督查意见" not in html
    assert recent.number in html


def test_the_county_office_sees_every_units_notes(county):
    note_on(county.township, county.people.supervisor, subject="城关镇的督查意见")
    note_on(county.township2, county.people.other_supervisor, subject="石桥镇的督查意见")
    html = client_for(county.people.county_officer).get("/admin/supervision/inspections/").content.decode()
    assert "城关镇的督查意见" in html and "石桥镇的督查意见" in html


def test_people_who_manage_no_unit_get_no_queue(county):
    for person in (county.people.member, county.people.supervisor):
        response = client_for(person).get("/admin/supervision/inspections/")
        assert response.status_code in (302, 403)
        assert "督查事项" not in response.content.decode()


# -- one note and its answer ----------------------------------------------------------------------


def test_the_officer_answers_and_the_supervisor_is_told(county, django_capture_on_commit_callbacks):
    note = note_on(county.township, county.people.supervisor, item=county.public_item)
    url = f"/admin/supervision/inspections/{note.pk}/"
    client = client_for(county.people.officer)
    html = client.get(url).content.decode()
    assert "请说明第三季度党费收缴使用情况为何未公开。" in html
    assert county.public_item.title in html and "提交整改答复" in html
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"answer": "已于12月5日补充公开第三季度党费收缴使用情况。"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.state == InspectionState.ANSWERED and note.answered_by == county.people.officer
    assert list(note.steps.values_list("action", flat=True)) == ["filed", "answered"]
    assert [message.to for message in mail.outbox] == [["sup@example.cn"]]
    assert "已于12月5日补充公开" in mail.outbox[0].body and note.number in mail.outbox[0].subject
    html = client.get(url).content.decode()
    assert "已答复" in html and "提交整改答复" not in html


def test_an_empty_or_too_long_answer_is_refused_in_chinese(county):
    note = note_on(county.township, county.people.supervisor)
    client = client_for(county.people.officer)
    url = f"/admin/supervision/inspections/{note.pk}/"
    assert "请填写整改答复。" in client.post(url, {"answer": ""}).content.decode()
    assert "整改答复不能超过 2000 字。" in client.post(url, {"answer": "答" * 2001}).content.decode()
    note.refresh_from_db()
    assert note.state == InspectionState.OPEN and note.answer == ""


def test_another_units_officer_neither_sees_nor_answers(county):
    note = note_on(county.township, county.people.supervisor)
    client = client_for(county.people.other_officer)
    url = f"/admin/supervision/inspections/{note.pk}/"
    refused = client.get(url, follow=True)
    missing = client.get("/admin/supervision/inspections/999999/", follow=True)
    assert refused.redirect_chain == missing.redirect_chain == [("/admin/", 302)]
    assert note.subject not in refused.content.decode() and "你没有权限访问" in refused.content.decode()
    assert client.post(url, {"answer": "越权答复"}).status_code == 302
    note.refresh_from_db()
    assert note.state == InspectionState.OPEN and note.answer == ""
    assert not InspectionStep.objects.filter(inspection=note, action="answered").exists()


def test_the_county_office_reads_but_does_not_answer_for_the_unit(county):
    note = note_on(county.township, county.people.supervisor)
    client = client_for(county.people.county_officer)
    url = f"/admin/supervision/inspections/{note.pk}/"
    html = client.get(url).content.decode()
    assert note.subject in html and "提交整改答复" not in html
    client.post(url, {"answer": "县委办公室代答"})
    note.refresh_from_db()
    assert note.state == InspectionState.OPEN and note.answer == ""


def test_an_answered_note_is_not_answered_twice(county):
    note = note_on(county.township, county.people.supervisor)
    inspections.answer(note, county.people.officer, "第一次答复")
    client_for(county.people.leader).post(f"/admin/supervision/inspections/{note.pk}/", {"answer": "第二次答复"})
    note.refresh_from_db()
    assert note.answer == "第一次答复"


# -- dashboard and menu ---------------------------------------------------------------------------


def test_the_dashboard_shows_open_notes_to_the_units_officers(county):
    note = note_on(county.township, county.people.supervisor, subject="工作要点未及时更新")
    html = client_for(county.people.officer).get("/admin/").content.decode()
    assert "待答复督查意见" in html and "工作要点未及时更新" in html and note.number in html
    assert "待答复督查意见" not in client_for(county.people.other_officer).get("/admin/").content.decode()
    inspections.answer(note, county.people.officer, "已更新。")
    assert "待答复督查意见" not in client_for(county.people.officer).get("/admin/").content.decode()


def test_the_menu_item_is_shown_to_unit_officers_and_the_county_office(county):
    for person in (county.people.officer, county.people.county_officer):
        html = client_for(person).get("/admin/").content.decode()
        assert "/admin/supervision/inspections/" in html
