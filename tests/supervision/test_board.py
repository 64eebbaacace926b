"""督办台, its drill-downs, chases (催办) and escalation, the unit's 公开日历 and dashboard panel,
and the county's rules and exemptions — as the county office, a township, a unit and outsiders see them.

Obligation rows are written directly here (the engine that fills them is tested on its own).
"""

import datetime
import json
import re
import sys
import types
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from disclosure_pages.choices import TimingKind
from disclosure_pages.models import CatalogueEntry
from participation.senders import OutboxSender
from supervision.choices import ObligationStatus as S
from supervision.models import Chase, Exemption, Obligation, SupervisionRules
from tests.factories import build_tree, built_once, d, fresh, make_member, make_user

BOARD = "supervision_board:board"
Q3 = "period=quarter&year=2026&n=3"
OUTBOX_SENDERS = {
    "email": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
    "mobile": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
}


def oblige(unit, section, entry, start, status, due=None, met_on=None, end=None):
    start = d(start)
    return Obligation.objects.create(
        unit=unit, section=section, entry=entry, timing=entry.timing, period_start=start,
        period_end=d(end) if end else start + datetime.timedelta(days=89), due_on=d(due) if due else start + datetime.timedelta(days=99),
        status=status, met_on=d(met_on) if met_on else None,
    )


def build():
    t = build_tree()
    e = t.entries
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    for unit in (t.village1, t.township2):
        unit.supervisors_group.permissions.add(access)  # supervisors reach the admin (their workspace)
    t.village1.phone = "138 0013 8000"
    t.village1.save()
    t.people = SimpleNamespace(
        county=make_user("qx_office", t.county.officers_group, email="office@qx.example"),
        county_leader=make_user("qx_lead", t.county.leading_group, email="lead@qx.example"),
        township=make_user("cgz_officer", t.township.officers_group, email="cgz@qx.example"),
        township_leader=make_user("cgz_lead", t.township.leading_group, email="cgz-lead@qx.example"),
        village=make_user("dgc_officer", t.village1.officers_group, email="dgc@qx.example"),
        village_leader=make_user("dgc_lead", t.village1.leading_group, email="dgc-lead@qx.example"),
        village_no_mail=make_user("dgc_officer2", t.village1.officers_group),
        village_inactive=make_user("dgc_gone", t.village1.officers_group, email="gone@qx.example", is_active=False),
        other_township=make_user("sqz_officer", t.township2.officers_group, email="sqz@qx.example"),
        supervisor=make_user("dgc_supervisor", t.village1.supervisors_group),
        other_supervisor=make_user("sqz_supervisor", t.township2.supervisors_group),
        member=make_member(t.village1, "dgc_member"),
    )
    # 2026年第3季度: 东关村 (under 城关镇) two missing, one on time, one late; 城关镇 one due;
    # 石桥镇 one missing; 县财政局 one on time; the county one missing. One row of Q2 is not counted.
    t.o = SimpleNamespace(
        v_dues=oblige(t.village1, t.township, e["党费收缴使用"], "2026-04-01", S.MISSING, due="2026-07-10"),
        v_plan=oblige(t.village1, t.township, e["任期目标和年度计划"], "2026-01-01", S.MISSING, due="2026-08-01", end="2026-06-30"),
        v_study=oblige(t.village1, t.township, e["理论学习计划"], "2026-01-01", S.ON_TIME, due="2026-07-15", met_on="2026-07-01", end="2026-12-31"),
        v_report=oblige(t.village1, t.township, e["述职述廉报告"], "2025-01-01", S.LATE, due="2026-09-01", met_on="2026-09-20", end="2025-12-31"),
        t_dues=oblige(t.township, t.township, e["党费收缴使用"], "2026-04-01", S.DUE, due="2026-09-30"),
        t2_dues=oblige(t.township2, t.township2, e["党费收缴使用"], "2026-04-01", S.MISSING, due="2026-07-10"),
        dept=oblige(t.department, t.department, e["党费收缴使用"], "2026-04-01", S.ON_TIME, due="2026-07-10", met_on="2026-07-02"),
        county=oblige(t.county, t.county, e["党费收缴使用"], "2026-04-01", S.MISSING, due="2026-07-10"),
        q2=oblige(t.village1, t.township, e["党费收缴使用"], "2026-01-01", S.ON_TIME, due="2026-04-10", met_on="2026-04-02"),
    )
    return t


