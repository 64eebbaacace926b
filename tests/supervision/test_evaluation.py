"""评议 in the portal: the list of one's rounds, the ballot, the results and who may read them."""

from decimal import Decimal

import pytest

from supervision import evaluation
from supervision.choices import ResultScope, RoundState, VoterKind
from supervision.models import Ballot, BallotAnswer, RoundResult, Voter
from tests.factories import d

from .evaluation_county import county, county_once, make_round, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("today")


def ballot_url(r, unit, script="zh-hans"):
    return f"/{script}/evaluate/{r.pk}/{unit.pk}/"


def answers_for(questionnaire, *values):
    return {f"q{question.pk}": value for question, value in zip(questionnaire.questions.all(), values)}


def vote(client, user, r, unit, *values):
    client.force_login(user)
    return client.post(ballot_url(r, unit), answers_for(r.questionnaire, *values))


def text(response):
    return response.content.decode()


# -- the list of rounds -------------------------------------------------------------------------


def test_the_list_shows_each_open_round_with_the_users_units_and_whether_they_voted(client, county):
    r = make_round(county.satisfaction)
    make_round(county.scores, state=RoundState.DRAFT, name="尚未开始的评议")
    supervisor = county.people.supervisor
    vote(client, supervisor, r, county.township, 100, 60)
    page = text(client.get("/zh-hans/evaluate/"))
    assert "2026年第3季度党务公开评议" in page and "尚未开始的评议" not in page
    assert "中共城关镇委员会</span> <span class=\"badge badge-done\">已评议" in page
    assert f'<a href="{ballot_url(r, county.village1)}">东关村党支部</a> <span class="badge">未评议' in page
    assert "中共石桥镇委员会" not in page


def test_the_list_asks_anonymous_visitors_to_sign_in(client, county):
    make_round(county.satisfaction)
    page = text(client.get("/zh-hans/evaluate/"))
    assert "请<a href=\"/zh-hans/account/login/?next=/zh-hans/evaluate/\">登录</a>后参加评议" in page
    assert "2026年第3季度党务公开评议" not in page


# -- voting -------------------------------------------------------------------------------------


def test_a_member_votes_once_and_the_ballot_keeps_no_person(client, county):
    r = make_round(county.satisfaction)
    response = vote(client, county.people.member, r, county.township, 100, 0)
    assert response.status_code == 302
    assert "感谢您参加评议" in text(client.get(response["Location"]))
    voter = Voter.objects.get(round=r)
    assert (voter.unit_id, voter.user_id) == (county.township.pk, county.people.member.pk)
    ballot = Ballot.objects.get(round=r)
    assert ballot.voter_kind == VoterKind.MEMBER and ballot.unit_id == county.township.pk
    assert sorted(ballot.answers.values_list("value", flat=True)) == [0, 100]
    assert {field.name for field in Ballot._meta.get_fields()} == {"id", "round", "unit", "voter_kind", "answers"}


def test_a_second_vote_is_refused_and_nothing_is_written(client, county):
    r = make_round(county.satisfaction)
    vote(client, county.people.member, r, county.township, 100, 100)
    again = vote(client, county.people.member, r, county.township, 0, 0)
    assert again.status_code == 400 and "您已参加本轮评议" in text(again)
    assert Voter.objects.filter(round=r).count() == 1 and Ballot.objects.filter(round=r).count() == 1
    assert set(BallotAnswer.objects.values_list("value", flat=True)) == {100}


def test_cast_refuses_a_second_vote_even_past_the_page(county):
    r = make_round(county.satisfaction)
    answers = {question.pk: 60 for question in county.satisfaction.questions.all()}
    evaluation.cast(r, county.township, answers, kind=VoterKind.MEMBER, user=county.people.member)
    with pytest.raises(evaluation.EvaluationError, match="您已参加本轮评议"):
        evaluation.cast(r, county.township, answers, kind=VoterKind.MEMBER, user=county.people.member)
    assert Ballot.objects.count() == 1


def test_a_person_in_two_units_votes_once_for_each_as_their_kind_there(client, county):
    r = make_round(county.satisfaction)
    assert vote(client, county.people.supervisor, r, county.township, 100, 100).status_code == 302
    assert vote(client, county.people.supervisor, r, county.village1, 60, 60).status_code == 302
    kinds = dict(Ballot.objects.filter(round=r).values_list("unit", "voter_kind"))
    assert kinds == {county.township.pk: VoterKind.SUPERVISOR, county.village1.pk: VoterKind.MEMBER}


