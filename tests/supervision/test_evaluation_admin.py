"""评议 in the admin: the county office's questionnaires and rounds; everyone else refused."""

import pytest
from django.urls import reverse

from supervision.choices import ResultScope, RoundState
from supervision.models import EvaluationRound, Questionnaire, RoundResult

from .evaluation_county import county, county_once, make_round, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("today")

ROUNDS = reverse("supervision_evaluation:rounds")
QUESTIONNAIRES = reverse("evaluation_questionnaires:index")


def text(response):
    return response.content.decode()


def round_form(questionnaire, **fields):
    data = {
        "questionnaire": questionnaire.pk, "name": "2026年第4季度党务公开评议", "period_start": "2026-10-01",
        "period_end": "2026-12-31", "opens_on": "2027-01-05", "closes_on": "2027-01-20", "result_scope": "public",
    }
    data.update(fields)
    return data


def test_the_county_office_creates_opens_and_closes_a_round(client, county):
    client.force_login(county.people.county_officer)
    response = client.post(f"{ROUNDS}new/", round_form(county.satisfaction, opens_on="2026-10-01", closes_on="2026-10-31"))
    r = EvaluationRound.objects.get(name="2026年第4季度党务公开评议")
    assert response.status_code == 302 and response["Location"] == f"{ROUNDS}{r.pk}/"
    assert r.state == RoundState.DRAFT
    client.post(f"{ROUNDS}{r.pk}/", {"action": "open"})
    r.refresh_from_db()
    assert r.state == RoundState.OPEN
    page = text(client.get(f"{ROUNDS}{r.pk}/"))
    # While open: who may vote and how many have, never a score.
    assert "参评情况" in page and "应参评人数" in page and "平均得分" not in page and "<svg" in page
    client.post(f"{ROUNDS}{r.pk}/", {"action": "close"})
    r.refresh_from_db()
    assert r.state == RoundState.CLOSED and RoundResult.objects.filter(round=r).count() == 3
    page = text(client.get(f"{ROUNDS}{r.pk}/"))
    assert "评议结果" in page and "平均得分" in page and "开始评议" not in page
    response = client.post(f"{ROUNDS}{r.pk}/", {"action": "open"}, follow=True)
    assert "只有未开始的评议轮次可以开始" in text(response)
    r.refresh_from_db()
    assert r.state == RoundState.CLOSED


def test_the_round_form_refuses_dates_out_of_order_in_chinese(client, county):
    client.force_login(county.people.county_officer)
    response = client.post(f"{ROUNDS}new/", round_form(county.satisfaction, period_end="2026-09-01", closes_on="2027-01-01"))
    page = text(response)
    assert "评议期间的结束日期不能早于开始日期" in page and "结束投票日期不能早于开始投票日期" in page
    assert not EvaluationRound.objects.exists()


def test_an_opened_round_is_not_edited(client, county):
    r = make_round(county.satisfaction)
    client.force_login(county.people.county_officer)
    home = reverse("wagtailadmin_home")
    assert client.get(f"{ROUNDS}{r.pk}/edit/")["Location"] == home
    assert client.post(f"{ROUNDS}{r.pk}/edit/", round_form(county.satisfaction))["Location"] == home
    r.refresh_from_db()
    assert r.name == "2026年第3季度党务公开评议"


def test_the_rounds_list_shows_the_countys_rounds(client, county):
    make_round(county.satisfaction, scope=ResultScope.MEMBERS)
    client.force_login(county.people.county_officer)
    page = text(client.get(ROUNDS))
    assert "2026年第3季度党务公开评议" in page and "向本单位党员和监督员公开" in page and "评议中" in page