county_once = built_once(build)


@pytest.fixture
def t(county_once, db):
    mail.outbox = []
    return fresh(county_once)


def as_(client, user):
    client.force_login(user)
    return client


def text(response):
    return response.content.decode()


def board_cells(response):
    """{section name: [应公开, 按时, 逾期公开, 未公开, 待公开]} from the board's table."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", text(response), re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if len(cells) >= 6 and cells[1].isdigit():
            rows[cells[0]] = [int(value) for value in cells[1:6]]
    return rows


def refused(response):
    """Wagtail's refusal: a redirect to the dashboard (or the login) with nothing of the page, or a 403."""
    return response.status_code in (302, 403) and "党费收缴使用" not in text(response)


def menu_of(response):
    match = re.search(r'<script[^>]*id="wagtail-sidebar-props"[^>]*>(.*?)</script>', text(response), re.S)
    return json.dumps(json.loads(match.group(1)), ensure_ascii=False)


def drill(t, section, status, period=Q3):
    return reverse("supervision_board:drill") + f"?section={section.pk}&status={status}&{period}"


# -- the board ----------------------------------------------------------------------------------


def test_the_board_counts_each_section_in_the_period(client, t):
    response = as_(client, t.people.county).get(reverse(BOARD) + "?" + Q3)
    assert response.status_code == 200
    assert "2026年第3季度" in text(response)
    cells = board_cells(response)
    assert cells["城关镇党委"] == [5, 1, 1, 2, 1]  # the Q2 row is not in Q3
    assert cells["石桥镇党委"] == [1, 0, 0, 1, 0]
    assert cells["县财政局"] == [1, 1, 0, 0, 0]
    assert cells["青溪县委"] == [1, 0, 0, 1, 0]
    assert cells["合计"] == [8, 2, 1, 4, 1]
    # Each section's bar, with its counts in words for those who cannot see it.
    assert "<svg" in text(response) and "城关镇党委：按时公开 1，逾期公开 1，应公开未公开 2，待公开 1" in text(response)
    # Each count opens its drill-down.
    assert drill(t, t.township, "missing").replace("&", "&amp;") in text(response)


@pytest.mark.parametrize("query", ["", "?period=decade", "?period=month&year=abc&n=1", "?period=month&year=2026&n=13", "?period=quarter&n=0"])
def test_a_bad_period_gives_the_current_quarter(client, t, query):
    today = timezone.localdate()
    response = as_(client, t.people.county).get(reverse(BOARD) + query)
    assert response.status_code == 200
    assert f"{today.year}年第{(today.month - 1) // 3 + 1}季度应公开事项督办情况" in text(response)


def test_months_and_years_are_periods_too(client, t):
    client = as_(client, t.people.county)
    assert board_cells(client.get(reverse(BOARD) + "?period=month&year=2026&n=7"))["城关镇党委"] == [2, 1, 0, 1, 0]
    assert board_cells(client.get(reverse(BOARD) + "?period=year&year=2026&n=1"))["城关镇党委"] == [6, 2, 1, 2, 1]


def test_the_figures_follow_a_new_obligation_at_once(client, t):
    client = as_(client, t.people.county)
    assert board_cells(client.get(reverse(BOARD) + "?" + Q3))["石桥镇党委"] == [1, 0, 0, 1, 0]
    oblige(t.township2, t.township2, t.entries["述职述廉报告"], "2025-01-01", S.LATE, due="2026-08-01", met_on="2026-08-09", end="2025-12-31")
    assert board_cells(client.get(reverse(BOARD) + "?" + Q3))["石桥镇党委"] == [2, 0, 1, 1, 0]
    Obligation.objects.filter(pk=t.o.t2_dues.pk).delete()  # (the instance is shared by the module)
    assert board_cells(client.get(reverse(BOARD) + "?" + Q3))["石桥镇党委"] == [1, 0, 1, 0, 0]