def test_a_member_of_another_unit_gets_404_and_nothing_is_written(client, county):
    r = make_round(county.satisfaction)
    client.force_login(county.people.other_member)
    assert client.get(ballot_url(r, county.township)).status_code == 404
    assert vote(client, county.people.other_member, r, county.township, 100, 100).status_code == 404
    # An officer of the unit is not one of its voters either.
    assert vote(client, county.people.officer, r, county.township, 100, 100).status_code == 404
    assert not Voter.objects.exists() and not Ballot.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, county):
    r = make_round(county.satisfaction)
    for response in (client.get(ballot_url(r, county.township)), client.post(ballot_url(r, county.township), {})):
        assert response.status_code == 302 and response["Location"].startswith("/zh-hans/account/login/?next=")
    assert not Voter.objects.exists()


@pytest.mark.parametrize("state, voting, message", [
    (RoundState.CLOSED, ("2026-10-01", "2026-10-31"), "本轮评议已结束"),
    (RoundState.OPEN, ("2026-11-01", "2026-11-30"), "本轮评议未在投票期间"),
    (RoundState.OPEN, ("2026-09-01", "2026-09-30"), "本轮评议未在投票期间"),
])
def test_a_closed_or_not_yet_open_round_refuses_votes(client, county, state, voting, message):
    r = make_round(county.satisfaction, state=state, voting=voting)
    response = vote(client, county.people.member, r, county.township, 100, 100)
    assert response.status_code == 400 and message in text(response)
    assert not Voter.objects.exists()


def test_a_draft_round_is_not_found(client, county):
    r = make_round(county.satisfaction, state=RoundState.DRAFT)
    client.force_login(county.people.member)
    assert client.get(ballot_url(r, county.township)).status_code == 404


def test_the_satisfaction_ballot_offers_three_radio_buttons_per_question_in_traditional_script_too(client, county):
    r = make_round(county.satisfaction)
    client.force_login(county.people.member)
    page = text(client.get(ballot_url(r, county.township, "zh-hant")))
    assert "1. 公开内容是否及时" in page and "2. 公开内容是否真实完整" in page
    assert page.count('type="radio"') == 6
    for label in ("滿意", "基本滿意", "不滿意"):  # in the reader's script
        assert f"> {label}</label>" in page


@pytest.mark.parametrize("value, error", [("", "请填写0到100之间的分数"), ("101", "分数不能高于100"), ("-1", "分数不能低于0"), ("九十", "请填写0到100之间的整数")])
def test_a_bad_score_shows_the_form_again_with_a_chinese_error(client, county, value, error):
    r = make_round(county.scores)
    client.force_login(county.people.member)
    response = client.post(ballot_url(r, county.township), answers_for(county.scores, value))
    assert response.status_code == 400 and error in text(response) and "请更正下面标出的错误" in text(response)
    assert not Voter.objects.exists() and not Ballot.objects.exists()


def test_a_missing_or_unknown_satisfaction_answer_is_refused(client, county):
    r = make_round(county.satisfaction)
    client.force_login(county.people.member)
    first = county.satisfaction.questions.first()
    for data in ({f"q{first.pk}": "100"}, answers_for(county.satisfaction, "100", "55")):
        response = client.post(ballot_url(r, county.township), data)
        assert response.status_code == 400 and "请选择一项" in text(response)
    assert not Voter.objects.exists()


# -- closing and results ------------------------------------------------------------------------


def closed_round(client, county, scope=ResultScope.PUBLIC):
    r = make_round(county.satisfaction, scope=scope)
    vote(client, county.people.member, r, county.township, 100, 100)
    vote(client, county.people.member2, r, county.township, 60, 0)
    vote(client, county.people.supervisor, r, county.township, 100, 60)
    vote(client, county.people.other_member, r, county.township2, 0, 0)
    client.logout()
    evaluation.close_round(r)
    return r


def test_closing_computes_each_units_result(client, county):
    r = closed_round(client, county)
    township = RoundResult.objects.get(round=r, unit=county.township)
    assert township.votes == 3 and township.score == Decimal("70.0")  # (100+100+60+0+100+60) / 6
    first, second = county.satisfaction.questions.all()
    assert township.per_question[str(first.pk)] == {"text": "公开内容是否及时", "score": 86.7, "counts": {"100": 2, "60": 1, "0": 0}}
    assert township.per_question[str(second.pk)]["counts"] == {"100": 1, "60": 1, "0": 1}
    assert RoundResult.objects.get(round=r, unit=county.township2).score == Decimal("0.0")
    # A unit with voters but no vote is listed with none.
    village = RoundResult.objects.get(round=r, unit=county.village1)
    assert village.votes == 0 and village.score is None


def test_a_closed_round_is_neither_reopened_nor_closed_again(client, county):
    r = closed_round(client, county)
    with pytest.raises(evaluation.EvaluationError):
        evaluation.open_round(r)
    with pytest.raises(evaluation.EvaluationError):
        evaluation.close_round(r)
    assert RoundResult.objects.filter(round=r).count() == 3


