"""我的监督 on the portal: the supervised units, one unit's items, obligations and notes, filing a
note, and closing (销号) or sending back (退回重办) an answer. Every refusal is checked: anonymous
visitors sign in, non-supervisors are told, other units answer 404 and nothing is written."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from wagtail.models import Locale

from supervision import inspections
from supervision.choices import InspectionState, ObligationStatus
from supervision.models import Inspection, InspectionStep, Obligation
from tests.factories import built_once, fresh

from .test_inspections import build_inspection_county

pytestmark = pytest.mark.django_db

county_once = built_once(build_inspection_county)


@pytest.fixture
def county(county_once, db):
    return fresh(county_once)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def unit_url(unit, language="zh-hans"):
    return f"/{language}/supervise/{unit.pk}/"


def filing(**fields):
    data = {"action": "file", "subject": "党费收缴情况未按季度公开", "body": "第三季度党费收缴使用情况至今未公开，请说明原因并整改。"}
    data.update(fields)
    return data


def answered_note(county, supervisor=None):
    note = inspections.file(county.township, supervisor or county.people.supervisor, "工作要点未更新", "请更新2026年工作要点。")
    return inspections.answer(note, county.people.officer, "已于本周更新并重新发布。")


# -- who gets in ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/zh-hans/supervise/", "/zh-hant/supervise/"])
def test_anonymous_visitors_are_sent_to_sign_in(county, path):
    response = Client().get(path)
    assert response.status_code == 302 and "/account/login/?next=" in response["Location"]
    response = Client().post(unit_url(county.township), filing())
    assert response.status_code == 302 and "/account/login/" in response["Location"]
    assert not Inspection.objects.exists()


def test_a_member_who_supervises_nothing_is_told_why(county):
    response = client_for(county.people.member).get("/zh-hans/supervise/")
    assert response.status_code == 403
    assert "您的账号不是任何党组织的监督员" in response.content.decode()
    assert client_for(county.people.member).get(unit_url(county.township)).status_code == 404


def test_the_workspace_lists_the_supervised_units_only(county):
    inspections.file(county.township, county.people.supervisor, "事项", "意见")
    html = client_for(county.people.supervisor).get("/zh-hans/supervise/").content.decode()
    assert "城关镇党委" in html and unit_url(county.township) in html
    assert "石桥镇党委" not in html and unit_url(county.township2) not in html
    assert "待答复督查意见 <strong>1</strong>" in html


def test_another_units_workspace_is_not_found(county):
    client = client_for(county.people.other_supervisor)
    assert client.get(unit_url(county.township)).status_code == 404
    assert client.get(unit_url(county.township2)).status_code == 200
    assert client.get("/zh-hans/supervise/999999/").status_code == 404


def test_officers_are_not_supervisors(county):
    assert client_for(county.people.officer).get(unit_url(county.township)).status_code == 404


# -- what the unit page shows -------------------------------------------------------------------


def test_members_only_items_appear_only_to_a_supervisor_who_may_read_them(county):
    member_view = client_for(county.people.supervisor).get(unit_url(county.township)).content.decode()
    plain_view = client_for(county.people.plain_supervisor).get(unit_url(county.township)).content.decode()
    assert county.public_item.title in member_view and county.public_item.title in plain_view
    assert county.members_item.title in member_view and "向本单位及下级组织党员公开" in member_view
    assert county.members_item.title not in plain_view  # neither listed nor offered in the form
    assert county.other_item.title not in member_view


def test_a_note_on_a_members_only_item_does_not_show_its_title_to_a_supervisor_outside_it(county):
    note = inspections.file(county.township, county.people.supervisor, "党内事项的督查", "意见", item=county.members_item)
    html = client_for(county.people.plain_supervisor).get(unit_url(county.township)).content.decode()
    assert note.number in html and county.members_item.title not in html


def test_the_units_obligations_late_this_month_and_next(county):
    today = timezone.localdate()
    first = today.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    entries = county.entries
    rows = [
        (entries["党费收缴使用"], first - datetime.timedelta(days=40), ObligationStatus.MISSING),
        (entries["理论学习计划"], first + datetime.timedelta(days=3), ObligationStatus.DUE),
        (entries["述职述廉报告"], next_month + datetime.timedelta(days=5), ObligationStatus.DUE),
    ]
    for entry, due_on, status in rows:
        Obligation.objects.create(
            unit=county.township, section=county.township, entry=entry, timing=entry.timing,
            period_start=due_on - datetime.timedelta(days=30), period_end=due_on, due_on=due_on, status=status,
        )
    Obligation.objects.create(
        unit=county.township2, section=county.township2, entry=entries["发展党员"], timing=entries["发展党员"].timing,
        period_start=first, period_end=first, due_on=first, status=ObligationStatus.MISSING,
    )
    html = client_for(county.people.supervisor).get(unit_url(county.township)).content.decode()
    section = html[html.index('id="obligations-heading"'):html.index('id="items-heading"')]
    late, this_month, next_part = section.index("已逾期未公开"), section.index("本月应公开"), section.index("下月应公开")
    assert late < section.index("党费收缴使用") < this_month
    assert this_month < section.index("理论学习计划") < next_part
    assert next_part < section.index("述职述廉报告")
    assert "应公开未公开" in section and "发展党员" not in section  # the other township's


def test_the_unit_page_links_the_units_opinion_ledger(county):
    html = client_for(county.people.supervisor).get(unit_url(county.township)).content.decode()
    assert f"/zh-hans/opinions/?unit={county.township.pk}" in html


def test_the_traditional_unit_page_maps_to_the_same_unit(county):
    hant = county.township.get_translation_or_none(Locale.objects.get(language_code="zh-hant"))
    if hant is None:
        hant = county.township.copy_for_translation(Locale.objects.get(language_code="zh-hant"))
    response = client_for(county.people.supervisor).get(unit_url(hant, "zh-hant"))
    assert response.status_code == 200
    client_for(county.people.supervisor).post(unit_url(hant, "zh-hant"), filing())
    assert Inspection.objects.get().unit_id == county.township.pk
    assert client_for(county.people.other_supervisor).get(unit_url(hant, "zh-hant")).status_code == 404


# -- filing a note -------------------------------------------------------------------------------


def test_filing_a_note_numbers_it_logs_it_and_mails_the_unit(county, django_capture_on_commit_callbacks):
    client = client_for(county.people.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(unit_url(county.township), filing(item=str(county.members_item.pk)))
    assert response.status_code == 302
    note = Inspection.objects.get()
    assert note.number == f"DC{timezone.localdate().year}-0001" and note.item == county.members_item
    assert note.filed_by == county.people.supervisor and note.state == InspectionState.OPEN
    assert note.deadline == timezone.localdate() + datetime.timedelta(days=15)
    assert list(note.steps.values_list("action", flat=True)) == ["filed"]
    assert sorted(message.to[0] for message in mail.outbox) == ["leader@example.cn", "officer@example.cn"]
    assert "新的督查意见" in mail.outbox[0].subject and "张监督对贵单位提出了督查意见" in mail.outbox[0].body
    html = client.get(response["Location"]).content.decode()
    assert note.number in html and "党费收缴情况未按季度公开" in html and "待答复" in html


@pytest.mark.parametrize("tampered", ["members", "other_unit", "nonsense"])
def test_a_tampered_item_is_refused_and_nothing_saved(county, tampered):
    item_id = {"members": county.members_item.pk, "other_unit": county.other_item.pk, "nonsense": "1 OR 1=1"}[tampered]
    response = client_for(county.people.plain_supervisor).post(unit_url(county.township), filing(item=str(item_id)))
    assert response.status_code == 400
    assert "所选事项不属于该单位或您无权查看" in response.content.decode()
    assert not Inspection.objects.exists() and not InspectionStep.objects.exists()


def test_another_units_obligation_is_refused(county):
    entry = county.entries["党费收缴使用"]
    other = Obligation.objects.create(
        unit=county.township2, section=county.township2, entry=entry, timing=entry.timing,
        period_start=timezone.localdate(), period_end=timezone.localdate(), due_on=timezone.localdate(),
    )
    response = client_for(county.people.supervisor).post(unit_url(county.township), filing(obligation=str(other.pk)))
    assert response.status_code == 400 and "所选事项不属于该单位或您无权查看" in response.content.decode()
    assert not Inspection.objects.exists()


def test_missing_and_too_long_text_is_refused_in_chinese(county):
    client = client_for(county.people.supervisor)
    html = client.post(unit_url(county.township), filing(subject="", body="意" * 2001)).content.decode()
    assert "请填写督查事项。" in html and "督查意见不能超过 2000 字（现有 2001 字）。" in html
    assert not Inspection.objects.exists()


def test_a_supervisor_of_another_unit_cannot_file_on_it(county):
    response = client_for(county.people.other_supervisor).post(unit_url(county.township), filing())
    assert response.status_code == 404
    assert not Inspection.objects.exists()


# -- closing or sending back ---------------------------------------------------------------------


def test_the_supervisor_closes_an_answered_note(county, django_capture_on_commit_callbacks):
    note = answered_note(county)
    mail.outbox.clear()
    client = client_for(county.people.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(unit_url(county.township), {"action": "close", "inspection": note.pk})
    note.refresh_from_db()
    assert note.state == InspectionState.CLOSED and note.closed_at is not None
    assert list(note.steps.values_list("action", flat=True)) == ["filed", "answered", "closed"]
    assert sorted(message.to[0] for message in mail.outbox) == ["leader@example.cn", "officer@example.cn"]
    assert "已销号" in mail.outbox[0].subject
    assert "已销号" in client.get(unit_url(county.township)).content.decode()


def test_another_supervisor_of_the_unit_sends_it_back_with_a_reason(county, django_capture_on_commit_callbacks):
    note = answered_note(county)
    Inspection.objects.filter(pk=note.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(county.people.plain_supervisor).post(
            unit_url(county.township), {"action": "return", "inspection": note.pk, f"return-{note.pk}-reason": "更新后的工作要点缺少第四季度安排。"}
        )
    note.refresh_from_db()
    assert note.state == InspectionState.RETURNED
    assert note.deadline == timezone.localdate() + datetime.timedelta(days=15)
    step = note.steps.last()
    assert (step.action, step.text, step.by) == ("returned", "更新后的工作要点缺少第四季度安排。", county.people.plain_supervisor)
    assert "缺少第四季度安排" in mail.outbox[0].body and "退回重办" in mail.outbox[0].subject


def test_sending_back_needs_a_reason(county):
    note = answered_note(county)
    html = client_for(county.people.supervisor).post(
        unit_url(county.township), {"action": "return", "inspection": note.pk, f"return-{note.pk}-reason": ""}
    ).content.decode()
    assert "请填写退回理由。" in html
    note.refresh_from_db()
    assert note.state == InspectionState.ANSWERED


def test_an_open_note_cannot_be_closed(county):
    note = inspections.file(county.township, county.people.supervisor, "事项", "意见")
    response = client_for(county.people.supervisor).post(unit_url(county.township), {"action": "close", "inspection": note.pk}, follow=True)
    assert "该督查意见尚未答复，不能销号或退回。" in response.content.decode()
    note.refresh_from_db()
    assert note.state == InspectionState.OPEN


def test_a_supervisor_of_another_unit_cannot_close_or_send_back(county):
    note = answered_note(county)
    client = client_for(county.people.other_supervisor)
    assert client.post(unit_url(county.township), {"action": "close", "inspection": note.pk}).status_code == 404
    # Through their own unit's page, the note is not theirs to touch.
    response = client.post(unit_url(county.township2), {"action": "close", "inspection": note.pk}, follow=True)
    assert "没有这条督查意见。" in response.content.decode()
    client.post(unit_url(county.township2), {"action": "return", "inspection": note.pk, f"return-{note.pk}-reason": "越权"})
    note.refresh_from_db()
    assert note.state == InspectionState.ANSWERED
    assert list(note.steps.values_list("action", flat=True)) == ["filed", "answered"]


def test_the_workspace_shows_units_in_the_readers_script(county):
    client = client_for(county.people.supervisor)
    assert "城关镇党委" in client.get("/zh-hans/supervise/").content.decode()
    html = client.get("/zh-hant/supervise/").content.decode()
    assert "城關鎮黨委" in html and "城关镇党委" not in html
    assert unit_url(county.township, "zh-hant") in html  # the same unit id in either script


def test_the_portal_menu_offers_the_workspace_to_supervisors_only(county):
    assert "/zh-hans/supervise/" in client_for(county.people.supervisor).get("/zh-hans/").content.decode()
    assert "/zh-hans/supervise/" not in client_for(county.people.member).get("/zh-hans/").content.decode()
    assert "/zh-hans/supervise/" not in Client().get("/zh-hans/").content.decode()


def test_notes_are_listed_overdue_first_then_answers_awaiting_the_supervisor(county):
    closed = answered_note(county)
    inspections.close(closed, county.people.supervisor)
    waiting = inspections.file(county.township, county.people.supervisor, "尚待答复的意见", "意见")
    answered = answered_note(county)
    late = inspections.file(county.township, county.people.supervisor, "逾期未答复的意见", "意见")
    Inspection.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    html = client_for(county.people.supervisor).get(unit_url(county.township)).content.decode()
    positions = [html.index(f'id="note-{note.pk}"') for note in (late, answered, waiting, closed)]
    assert positions == sorted(positions)