def test_the_drill_down_lists_the_units_and_entries_behind_a_count(client, t):
    Obligation.objects.filter(pk=t.o.v_dues.pk).update(chase_count=1, last_chased_at=timezone.make_aware(datetime.datetime(2026, 7, 20, 9, 30)))
    client = as_(client, t.people.county)
    page = text(client.get(drill(t, t.township, "missing")))
    assert "东关村党支部" in page and "党费收缴使用" in page and "任期目标和年度计划" in page
    assert "2026年第2季度" in page and "2026-07-10" in page and "2026-07-20 09:30" in page
    assert f"{(timezone.localdate() - d('2026-07-10')).days} 天" in page
    assert reverse("supervision_board:chase", args=[t.village1.pk]) in page
    assert "理论学习计划" not in page  # on time, not missing
    page = text(client.get(drill(t, t.township, "all")))
    assert all(name in page for name in ("党费收缴使用", "任期目标和年度计划", "理论学习计划", "述职述廉报告"))
    assert "19 天" in page  # 述职述廉报告, published 2026-09-20, due 2026-09-01
    assert "石桥镇" not in text(client.get(drill(t, t.township, "all"))).split("main")[-1]
    # Not a section of the county (a village, a number that names nothing, garbage): nothing to show.
    assert client.get(drill(t, t.village1, "all"), follow=True).status_code == 404
    assert client.get(reverse("supervision_board:drill") + "?section=x&status=all", follow=True).status_code == 404
    assert client.get(reverse("supervision_board:drill") + f"?section={t.township.pk}&status=bogus&{Q3}").status_code == 200


# -- refusals -----------------------------------------------------------------------------------


def routes(t):
    return [
        reverse(BOARD), drill(t, t.township, "missing"), reverse("supervision_board:chase", args=[t.village1.pk]),
        reverse("supervision_board:calendar", args=[t.village1.pk]), reverse("supervision_board:rules"),
        reverse("supervision_board:exemptions"), reverse("supervision_board:exemption_add"),
    ]


@pytest.mark.parametrize("who", ["other_township", "other_supervisor", "member", "village"])
def test_outsiders_are_refused_everywhere(client, t, who):
    client = as_(client, getattr(t.people, who))
    for url in routes(t):
        if who == "village" and "calendar" in url:
            continue  # their own unit's calendar
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "党费收缴使用" not in text(response) and "东关村党支部" not in text(response)
    response = client.post(reverse("supervision_board:chase", args=[t.village1.pk]), {"obligations": [t.o.v_dues.pk], "message": "x"})
    assert response.status_code in (302, 403)
    assert not Chase.objects.exists() and not mail.outbox
    assert not SupervisionRules.objects.exists()


def test_anonymous_is_sent_to_the_login(client, t):
    for url in routes(t):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response.url
    client.post(reverse("supervision_board:chase", args=[t.village1.pk]), {"obligations": [t.o.v_dues.pk]})
    assert not Chase.objects.exists()


def test_the_menu_shows_each_person_their_entries(client, t):
    menu = menu_of(as_(client, t.people.county).get(reverse("wagtailadmin_home")))
    assert all(label in menu for label in ("督办台", "公开日历", "督办规则", "免于公开"))
    menu = menu_of(as_(client, t.people.village).get(reverse("wagtailadmin_home")))
    assert "公开日历" in menu and "督办台" not in menu and "督办规则" not in menu


# -- chases -------------------------------------------------------------------------------------


def chase(client, t, ids, message="请于本周内补充公开。"):
    return client.post(reverse("supervision_board:chase", args=[t.village1.pk]), {"obligations": ids, "message": message})