def test_public_results_show_a_table_and_a_chart_to_everyone(client, county):
    r = closed_round(client, county)
    for script, satisfied in (("zh-hans", "满意"), ("zh-hant", "滿意")):
        page = text(client.get(f"/{script}/evaluate/results/{r.pk}/"))
        assert "<svg" in page and "<title>中共城关镇委员会：70.0</title>" in page
        assert '<th scope="row">中共城关镇委员会</th><td>3</td><td>70.0</td>' in page
        assert f"{satisfied} 2 · 基本{satisfied} 1 · 不{satisfied} 0" in page
    listing = text(client.get("/zh-hans/evaluate/results/"))
    assert f'href="/zh-hans/evaluate/results/{r.pk}/"' in listing


def test_results_of_an_open_round_are_not_shown(client, county):
    r = make_round(county.satisfaction)
    vote(client, county.people.member, r, county.township, 100, 100)
    assert client.get(f"/zh-hans/evaluate/results/{r.pk}/").status_code == 404


def test_members_scope_results_show_each_reader_only_their_units(client, county):
    r = closed_round(client, county, ResultScope.MEMBERS)
    url = f"/zh-hans/evaluate/results/{r.pk}/"
    client.force_login(county.people.member)
    page = text(client.get(url))
    assert "中共城关镇委员会</th><td>3</td><td>70.0</td>" in page and "中共石桥镇委员会" not in page
    assert f'href="{url}"' in text(client.get("/zh-hans/evaluate/results/"))
    client.force_login(county.people.other_member)
    page = text(client.get(url))
    assert "中共石桥镇委员会" in page and "中共城关镇委员会" not in page and "70.0" not in page
    client.force_login(county.people.county_officer)
    page = text(client.get(url))
    assert "中共城关镇委员会" in page and "中共石桥镇委员会" in page


def test_members_scope_results_never_reach_the_public(client, county):
    r = closed_round(client, county, ResultScope.MEMBERS)
    assert client.get(f"/zh-hans/evaluate/results/{r.pk}/").status_code == 404
    assert r.name not in text(client.get("/zh-hans/evaluate/results/"))
    assert not type(r).objects.public().exists()
    # An officer of the unit who is neither member nor supervisor reads nothing either.
    client.force_login(county.people.officer)
    assert client.get(f"/zh-hans/evaluate/results/{r.pk}/").status_code == 404


def test_county_scope_results_are_the_county_offices_only(client, county):
    r = closed_round(client, county, ResultScope.COUNTY)
    url = f"/zh-hans/evaluate/results/{r.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(county.people.member)
    assert client.get(url).status_code == 404
    assert r.name not in text(client.get("/zh-hans/evaluate/results/"))
    client.force_login(county.people.county_officer)
    assert "中共城关镇委员会" in text(client.get(url))


def test_public_rounds_and_unit_scores_for_other_pages(client, county):
    public = closed_round(client, county)
    closed_round(client, county, ResultScope.COUNTY)
    assert list(type(public).objects.public()) == [public]
    # Both rounds evaluated July–September: the scorecard counts them whatever their scope.
    assert evaluation.unit_scores([county.township], d("2026-09-01"), d("2026-12-31")) == {county.township.pk: Decimal("70.0")}
    assert evaluation.unit_scores([county.township], d("2026-10-01"), d("2026-12-31")) == {county.township.pk: None}
    assert evaluation.unit_scores([county.village1], d("2026-01-01"), d("2026-12-31")) == {county.village1.pk: None}


def test_another_countys_office_reads_no_more_than_the_public(client, county):
    from disclosure_pages.choices import UnitType
    from tests.factories import make_unit, make_user

    elsewhere = make_unit(county.portal, "中共白水县委员会", "BS", UnitType.COUNTY, "白水县委", county.catalogue)
    officer = make_user("bs_officer", elsewhere.officers_group)
    r = closed_round(client, county, ResultScope.COUNTY)
    client.force_login(officer)
    assert client.get(f"/zh-hans/evaluate/results/{r.pk}/").status_code == 404
    assert r.name not in text(client.get("/zh-hans/evaluate/results/"))
    response = client.get(f"/admin/supervision/evaluation/rounds/{r.pk}/")
    assert response.status_code == 302 and "评议结果" not in text(response)


def test_ballot_keys_do_not_follow_the_order_of_voting(client, county):
    r = make_round(county.satisfaction)
    for user in (county.people.member, county.people.member2, county.people.supervisor):
        vote(client, user, r, county.township, 100, 60)
    voters = list(Voter.objects.filter(round=r).order_by("pk").values_list("pk", flat=True))
    ballots = list(Ballot.objects.filter(round=r).order_by("pk").values_list("pk", flat=True))
    answers = list(BallotAnswer.objects.order_by("pk").values_list("pk", flat=True))
    # Random 62-bit keys: neither consecutive nor near the voters' keys.
    assert all(key > 10**9 for key in ballots + answers) and all(key < 10**6 for key in voters)
    assert ballots != list(range(ballots[0], ballots[0] + 3))
