"""The public 绩效评估 page: on-time rates by section and unit, public evaluation results and
disclosed findings, for everyone; never a members-only round or an undisclosed finding."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from disclosure_pages.choices import TimingKind
from supervision.choices import FindingDecision, ObligationStatus, ResultScope, RoundState
from supervision.models import EvaluationRound, Finding, Obligation, Questionnaire, RoundResult, SupervisionRules
from tests.factories import build_tree, built_once, fresh, make_member, make_user

YEAR = date.today().year
Q1 = (date(YEAR, 1, 1), date(YEAR, 3, 31))
Q2 = (date(YEAR, 4, 1), date(YEAR, 6, 30))


def obligation(unit, section, entry, status, period, due_on):
    return Obligation.objects.create(
        unit=unit, section=section, entry=entry, timing=TimingKind.PERIODIC, period_start=period[0], period_end=period[1],
        due_on=due_on, status=status,
    )


def build():
    tree = build_tree()
    SupervisionRules.objects.create(county=tree.county, tracking_start=date(YEAR - 1, 1, 1))
    dues, other = tree.entries["党费收缴使用"], tree.entries["理论学习计划"]
    first, second = date(YEAR, 4, 10), date(YEAR, 7, 10)
    # 城关镇: itself on time twice; 东关村 on time, late; 西关村 missing in Q1, on time in Q2.
    obligation(tree.township, tree.township, dues, ObligationStatus.ON_TIME, Q1, first)
    obligation(tree.township, tree.township, dues, ObligationStatus.ON_TIME, Q2, second)
    obligation(tree.village1, tree.township, dues, ObligationStatus.ON_TIME, Q1, first)
    obligation(tree.village1, tree.township, dues, ObligationStatus.LATE, Q2, second)
    obligation(tree.village2, tree.township, dues, ObligationStatus.MISSING, Q1, first)
    obligation(tree.village2, tree.township, dues, ObligationStatus.ON_TIME, Q2, second)
    # 县财政局: one missing, one not yet due, one not applicable (neither counted).
    obligation(tree.department, tree.department, dues, ObligationStatus.MISSING, Q1, first)
    obligation(tree.department, tree.department, other, ObligationStatus.DUE, (date(YEAR, 1, 1), date(YEAR, 12, 31)), date(YEAR, 12, 31))
    obligation(tree.department, tree.department, dues, ObligationStatus.NOT_APPLICABLE, Q2, second)
    # Last year: not in this year's figures.
    obligation(tree.township2, tree.township2, dues, ObligationStatus.MISSING, (date(YEAR - 1, 1, 1), date(YEAR - 1, 3, 31)), date(YEAR - 1, 4, 10))

    questionnaire = Questionnaire.objects.create(county=tree.county, name="党务公开评议问卷")
    public = EvaluationRound.objects.create(
        questionnaire=questionnaire, name=f"{YEAR}年第1季度党务公开评议", period_start=Q1[0], period_end=Q1[1],
        opens_on=date(YEAR, 4, 1), closes_on=date(YEAR, 4, 15), state=RoundState.CLOSED, result_scope=ResultScope.PUBLIC,
    )
    members = EvaluationRound.objects.create(
        questionnaire=questionnaire, name=f"{YEAR}年第2季度党内评议", period_start=Q2[0], period_end=Q2[1],
        opens_on=date(YEAR, 7, 1), closes_on=date(YEAR, 7, 15), state=RoundState.CLOSED, result_scope=ResultScope.MEMBERS,
    )
    county_only = EvaluationRound.objects.create(
        questionnaire=questionnaire, name=f"{YEAR}年第2季度县委内部评议", period_start=Q2[0], period_end=Q2[1],
        opens_on=date(YEAR, 7, 1), closes_on=date(YEAR, 7, 15), state=RoundState.CLOSED, result_scope=ResultScope.COUNTY,
    )
    still_open = EvaluationRound.objects.create(
        questionnaire=questionnaire, name=f"{YEAR}年第3季度评议（进行中）", period_start=date(YEAR, 7, 1), period_end=date(YEAR, 9, 30),
        opens_on=date(YEAR, 10, 1), closes_on=date(YEAR, 10, 15), state=RoundState.OPEN, result_scope=ResultScope.PUBLIC,
    )
    RoundResult.objects.create(round=public, unit=tree.village1, votes=12, score="91.5")
    RoundResult.objects.create(round=public, unit=tree.village2, votes=8, score="71.0")
    RoundResult.objects.create(round=public, unit=tree.department, votes=5, score="88.0")
    RoundResult.objects.create(round=members, unit=tree.village1, votes=9, score="33.3")
    RoundResult.objects.create(round=county_only, unit=tree.department, votes=4, score="44.4")
    RoundResult.objects.create(round=still_open, unit=tree.village2, votes=3, score="55.5")

    Finding.objects.create(unit=tree.village2, found_on=date(YEAR, 4, 20), description="第一季度党费收缴使用情况应公开未公开。",
                           decision=FindingDecision.CRITICISM, decision_text="在全镇通报批评，限期十日内补充公开。",
                           decided_by="城关镇纪委", disclosed=True)
    Finding.objects.create(unit=tree.department, found_on=date(YEAR, 5, 6), description="内部核查中的线索，尚未公开。",
                           decision=FindingDecision.REMINDER, disclosed=False)
    member = make_member(tree.village1, "perf-member")
    supervisor = make_user("perf-supervisor", tree.village1.supervisors_group)
    return SimpleNamespace(**vars(tree), member=member, supervisor=supervisor, public_round=public)


county_once = built_once(build)


@pytest.fixture
def county(county_once, db):
    cache.clear()
    return fresh(county_once)


def page(client, query="", language="zh-hans"):
    response = client.get(f"/{language}/performance/{query}")
    assert response.status_code == 200
    return response.content.decode()


def row_of(html, title):
    """The cells of the table row headed by ``title``, as text."""
    match = re.search(r"<tr><th scope=\"row\">(?:<a [^>]*>)?" + re.escape(title) + r"(?:</a>)?</th>(.*?)</tr>", html, re.S)
    assert match, f"no row for {title}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", match.group(1), re.S)]


def test_the_year_by_section_with_rates_counted_only_from_what_fell_due(county):
    html = page(Client(), f"?year={YEAR}")
    assert "<h1>党务公开绩效评估</h1>" in html
    # 城关镇: 6 counted, 4 on time, 1 late, 1 missing; 3 units.
    assert row_of(html, "中共城关镇委员会") == ["3", "6", "4", "1", "1", "66.7%"]
    # 县财政局: the missing one only (not yet due and not applicable are not counted).
    assert row_of(html, "县财政局党组") == ["1", "1", "0", "0", "1", "0.0%"]
    # 石桥镇: last year's obligation is not this year's.
    assert row_of(html, "中共石桥镇委员会") == ["1", "0", "0", "0", "0", "—"]
    # County-wide: 7 counted, 4 on time.
    assert re.search(r"<dt>按时公开率</dt><dd>57.1<span", html)
    assert re.search(r"<dt>尚未到期</dt><dd>1<span", html)


def test_a_quarter_and_a_township_show_its_villages(county):
    # The quarter of the deadline: Q1's dues fall due on 10 April.
    html = page(Client(), f"?year={YEAR}&quarter=2&section={county.township.pk}")
    assert row_of(html, "中共城关镇委员会（本级）") == ["1", "1", "0", "0", "100.0%"]
    assert row_of(html, "东关村党支部") == ["1", "1", "0", "0", "100.0%"]
    assert row_of(html, "西关村党支部") == ["1", "0", "0", "1", "0.0%"]
    assert "县财政局党组</th>" not in html.split('id="evaluation-heading"')[0].split("</select>")[-1]


def test_the_chart_is_inline_svg_with_a_title_and_the_rates(county):
    html = page(Client(), f"?year={YEAR}&section={county.township.pk}")
    svg = re.search(r"<svg class=\"chart chart-rates\".*?</svg>", html, re.S).group(0)
    assert "<title id=\"chart-rates-title\">中共城关镇委员会所属单位按时公开情况</title>" in svg
    assert "东关村党支部 按时公开：1" in svg and "东关村党支部 逾期公开：1" in svg
    assert ">50.0%</text>" in svg  # 东关村 and 西关村 each one of two
    assert "<script" not in html.split("<main")[1]


def test_public_round_results_shown_members_and_county_rounds_never(county):
    anonymous, member, supervisor = Client(), Client(), Client()
    member.force_login(county.member)
    supervisor.force_login(county.supervisor)
    for client in (anonymous, member, supervisor):
        for query in (f"?year={YEAR}", f"?year={YEAR}&section={county.township.pk}", f"?year={YEAR}&quarter=2"):
            html = page(client, query)
            assert "党内评议" not in html and "县委内部评议" not in html and "进行中" not in html
            assert "33.3" not in html and "44.4" not in html and "55.5" not in html
    html = page(anonymous, f"?year={YEAR}")
    assert f"{YEAR}年第1季度党务公开评议" in html
    # County-wide by section: 城关镇's two villages, 20 votes, (91.5×12 + 71×8) / 20 = 83.3.
    evaluation = html.split('id="evaluation-heading"')[1]
    assert row_of(evaluation, "中共城关镇委员会") == ["2", "20", "83.3"]
    assert row_of(evaluation, "县财政局党组") == ["1", "5", "88.0"]
    evaluation = page(anonymous, f"?year={YEAR}&section={county.township.pk}").split('id="evaluation-heading"')[1]
    assert row_of(evaluation, "东关村党支部") == ["12", "91.5"]
    assert row_of(evaluation, "西关村党支部") == ["8", "71.0"]
    assert "县财政局党组" not in evaluation


def test_only_disclosed_findings_are_shown(county):
    anonymous, member = Client(), Client()
    member.force_login(county.member)
    for client in (anonymous, member):
        html = page(client, f"?year={YEAR}")
        assert "第一季度党费收缴使用情况应公开未公开。" in html
        assert "在全镇通报批评，限期十日内补充公开。" in html and "通报批评" in html
        assert "内部核查中的线索" not in html and "提醒谈话" not in html
    # A finding outside the chosen quarter is not in it.
    assert "第一季度党费收缴使用情况" not in page(anonymous, f"?year={YEAR}&quarter=1")


def test_traditional_script(county):
    html = page(Client(), f"?year={YEAR}", language="zh-hant")
    assert "<svg" in html
    assert 'action="/zh-hant/performance/"' in html
    assert row_of(html, "中共城關鎮委員會") == ["3", "6", "4", "1", "1", "66.7%"]  # names in the reader's script


def test_bad_parameters_fall_back_to_the_defaults(county):
    client = Client()
    for query in ("?year=abc", "?year=99999999999999999999", "?year=1066", "?quarter=9", "?quarter=-1", "?section=999999",
                  "?section=%00", f"?section={county.village1.pk}", "?year=２０２６", "?section=1e5&quarter=x"):
        html = page(client, query)
        assert "部分筛选条件无法识别，已按默认条件显示。" in html, query
        assert f'<option value="{YEAR}" selected>' in html
    assert "部分筛选条件无法识别" not in page(client)


def test_figures_follow_a_change_at_once(county):
    client = Client()
    assert row_of(page(client, f"?year={YEAR}"), "县财政局党组")[-1] == "0.0%"
    changed = Obligation.objects.get(unit=county.department, status=ObligationStatus.MISSING)
    changed.status = ObligationStatus.LATE
    changed.save()
    assert row_of(page(client, f"?year={YEAR}"), "县财政局党组")[-3:] == ["1", "0", "0.0%"]
    Finding.objects.filter(disclosed=True).update(disclosed=False)  # no signal: read fresh anyway
    assert "第一季度党费收缴使用情况应公开未公开" not in page(client, f"?year={YEAR}")
    county.public_round.result_scope = ResultScope.MEMBERS
    county.public_round.save()
    assert "党务公开评议</caption>" not in page(client, f"?year={YEAR}")


def test_the_portal_menu_links_the_page_in_each_script(county):
    client = Client()
    assert '<a href="/zh-hans/performance/">绩效评估</a>' in client.get(county.township.url).content.decode()
    html = page(client, language="zh-hant")
    # The label in Traditional comes with the integrator's zh_Hant catalogue; the link is the script's.
    assert re.search(r'<a href="/zh-hant/performance/" aria-current="page">(績效評估|绩效评估)</a>', html)


def test_a_unit_not_public_is_not_shown(county):
    county.village2.unpublish()
    html = page(Client(), f"?year={YEAR}&section={county.township.pk}")
    assert "西关村党支部" not in html