@override_settings(SUNSHINE_PARTICIPATION_SENDERS=OUTBOX_SENDERS)
def test_a_chase_mails_the_units_people_sends_an_sms_and_is_recorded(client, t):
    OutboxSender.outbox.clear()
    client = as_(client, t.people.county)
    form = text(client.get(reverse("supervision_board:chase", args=[t.village1.pk])))
    assert "党费收缴使用" in form and "任期目标和年度计划" in form and "理论学习计划" not in form
    response = chase(client, t, [t.o.v_dues.pk, t.o.v_plan.pk])
    assert response.status_code == 302

    # E-mails: the village's officers and leading group with an address, active; nobody else.
    assert sorted(address for message in mail.outbox for address in message.to) == ["dgc-lead@qx.example", "dgc@qx.example"]
    message = mail.outbox[0]
    assert message.subject == "【督办】东关村党支部应公开事项催办通知"
    assert "党费收缴使用（2026年第2季度，应于2026-07-10前公开" in message.body
    assert "任期目标和年度计划" in message.body and "请于本周内补充公开。" in message.body
    assert reverse("supervision_board:calendar", args=[t.village1.pk]) in message.body
    # The SMS to the unit's mobile number, short.
    [(number, sms)] = OutboxSender.outbox
    assert number == "13800138000" and "2项应公开事项逾期未公开" in sms.text

    record = Chase.objects.get()
    assert (record.unit_id, record.message, record.sent_by_id, record.recipients) == (t.village1.pk, "请于本周内补充公开。", t.people.county.pk, 2)
    assert set(record.obligations.values_list("pk", flat=True)) == {t.o.v_dues.pk, t.o.v_plan.pk}
    assert record.escalated_to is None
    dues = Obligation.objects.get(pk=t.o.v_dues.pk)
    assert dues.chase_count == 1 and dues.last_chased_at is not None and dues.escalated_at is None

    # The unit's officer sees it: on the dashboard and on the calendar.
    client.force_login(t.people.village)
    home = text(client.get(reverse("wagtailadmin_home")))
    assert "本单位应公开" in home and "收到催办" in home and "请于本周内补充公开。" in home
    calendar = text(client.get(reverse("supervision_board:calendar", args=[t.village1.pk])))
    assert "收到的催办" in calendar and "qx_office" in calendar and "请于本周内补充公开。" in calendar


def test_the_second_chase_is_escalated_to_the_township(client, t):
    client = as_(client, t.people.county)
    chase(client, t, [t.o.v_dues.pk])
    assert not Chase.objects.get().escalated_to
    mail.outbox = []
    chase(client, t, [t.o.v_dues.pk, t.o.v_plan.pk], "第二次催办")

    second = Chase.objects.order_by("-pk").first()
    assert second.escalated_to_id == t.township.pk
    dues, plan = Obligation.objects.get(pk=t.o.v_dues.pk), Obligation.objects.get(pk=t.o.v_plan.pk)
    assert dues.chase_count == 2 and dues.escalated_at is not None
    assert plan.chase_count == 1 and plan.escalated_at is None  # chased once only
    to_township = [m for m in mail.outbox if set(m.to) & {"cgz@qx.example", "cgz-lead@qx.example"}]
    assert sorted(m.to[0] for m in to_township) == ["cgz-lead@qx.example", "cgz@qx.example"]
    assert "抄报城关镇党委" in to_township[0].subject
    assert "党费收缴使用" in to_township[0].body and "任期目标和年度计划" not in to_township[0].body
    assert {m.to[0] for m in mail.outbox} - {"cgz@qx.example", "cgz-lead@qx.example"} == {"dgc@qx.example", "dgc-lead@qx.example"}
    assert "已抄报" in text(client.get(drill(t, t.township, "missing")))


def test_the_countys_rules_set_when_a_chase_is_escalated(client, t):
    SupervisionRules.objects.create(county=t.county, tracking_start=d("2025-01-01"), escalate_after_chases=1)
    chase(as_(client, t.people.county), t, [t.o.v_dues.pk])
    assert Chase.objects.get().escalated_to_id == t.township.pk
    assert any("cgz@qx.example" in m.to for m in mail.outbox)


