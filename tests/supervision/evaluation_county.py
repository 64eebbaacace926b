"""The evaluation tests' county: its people, a satisfaction questionnaire and a score one."""

from types import SimpleNamespace

import pytest

from supervision.choices import EvaluationScale, ResultScope, RoundState
from supervision.models import EvaluationRound, Question, Questionnaire
from tests.factories import build_tree, built_once, d, fresh, make_member, make_user

TODAY = d("2026-10-10")


def build_county():
    tree = build_tree()
    tree.people = SimpleNamespace(
        county_officer=make_user("qx_officer", tree.county.officers_group),
        officer=make_user("cgz_officer", tree.township.officers_group),
        member=make_member(tree.township, "cgz_member"),
        member2=make_member(tree.township, "cgz_member2"),
        # A supervisor of the township who is also a member of a village: one vote for each.
        supervisor=make_user("cgz_supervisor", tree.township.supervisors_group, tree.village1.members_group),
        other_member=make_member(tree.township2, "sqz_member"),
        other_supervisor=make_user("sqz_supervisor", tree.township2.supervisors_group),
    )
    tree.satisfaction = make_questionnaire(tree.county, "党务公开满意度测评", EvaluationScale.SATISFACTION,
                                           ["公开内容是否及时", "公开内容是否真实完整"])
    tree.scores = make_questionnaire(tree.county, "党务公开工作百分制评议", EvaluationScale.SCORE, ["总体评价"])
    return tree


def make_questionnaire(county, name, scale, texts):
    questionnaire = Questionnaire.objects.create(county=county, name=name, scale=scale)
    for order, text in enumerate(texts):
        Question.objects.create(questionnaire=questionnaire, text=text, sort_order=order)
    return questionnaire


def make_round(questionnaire, state=RoundState.OPEN, scope=ResultScope.PUBLIC, residents=False, name="2026年第3季度党务公开评议",
               period=("2026-07-01", "2026-09-30"), voting=("2026-10-01", "2026-10-31")):
    return EvaluationRound.objects.create(
        questionnaire=questionnaire, name=name, period_start=d(period[0]), period_end=d(period[1]),
        opens_on=d(voting[0]), closes_on=d(voting[1]), state=state, residents_may_rate=residents, result_scope=scope,
    )


county_once = built_once(build_county)


@pytest.fixture
def county(county_once, db):
    return fresh(county_once)


@pytest.fixture
def today(monkeypatch):
    """Every test runs on 10 October 2026, inside the rounds' voting dates."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY
