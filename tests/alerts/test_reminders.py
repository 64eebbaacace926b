"""Officers' reminders (待办提醒): the daily summary of what waits for each admin user, built from
the apps' ``register_officer_reminders`` hooks, scoped to the user's own units, in their admin script."""

import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from alerts.models import OfficerReminderSetting, ReminderFrequency
from tests.workflows.helpers import submit_new_item

pytestmark = pytest.mark.django_db

TITLE = "关于城关镇2024年党费收缴情况的公示"


def to(outbox, user):
    return [message for contact, message in outbox if contact == user.email]


def everything_sent(outbox):
    return " ".join(message.subject + message.text + message.html for _contact, message in outbox)


@pytest.fixture
def waiting(county):
    """An item the township's officer submitted: it waits for the township's leading group."""
    officer = Client()
    officer.force_login(county.people["officer"])
    return submit_new_item(officer, county.township, title=TITLE)


def send():
    output = io.StringIO()
    call_command("send_officer_reminders", "--daily", stdout=output)
    return output.getvalue()


def test_an_approver_gets_a_summary_with_the_waiting_item_and_its_admin_link(county, waiting, outbox):
    # The township's two approvers and the superuser (who approves everything); nobody else.
    assert "已发送 3 封待办提醒" in send()
    assert {contact for contact, _message in outbox} == {"approver@cgz.example", "approver2@cgz.example", "admin@county.example"}
    [message] = to(outbox, county.people["approver"])
    assert "待办提醒" in message.subject
    edit = "http://testserver" + reverse("wagtailadmin_pages:edit", args=[waiting.pk])
    for body in (message.text, message.html):
        assert "待我审核" in body and TITLE in body and edit in body
        assert "http://testserver" + reverse("wagtailadmin_account") in body
    assert f'<a href="{edit}">{TITLE}</a>' in message.html
    # A second run the same day (cron run twice) sends nothing more.
    outbox.clear()
    send()
    assert to(outbox, county.people["approver"]) == []


def test_another_townships_people_and_the_submitter_get_nothing_of_it(county, waiting, outbox):
    send()
    for name in ("approver_b", "officer2", "officer"):
        for message in to(outbox, county.people[name]):
            assert TITLE not in message.text + message.html
    assert TITLE in everything_sent(outbox)  # it went to its own approvers


def test_opting_out_in_the_account_settings_stops_the_summary(county, waiting, outbox):
    approver = county.people["approver"]
    client = Client()
    client.force_login(approver)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "待办提醒" in page and 'name="officer_reminders-frequency"' in page
    response = client.post(reverse("wagtailadmin_account"), {
        "name_email-first_name": approver.first_name, "name_email-last_name": "x", "name_email-email": approver.email,
        "locale-preferred_language": "zh-hans", "locale-current_time_zone": "",
        "theme-theme": "system", "theme-density": "default", "theme-contrast": "system", "theme-keyboard_shortcuts": "on",
        "officer_reminders-frequency": ReminderFrequency.NONE,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert OfficerReminderSetting.objects.get(user=approver).frequency == ReminderFrequency.NONE
    send()
    assert to(outbox, approver) == []
    assert to(outbox, county.people["approver2"])  # the other approver still gets theirs


def test_a_user_whose_admin_language_is_traditional_reads_traditional(county, waiting, outbox):
    profile = UserProfile.get_for_user(county.people["approver"])
    profile.preferred_language = "zh-hant"
    profile.save()
    send()
    [message] = to(outbox, county.people["approver"])
    assert "待辦提醒" in message.subject
    for body in (message.text, message.html):
        assert "關於城關鎮2024年黨費收繳情況的公示" in body and "党费" not in body
    assert "http://testserver" + reverse("wagtailadmin_pages:edit", args=[waiting.pk]) in message.text


def test_no_email_address_means_no_message_and_no_error(county, waiting, outbox):
    approver = county.people["approver"]
    approver.email = ""
    approver.save()
    send()
    assert TITLE in everything_sent(outbox)  # approver2 still gets it
    assert not [contact for contact, _message in outbox if contact == ""]


def test_overdue_obligations_and_opinions_go_to_their_own_units_people_only(county, outbox):
    from participation.choices import Moderation, State
    from participation.models import Opinion
    from supervision.choices import ObligationStatus
    from supervision.models import Obligation
    from tests.factories import d

    township2 = county.township2
    entry = county.entries["党费收缴使用"]
    Obligation.objects.create(
        unit=township2, section=township2, entry=entry, timing=entry.timing,
        period_start=d("2026-07-01"), period_end=d("2026-09-30"), due_on=d("2026-10-15"), status=ObligationStatus.MISSING,
    )
    opinion = Opinion.objects.create(
        tracking_code_hash="hash-reminders", received_by=township2, unit=township2, subject="石桥路灯维修建议",
        body="建议维修路灯。", deadline=d("2026-11-30"), state=State.RECEIVED, moderation=Moderation.PENDING,
    )
    send()
    [message] = to(outbox, county.people["officer2"])
    for body in (message.text, message.html):
        assert "应公开未公开" in body and "党费收缴使用" in body and "2026-10-15" in body and "已逾期" in body
        assert "http://testserver" + reverse("supervision_board:calendar", args=[township2.pk]) in body
        assert "石桥路灯维修建议" in body and "建议维修路灯" not in body
        assert "http://testserver" + reverse("participation_admin:opinion", args=[opinion.pk]) in body
    for name in ("officer", "approver", "approver2"):
        assert to(outbox, county.people[name]) == []