@pytest.mark.parametrize("ids", [["t2_dues"], ["v_dues", "v_study"], ["v_dues", "999999"], ["abc"], []])
def test_only_the_units_missing_obligations_can_be_chased(client, t, ids):
    values = [str(getattr(t.o, name).pk) if hasattr(t.o, name) else name for name in ids]
    response = chase(as_(client, t.people.county), t, values)
    assert response.status_code == 400
    assert "未发送催办" in text(response) or "请至少选择一项" in text(response)
    assert not Chase.objects.exists() and not mail.outbox
    assert set(Obligation.objects.values_list("chase_count", flat=True)) == {0}


def test_a_township_chases_its_own_villages_only(client, t):
    client = as_(client, t.people.township)
    assert chase(client, t, [t.o.v_dues.pk]).status_code == 302
    assert Chase.objects.get().sent_by_id == t.people.township.pk
    assert "请于本周内补充公开。" in text(client.get(reverse("supervision_board:calendar", args=[t.village1.pk])))
    for unit in (t.township2, t.department, t.county, t.township):
        assert refused(client.get(reverse("supervision_board:chase", args=[unit.pk])))
    assert refused(client.post(reverse("supervision_board:chase", args=[t.township2.pk]), {"obligations": [t.o.t2_dues.pk]}))
    assert Chase.objects.count() == 1
    assert refused(client.get(reverse(BOARD)))


# -- the calendar and the dashboard ---------------------------------------------------------------


def test_the_calendar_shows_what_is_due_late_and_met(client, t):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    oblige(t.village1, t.township, t.entries["发展党员"], "2030-01-01", S.DUE, due=soon.isoformat())
    oblige(t.village1, t.township, t.entries["工作制度和程序"], "2030-01-01", S.DUE, due=(today + datetime.timedelta(days=100)).isoformat())
    oblige(t.village1, t.township, t.entries["重大决策部署"], "2029-01-01", S.ON_TIME, due=today.isoformat(),
           met_on=(today - datetime.timedelta(days=2)).isoformat())
    for who in ("village", "supervisor", "county"):
        page = text(as_(client, getattr(t.people, who)).get(reverse("supervision_board:calendar", args=[t.village1.pk])))
        due, late, met = page.split('id="calendar-missing"')[0], page.split('id="calendar-missing"')[1].split('id="calendar-met"')[0], page.split('id="calendar-met"')[1]
        assert "发展党员" in due and soon.isoformat() in due
        assert "工作制度和程序" not in page  # not due this month or next
        assert "党费收缴使用" in late and "任期目标和年度计划" in late
        assert "重大决策部署" in met.split('id="calendar-chases"')[0]
    assert "催办该单位" in page  # the county office may chase from here
    assert "催办该单位" not in text(as_(client, t.people.village).get(reverse("supervision_board:calendar", args=[t.village1.pk])))
    for who in ("other_township", "other_supervisor", "member"):
        assert as_(client, getattr(t.people, who)).get(reverse("supervision_board:calendar", args=[t.village1.pk])).status_code in (302, 403)
    assert as_(client, t.people.county).get(reverse("supervision_board:calendar", args=[10**6]), follow=True).status_code == 404


def test_the_dashboard_panel_shows_the_units_counts_and_next_obligations(client, t):
    home = text(as_(client, t.people.village).get(reverse("wagtailadmin_home")))
    panel = home[home.index("sunshine-unit-obligations"):]
    assert "本单位应公开" in panel and "东关村党支部" in panel
    assert "党费收缴使用（2026年第2季度）" in panel and "已逾期" in panel
    assert reverse("supervision_board:calendar", args=[t.village1.pk]) in panel
    assert "收到催办" not in panel
    assert "本单位应公开" not in text(as_(client, t.people.member).get(reverse("wagtailadmin_home")))


