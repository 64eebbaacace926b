"""The 意见办理 admin: the queue, one opinion's page and its steps through real POSTs, offline entry,
the answers to approve, the county's settings and the dashboard panels — as each kind of user sees them."""

import json
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from participation import handling
from participation.choices import AnswerStatus, Channel, EventKind, Moderation, Outcome, State
from participation.models import CalendarDay, Opinion, OpinionCatalogueEntry
from tests.factories import make_user

from .helpers import resident_opinion

pytestmark = pytest.mark.django_db

QUEUE = reverse("participation_admin:queue")


def page_of(opinion):
    return reverse("participation_admin:opinion", args=[opinion.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


def text_of(response):
    return response.content.decode()


def menu_of(response):
    """The admin sidebar's menu as text (Wagtail renders it from JSON props, with escaped characters)."""
    match = re.search(r'<script[^>]*id="wagtail-sidebar-props"[^>]*>(.*?)</script>', text_of(response), re.S)
    return json.dumps(json.loads(match.group(1)), ensure_ascii=False)


def overdue(opinion, days=3):
    Opinion.objects.filter(pk=opinion.pk).update(state=State.ASSIGNED, deadline=timezone.localdate() - timedelta(days=days))


# -- the queue ----------------------------------------------------------------------------------


def test_queue_shows_an_officer_their_own_units_opinions_only(client, county):
    mine, _ = resident_opinion(unit=county.township, body="集贸市场的排水沟堵塞", subject="排水沟堵塞")
    theirs, _ = resident_opinion(unit=county.township2, body="石桥镇的桥面破损", contact="13800000002")
    response = signed_in(client, county.people.officer).get(QUEUE)
    assert response.status_code == 200
    page = text_of(response)
    assert mine.number in page and "排水沟堵塞" in page
    assert theirs.number not in page and "桥面破损" not in page


def test_another_units_officer_gets_the_refusal_a_missing_number_gets(client, county):
    opinion, _ = resident_opinion(unit=county.township, subject="城关镇的秘密话题", body="内容")
    client = signed_in(client, county.people.other_officer)
    refused = client.get(page_of(opinion), follow=True)
    missing = client.get(reverse("participation_admin:opinion", args=[opinion.pk + 1000]), follow=True)
    assert refused.redirect_chain == missing.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert "城关镇的秘密话题" not in text_of(refused) and opinion.number not in text_of(refused)
    # Nor may they act on it.
    client.post(page_of(opinion), {"action": "publish"})
    opinion.refresh_from_db()
    assert opinion.moderation == Moderation.PENDING


@pytest.mark.parametrize("who", ["member", "other_member"])
def test_members_and_anonymous_have_no_section(client, county, who):
    opinion, _ = resident_opinion(unit=county.township)
    assert client.get(QUEUE).status_code == 302  # to the login page
    client = signed_in(client, getattr(county.people, who))
    for url in (QUEUE, page_of(opinion), reverse("participation_admin:offline"), reverse("participation_admin:answers")):
        response = client.get(url)
        assert response.status_code == 302 and opinion.number not in text_of(response)


def test_an_admin_user_of_no_unit_has_no_section_in_the_menu(client, county):
    from django.contrib.auth.models import Permission

    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = signed_in(client, editor)
    assert "意见办理" not in menu_of(client.get(reverse("wagtailadmin_home")))
    assert client.get(QUEUE).status_code == 302


def test_county_office_sees_every_unit_with_the_overdue_first(client, county):
    early, _ = resident_opinion(unit=county.township, subject="按时的意见", body="甲")
    late, _ = resident_opinion(unit=county.township2, subject="逾期的意见", body="乙", contact="13800000002")
    overdue(late)
    page = text_of(signed_in(client, county.people.county_officer).get(QUEUE))
    assert early.number in page and late.number in page
    assert page.index(late.number) < page.index(early.number)
    assert "w-text-critical-200" in page[page.index(late.number):page.index(early.number)]
    # Filtered to the overdue ones, and to one unit.
    overdue_only = text_of(client.get(QUEUE, {"overdue": "on"}))
    assert late.number in overdue_only and early.number not in overdue_only
    one_unit = text_of(client.get(QUEUE, {"unit": county.township.pk}))
    assert early.number in one_unit and late.number not in one_unit


def test_queue_filters_by_state_moderation_and_channel_and_flags_words(client, county):
    flagged, _ = resident_opinion(unit=county.township, body="有人在市场门口代开发票")
    published, _ = resident_opinion(unit=county.township, body="建议增加路灯", contact="13800000002")
    handling.publish(published, county.people.officer)
    client = signed_in(client, county.people.officer)
    page = text_of(client.get(QUEUE))
    assert "敏感词：代开发票" in page
    pending_only = text_of(client.get(QUEUE, {"moderation": Moderation.PENDING}))
    assert flagged.number in pending_only and published.number not in pending_only
    assert flagged.number not in text_of(client.get(QUEUE, {"channel": Channel.HEARING}))
    assert flagged.number not in text_of(client.get(QUEUE, {"state": State.CLOSED}))


def test_queue_pages(client, county, monkeypatch):
    from participation import admin_views

    first, _ = resident_opinion(unit=county.township, body="第一件")
    for index in range(2):
        resident_opinion(unit=county.township, body=f"又一件 {index}", contact=f"1380000001{index}")
    monkeypatch.setattr(admin_views, "QUEUE_PAGE_SIZE", 2)
    client = signed_in(client, county.people.officer)
    assert first.number not in text_of(client.get(QUEUE))  # the oldest is on the second page
    assert first.number in text_of(client.get(QUEUE, {"p": 2}))


# -- one opinion and its steps ------------------------------------------------------------------


def post_step(client, opinion, action, follow=True, **fields):
    return client.post(page_of(opinion), {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}},
                       follow=follow)


def test_the_whole_handling_through_the_page(client, county, django_capture_on_commit_callbacks):
    people = county.people
    opinion, _ = resident_opinion(item=county.pre_item, subject="无障碍通道", body="建议市场改造时增加无障碍通道。")
    client = signed_in(client, people.officer)
    page = text_of(client.get(page_of(opinion)))
    assert "建议市场改造时增加无障碍通道。" in page and "关于城关镇集贸市场改造方案的预公开" in page and "网站" in page
    assert "13800000001" not in page  # the contact only on request

    assert "意见已公开" in text_of(post_step(client, opinion, "publish"))
    with django_capture_on_commit_callbacks(execute=True):
        response = post_step(client, opinion, "assign", assignee=people.officer2.pk, working_days=30)
    opinion.refresh_from_db()
    assert opinion.assignee == people.officer2 and opinion.state == State.ASSIGNED
    assert f"办理期限至 {opinion.deadline:%Y-%m-%d}" in text_of(response)
    assert "期限 10 个工作日" in text_of(response)  # a unit's officer cannot set the days: the county's default

    signed_in(client, people.officer2)
    assert "已开始办理" in text_of(post_step(client, opinion, "start"))
    response = post_step(client, opinion, "answer", outcome=Outcome.ADOPTED, body="已在改造方案中增加无障碍通道。")
    assert "答复已提交" in text_of(response)
    answer = opinion.answers.get()

    # Four-eyes: the leader who wrote nothing approves; the author is refused, with the reason shown.
    signed_in(client, people.leader)
    assert "审核通过答复" in text_of(client.get(page_of(opinion)))
    assert "审核通过，答复已公开" in text_of(post_step(client, opinion, "approve"))
    opinion.refresh_from_db()
    assert opinion.state == State.ANSWERED
    assert "已销号" in text_of(post_step(client, opinion, "close", note="群众已知悉"))
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED
    timeline = text_of(client.get(page_of(opinion)))
    for step in ("受理", "审查公开", "交办", "开始办理", "提交答复", "答复", "销号", "群众已知悉", "cgz_officer2"):
        assert step in timeline
    assert answer.body in timeline and "审核通过" in timeline


def test_an_answer_author_who_approves_sees_the_refusal(client, county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    client = signed_in(client, people.leader)
    post_step(client, opinion, "answer", outcome=Outcome.EXPLAINED, body="该路段已列入明年计划。")
    page = text_of(client.get(page_of(opinion)))
    assert "审核通过答复" not in page  # not offered to the author
    response = post_step(client, opinion, "approve")
    assert "四眼原则" in text_of(response)
    assert opinion.answers.get().status == AnswerStatus.PENDING_UNIT


def test_reject_needs_a_reason_and_is_shown(client, county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    handling.submit_answer(opinion, people.officer, "已安排人员处理。", Outcome.ADOPTED)
    client = signed_in(client, people.leader)
    response = post_step(client, opinion, "reject", reason="")
    assert "请更正" in text_of(response) and opinion.answers.get().status == AnswerStatus.PENDING_UNIT
    response = post_step(client, opinion, "reject", reason="请写明处理时间")
    assert "答复已退回修改" in text_of(response)
    assert "请写明处理时间" in text_of(client.get(page_of(opinion)))


def test_important_answer_goes_to_the_county_leading_group(client, county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township)
    client = signed_in(client, people.officer)
    post_step(client, opinion, "answer", outcome=Outcome.NOT_FEASIBLE, body="经研究，暂不具备改造条件，待明年预算安排。", important="on")
    signed_in(client, people.leader)
    assert "已提请县级审核" in text_of(post_step(client, opinion, "approve"))
    signed_in(client, people.county_officer)  # the county office, not its leading group
    assert "审核通过答复" not in text_of(client.get(page_of(opinion)))
    assert "县委党务公开领导小组" in text_of(post_step(client, opinion, "approve"))
    signed_in(client, people.county_leader)
    assert "审核通过，答复已公开" in text_of(post_step(client, opinion, "approve"))
    opinion.refresh_from_db()
    assert opinion.state == State.NOT_FEASIBLE


def test_hide_and_merge(client, county):
    people = county.people
    first, _ = resident_opinion(unit=county.township, body="路灯不亮")
    again, _ = resident_opinion(unit=county.township, body="路灯还是不亮", contact="13800000002")
    spam, _ = resident_opinion(unit=county.township, body="广告", contact="13800000003")
    theirs, _ = resident_opinion(unit=county.township2, body="别处", contact="13800000004")
    client = signed_in(client, people.officer)
    assert "已设为不予公开" in text_of(post_step(client, spam, "hide", reason="spam", note=""))
    spam.refresh_from_db()
    assert spam.moderation == Moderation.HIDDEN and spam.hidden_reason == "spam"
    # Another unit's number is "not found", as if it did not exist.
    response = post_step(client, again, "merge", number=theirs.number)
    assert f"找不到受理编号为 {theirs.number} 的意见" in text_of(response)
    response = post_step(client, again, "merge", number=first.number)
    assert f"已合并到意见 {first.number}" in text_of(response)
    again.refresh_from_db()
    assert again.merged_into == first


def test_transfer_to_a_village_and_the_county_sets_the_days(client, county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township, body="东关村路灯不亮")
    client = signed_in(client, people.officer)
    page = text_of(client.get(page_of(opinion)))
    assert "石桥镇党委" not in page.split("转办给")[1].split("</select>")[0]  # a sibling is no target
    response = post_step(client, opinion, "transfer", to_unit=county.village1.pk, note="")
    assert "请更正" in text_of(response)
    response = post_step(client, opinion, "transfer", to_unit=county.village1.pk, note="属东关村")
    assert "已转办给" in text_of(response)
    opinion.refresh_from_db()
    assert opinion.unit == county.village1
    # The township's officer no longer handles it: no step, no contact.
    page = text_of(client.get(page_of(opinion), follow=True))
    assert 'value="contact"' not in page and 'name="action"' not in page

    signed_in(client, people.county_officer)
    post_step(client, opinion, "assign", assignee=people.village_officer.pk, working_days=5)
    opinion.refresh_from_db()
    assert opinion.assignee == people.village_officer and "期限 5 个工作日" in opinion.events.last().note


def test_contact_is_shown_on_request_to_the_handling_unit_only_and_logged(client, county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township, name="王五")
    client = signed_in(client, people.officer)
    response = client.post(page_of(opinion), {"action": "contact"})
    assert "13800000001" in text_of(response) and "王五" in text_of(response)
    assert opinion.events.filter(kind=EventKind.CONTACT_VIEWED, actor=people.officer).count() == 1

    signed_in(client, people.county_officer)  # sees the opinion, not who wrote it
    page = text_of(client.get(page_of(opinion)))
    assert opinion.number in page and 'value="contact"' not in page
    response = client.post(page_of(opinion), {"action": "contact"}, follow=True)
    assert "13800000001" not in text_of(response) and "只有承办单位的工作人员" in text_of(response)
    signed_in(client, people.other_officer)
    assert "13800000001" not in text_of(client.post(page_of(opinion), {"action": "contact"}, follow=True))
    assert opinion.events.filter(kind=EventKind.CONTACT_VIEWED).count() == 1


def test_a_step_not_offered_is_refused_with_the_reason(client, county):
    opinion, _ = resident_opinion(unit=county.township)
    client = signed_in(client, county.people.officer)
    response = post_step(client, opinion, "close")
    assert "只有已答复的意见才能销号" in text_of(response)
    assert "未知的操作" in text_of(client.post(page_of(opinion), {"action": "explode"}, follow=True))


# -- offline entry, answers awaiting, the county's settings, the dashboard ----------------------


def test_offline_entry_shows_the_new_number(client, county):
    client = signed_in(client, county.people.officer)
    url = reverse("participation_admin:offline")
    form = text_of(client.get(url))
    assert "城关镇党委" in form and "石桥镇党委" not in form and "网站" not in form
    response = client.post(url, {
        "unit": county.township.pk, "channel": Channel.HEARING, "received_on": timezone.localdate().isoformat(),
        "place": "城关镇便民服务中心", "subject": "停车难", "body": "恳谈会上群众反映集市停车难。", "name": "赵六",
        "contact_kind": "mobile", "contact": "13900000000", "item": county.pre_item.pk,
    }, follow=True)
    opinion = Opinion.objects.get(channel=Channel.HEARING)
    assert f"已录入，受理编号 {opinion.number}" in text_of(response)
    assert opinion.entered_by == county.people.officer and opinion.place == "城关镇便民服务中心" and opinion.item == county.pre_item


def test_offline_entry_refuses_bad_input_in_chinese(client, county):
    client = signed_in(client, county.people.officer)
    url = reverse("participation_admin:offline")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(url, {"unit": county.township.pk, "channel": Channel.BOX, "received_on": tomorrow, "body": "意见"})
    assert response.status_code == 200 and "不能晚于今天" in text_of(response)
    response = client.post(url, {"unit": county.township2.pk, "channel": Channel.BOX,
                                 "received_on": timezone.localdate().isoformat(), "body": "意见"})
    assert response.status_code == 200 and not Opinion.objects.exists()
    response = client.post(url, {"unit": county.township.pk, "channel": Channel.BOX, "received_on": timezone.localdate().isoformat(),
                                 "body": "意见", "contact_kind": "mobile", "contact": "12345"})
    assert "11位手机号码" in text_of(response) and not Opinion.objects.exists()


def test_answers_awaiting_lists_the_unit_tier_without_ones_own(client, county):
    people = county.people
    opinion, _ = resident_opinion(unit=county.township, subject="路灯")
    handling.submit_answer(opinion, people.leader, "已修复路灯。", Outcome.ADOPTED)
    url = reverse("participation_admin:answers")
    assert opinion.number in text_of(signed_in(client, people.leader2).get(url))
    assert opinion.number not in text_of(signed_in(client, people.leader).get(url))  # their own
    assert opinion.number not in text_of(signed_in(client, people.county_leader).get(url))  # not the county's tier
    assert opinion.number not in text_of(signed_in(client, people.other_officer).get(url))


def test_dashboard_panels(client, county):
    people = county.people
    waiting, _ = resident_opinion(unit=county.township, subject="待审查的意见")
    late, _ = resident_opinion(unit=county.township, subject="交办的意见", contact="13800000002")
    handling.publish(late, people.officer)
    handling.assign(late, people.officer, people.officer2)
    overdue(late)
    home = reverse("wagtailadmin_home")
    page = text_of(signed_in(client, people.officer2).get(home))
    assert "待办意见" in page and "1 件逾期" in page
    assert page.index(late.number) < page.index(waiting.number)
    answer_opinion, _ = resident_opinion(unit=county.township, subject="已答复", contact="13800000003")
    handling.submit_answer(answer_opinion, people.officer, "已处理。", Outcome.ADOPTED)
    page = text_of(signed_in(client, people.leader).get(home))
    assert "待审核答复" in page and "共 1 份答复等待您审核" in page
    assert "待办意见" not in text_of(signed_in(client, people.other_officer).get(home))


def test_county_office_manages_catalogue_entries_and_calendar(client, county):
    from participation.admin_views import calendar_viewset, catalogue_entries_viewset

    calendar_add = reverse(calendar_viewset.get_url_name("add"))
    entries_add = reverse(catalogue_entries_viewset.get_url_name("add"))
    client = signed_in(client, county.people.county_officer)
    client.post(calendar_add, {"date": "2026-10-01", "working": "", "name": "国庆节"})
    assert CalendarDay.objects.get(date="2026-10-01").name == "国庆节"
    entry = county.entries[0] if isinstance(county.entries, list) else next(iter(county.entries.values()))
    client.post(entries_add, {"entry": entry.pk, "open_days": 15})
    assert OpinionCatalogueEntry.objects.get(entry=entry).open_days == 15
    menu = menu_of(client.get(reverse("wagtailadmin_home")))
    assert "意见办理" in menu and "节假日与调休" in menu and "征求意见目录" in menu

    for user in (county.people.officer, county.people.leader):
        client = signed_in(client, user)
        assert client.get(reverse(calendar_viewset.get_url_name("index"))).status_code == 302
        client.post(calendar_add, {"date": "2026-10-02", "working": "", "name": "假"})
        menu = menu_of(client.get(reverse("wagtailadmin_home")))
        assert "办理队列" in menu and "节假日与调休" not in menu
    assert not CalendarDay.objects.filter(date="2026-10-02").exists()


def test_superuser_has_the_section(client, county):
    opinion, _ = resident_opinion(unit=county.township2)
    admin = make_user("root", is_superuser=True, is_staff=True)
    client = signed_in(client, admin)
    assert opinion.number in text_of(client.get(QUEUE))
    assert "13800000001" in text_of(client.post(page_of(opinion), {"action": "contact"}))