@pytest.mark.parametrize("who", ["officer", "member", "supervisor", "other_member"])
def test_anyone_but_the_county_office_is_refused(client, county, who):
    r = make_round(county.satisfaction)
    client.force_login(getattr(county.people, who))
    for url in (ROUNDS, f"{ROUNDS}new/", f"{ROUNDS}{r.pk}/", QUESTIONNAIRES, f"{QUESTIONNAIRES}new/",
                f"{QUESTIONNAIRES}edit/{county.scores.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403) and "党务公开工作百分制评议" not in text(response), url
    response = client.post(f"{ROUNDS}{r.pk}/", {"action": "close"})
    assert response.status_code in (302, 403)
    r.refresh_from_db()
    assert r.state == RoundState.OPEN and not RoundResult.objects.exists()


def test_anonymous_visitors_are_sent_to_the_admin_sign_in(client, county):
    response = client.get(ROUNDS)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_menu_offers_the_county_office_both_entries(rf, county):
    from supervision.wagtail_hooks import supervision_menu

    def labels(user):
        request = rf.get("/admin/")
        request.user = user
        return [str(item.label) for item in supervision_menu.menu_items_for_request(request)]

    assert {"评议问卷", "评议轮次"} <= set(labels(county.people.county_officer))
    assert not {"评议问卷", "评议轮次"} & set(labels(county.people.officer))


def questionnaire_form(name, *questions, scale="satisfaction"):
    data = {"name": name, "scale": scale, "questions-TOTAL_FORMS": str(len(questions)), "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "1", "questions-MAX_NUM_FORMS": "1000"}
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-text": question, f"questions-{index}-ORDER": str(index + 1), f"questions-{index}-id": "",
                     f"questions-{index}-DELETE": ""})
    return data


def test_the_county_office_writes_a_questionnaire_for_its_county(client, county):
    client.force_login(county.people.county_officer)
    response = client.post(f"{QUESTIONNAIRES}new/", questionnaire_form("2027年党务公开满意度测评", "公开是否及时", "公开是否完整"))
    assert response.status_code == 302
    questionnaire = Questionnaire.objects.get(name="2027年党务公开满意度测评")
    assert questionnaire.county == county.county
    assert list(questionnaire.questions.values_list("text", flat=True)) == ["公开是否及时", "公开是否完整"]
    assert "2027年党务公开满意度测评" in text(client.get(QUESTIONNAIRES))


def test_a_questionnaire_needs_a_question(client, county):
    client.force_login(county.people.county_officer)
    client.post(f"{QUESTIONNAIRES}new/", questionnaire_form("空问卷"))
    assert not Questionnaire.objects.filter(name="空问卷").exists()


def test_a_questionnaire_voted_on_is_not_changed(client, county):
    make_round(county.satisfaction)
    client.force_login(county.people.county_officer)
    response = client.get(f"{QUESTIONNAIRES}edit/{county.satisfaction.pk}/", follow=True)
    assert "该问卷已用于评议，不能再修改" in text(response)
    response = client.post(f"{QUESTIONNAIRES}delete/{county.satisfaction.pk}/", follow=True)
    assert "该问卷已用于评议轮次，不能删除" in text(response)
    assert Questionnaire.objects.filter(pk=county.satisfaction.pk).exists()


def test_another_countys_office_sees_none_of_this_countys_questionnaires_or_rounds(client, county):
    from disclosure_pages.choices import UnitType
    from tests.factories import make_unit, make_user

    elsewhere = make_unit(county.portal, "中共白水县委员会", "BS", UnitType.COUNTY, "白水县委", county.catalogue)
    client.force_login(make_user("bs_officer", elsewhere.officers_group))
    r = make_round(county.scores, state=RoundState.DRAFT)
    assert "党务公开满意度测评" not in text(client.get(QUESTIONNAIRES))
    assert "2026年第3季度党务公开评议" not in text(client.get(ROUNDS))
    home = reverse("wagtailadmin_home")
    assert client.get(f"{QUESTIONNAIRES}edit/{county.satisfaction.pk}/")["Location"] == home
    assert client.post(f"{ROUNDS}{r.pk}/", {"action": "open"})["Location"] == home
    # Its round form offers only its own county's questionnaires.
    assert "党务公开工作百分制评议" not in text(client.get(f"{ROUNDS}new/"))
    r.refresh_from_db()
    assert r.state == RoundState.DRAFT


def test_only_a_draft_round_is_deleted(client, county):
    draft = make_round(county.satisfaction, state=RoundState.DRAFT, name="草稿轮次")
    opened = make_round(county.satisfaction)
    client.force_login(county.people.county_officer)
    assert "删除" in text(client.get(f"{ROUNDS}{draft.pk}/"))
    assert client.post(f"{ROUNDS}{draft.pk}/", {"action": "delete"})["Location"] == ROUNDS
    assert "只有未开始的评议轮次可以删除" in text(client.post(f"{ROUNDS}{opened.pk}/", {"action": "delete"}, follow=True))
    assert list(EvaluationRound.objects.values_list("name", flat=True)) == ["2026年第3季度党务公开评议"]