def test_the_calendar_menu_opens_the_users_unit_or_offers_a_choice(client, t):
    response = as_(client, t.people.village).get(reverse("supervision_board:calendar_chooser"))
    assert response.url == reverse("supervision_board:calendar", args=[t.village1.pk])
    both = make_user("both", t.village1.officers_group, t.department.leading_group)
    page = text(as_(client, both).get(reverse("supervision_board:calendar_chooser")))
    assert "东关村党支部" in page and "县财政局党组" in page
    assert as_(client, t.people.member).get(reverse("supervision_board:calendar_chooser")).status_code in (302, 403)


# -- rules and exemptions -------------------------------------------------------------------------


def test_the_county_office_edits_the_rules(client, t):
    client = as_(client, t.people.county)
    page = text(client.get(reverse("supervision_board:rules")))
    assert "催办几次后报乡镇党委" in page and 'value="2"' in page  # the settings' default
    data = {field: value for field, value in SupervisionRules.defaults().items()}
    data.update(tracking_start="2026-01-01", escalate_after_chases=3, weight_on_time=40, weight_completeness=20, weight_opinions=15,
                weight_satisfaction=10, weight_evaluation=15, finding_deduction=5)
    assert client.post(reverse("supervision_board:rules"), data).status_code == 302
    rules = SupervisionRules.objects.get(county=t.county)
    assert (rules.escalate_after_chases, rules.tracking_start) == (3, d("2026-01-01"))
    data["escalate_after_chases"] = "-1"
    response = client.post(reverse("supervision_board:rules"), data)
    assert response.status_code == 400
    assert SupervisionRules.objects.get(county=t.county).escalate_after_chases == 3


@pytest.fixture
def engine():
    """A stand-in for the obligations engine (written apart): what it was asked to reckon."""
    fake = types.SimpleNamespace(reckon_unit_entry=mock.Mock())
    with mock.patch.dict(sys.modules, {"supervision.obligations": fake}):
        import supervision

        with mock.patch.object(supervision, "obligations", fake, create=True):
            yield fake


def test_the_county_office_grants_and_withdraws_an_exemption(client, t, engine):
    client = as_(client, t.people.county)
    add = reverse("supervision_board:exemption_add")
    data = {"unit": t.village1.pk, "entry": t.entries["发展党员"].pk, "starts_on": "2026-01-01", "ends_on": "", "reason": "本年度无发展党员计划"}
    assert client.post(add, data).status_code == 302
    exemption = Exemption.objects.get()
    assert (exemption.unit_id, exemption.granted_by_id, exemption.ends_on) == (t.village1.pk, t.people.county.pk, None)
    listing = text(client.get(reverse("supervision_board:exemptions")))
    assert "东关村党支部" in listing and "本年度无发展党员计划" in listing and "长期" in listing

    department_only = CatalogueEntry.objects.create(
        area=t.areas["组织建设"], name="财政局专项资金", timing=TimingKind.STANDING, unit=t.department
    )
    for changes, error in [
        ({"reason": ""}, "必填项"),
        ({"ends_on": "2025-01-01"}, "截止日期不能早于起始日期"),
        ({"unit": t.portal.pk}, "选择一个有效的选项"),
        ({"entry": department_only.pk}, "该目录条目不在所选单位的公开目录中"),
    ]:
        response = client.post(add, {**data, **changes})
        assert response.status_code == 400 and error in text(response)
    assert Exemption.objects.count() == 1

    delete = reverse("supervision_board:exemption_delete", args=[exemption.pk])
    assert "确定删除东关村党支部“发展党员”的免于公开吗" in text(client.get(delete))
    assert client.post(delete).status_code == 302
    assert not Exemption.objects.exists()
    assert refused(as_(client, t.people.township).post(add, data)) and not Exemption.objects.exists()


def test_the_pages_open_for_a_traditional_reader(client, t):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(t.people.county)
    profile.preferred_language = "zh-hant"
    profile.save()
    client = as_(client, t.people.county)
    for url in (reverse(BOARD) + "?" + Q3, reverse("supervision_board:calendar", args=[t.village1.pk]), reverse("supervision_board:rules")):
        response = client.get(url)
        assert response.status_code == 200 and 'lang="zh-hant"' in text(response), url
