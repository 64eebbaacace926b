"""考核: the scorecard's figures, its ranks, its command, and the ranking pages (county office only)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from supervision import evaluation, scorecard
from supervision.models import ScoreRow, SupervisionRules
from tests.factories import built_once, d, fresh

from .assessment_helpers import build_assessment, obligation

county_once = built_once(build_assessment)

Q3 = (d("2026-07-01"), d("2026-09-30"))
RANKING = "/admin/supervision/assessment/"


@pytest.fixture
def tree(county_once, db):
    return fresh(county_once)


def rows_by_unit(tree, rows):
    return {row.unit_id: row for row in rows}


def test_compute_writes_each_units_parts_total_and_rank(tree):
    rows = rows_by_unit(tree, scorecard.compute(tree.county, *Q3))
    township = rows[tree.township.pk]
    assert (township.obligations, township.on_time, township.late, township.missing) == (4, 3, 1, 0)
    assert (township.on_time_rate, township.completeness) == (Decimal("75.0"), Decimal("100.0"))
    # participation's own definitions: one of two answered by its deadline, one of two satisfied.
    assert (township.opinions_on_time, township.satisfaction, township.evaluation) == (Decimal("50.0"), Decimal("50.0"), None)
    assert township.total == Decimal("73.5") and township.rank == 1

    township2 = rows[tree.township2.pk]
    assert (township2.obligations, township2.on_time_rate, township2.findings, township2.total, township2.rank) == (
        2, Decimal("50.0"), 1, Decimal("45.0"), 2)
    department = rows[tree.department.pk]
    assert (department.total, department.rank, department.section_id) == (Decimal("100.0"), 1, tree.department.pk)
    village1 = rows[tree.village1.pk]
    # The due and the not applicable obligations are not counted; the village is counted under its township.
    assert (village1.obligations, village1.total, village1.rank, village1.section_id) == (2, Decimal("50.0"), 1, tree.township.pk)
    village2 = rows[tree.village2.pk]
    assert (village2.obligations, village2.rank, village2.on_time_rate) == (0, None, None)
    assert tree.county.pk not in rows
    stored = ScoreRow.objects.get(unit=tree.township, period_start=Q3[0], period_end=Q3[1])
    assert stored.total == Decimal("73.5")


def test_a_county_rules_weights_and_deduction_change_the_total(tree):
    SupervisionRules.objects.create(
        county=tree.county, tracking_start=d("2026-01-01"), weight_on_time=50, weight_completeness=50,
        weight_opinions=0, weight_satisfaction=0, weight_evaluation=0, finding_deduction=60,
    )
    rows = rows_by_unit(tree, scorecard.compute(tree.county, *Q3))
    assert rows[tree.township.pk].total == Decimal("87.5")
    assert rows[tree.township2.pk].total == Decimal("0.0")  # 50 − 60, floored


def test_evaluation_scores_join_and_a_missing_part_is_shared_out(tree, monkeypatch):
    monkeypatch.setattr(evaluation, "unit_scores", lambda units, start, end: {
        unit.pk: Decimal(90) if unit.pk == tree.department.pk else None for unit in units
    })
    rows = rows_by_unit(tree, scorecard.compute(tree.county, *Q3))
    # (40×100 + 20×100 + 15×90) / 75
    assert rows[tree.department.pk].evaluation == Decimal("90.0")
    assert rows[tree.department.pk].total == Decimal("98.0")
    assert rows[tree.township.pk].total == Decimal("73.5")


def test_the_whole_year_counts_the_fourth_quarter_too(tree):
    rows = rows_by_unit(tree, scorecard.compute(tree.county, d("2026-01-01"), d("2026-12-31")))
    assert (rows[tree.township.pk].obligations, rows[tree.township.pk].late) == (5, 2)
    assert rows[tree.village1.pk].findings == 1


def test_parts_are_one_query_each_whatever_the_number_of_units(tree, django_assert_max_num_queries):
    # rules, units, obligations, opinions, findings, then the write (delete, insert, savepoints)
    with django_assert_max_num_queries(12):
        scorecard.compute(tree.county, *Q3)


def test_rebuild_scorecards_command(tree):
    out = io.StringIO()
    call_command("rebuild_scorecards", "--county", "QX", "--year", "2026", "--quarter", "3", stdout=out)
    assert "2026年第3季度: 5 scorecard rows, 4 rated" in out.getvalue()
    assert ScoreRow.objects.filter(period_start=Q3[0], period_end=Q3[1]).count() == 5
    with pytest.raises(Exception, match="No county"):
        call_command("rebuild_scorecards", "--county", "NOPE", "--year", "2026")


def test_ranking_page_ranks_each_level_with_a_chart(client, tree):
    client.force_login(tree.people.county_officer)
    response = client.get(RANKING, {"year": "2026", "quarter": "3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026年第3季度" in html
    for heading in ("乡镇党委", "县直部门党组（党委）", "村（社区）党支部"):
        assert heading in html
    townships = html[html.index('id="table-township"'):html.index('id="table-department"')]
    assert townships.index("城关镇党委") < townships.index("石桥镇党委")
    assert "73.5" in townships and "45.0" in townships
    assert f"/admin/supervision/assessment/unit/{tree.township.pk}/?year=2026&amp;quarter=3" in html
    # The chart is SVG drawn on the server, one bar per rated unit.
    assert '<svg class="chart ranking-township"' in html and "城关镇党委：73.5" in html
    assert "无考核数据" in html  # 西关村


@pytest.mark.parametrize("query", [{"year": "abc", "quarter": "9"}, {"year": "1850"}, {"year": "2026", "quarter": "<script>"}])
def test_bad_period_parameters_fall_back_to_this_year(client, tree, query):
    client.force_login(tree.people.county_officer)
    response = client.get(RANKING, query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[-1]


def test_rows_are_recomputed_when_an_obligation_changes(client, tree):
    client.force_login(tree.people.county_officer)
    client.get(RANKING, {"year": "2026", "quarter": "3"})
    obligation(tree, tree.department, "missing", "2026-08-01")
    client.get(RANKING, {"year": "2026", "quarter": "3"})
    row = ScoreRow.objects.get(unit=tree.department, period_start=Q3[0], period_end=Q3[1])
    assert (row.obligations, row.missing) == (3, 1)


def test_unit_drill_down_lists_late_and_missing_obligations_and_findings(client, tree):
    client.force_login(tree.people.county_leader)
    response = client.get(f"{RANKING}unit/{tree.township2.pk}/", {"year": "2026", "quarter": "3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "石桥镇党委" in html and "述职述廉报告" in html and "应公开未公开" in html
    assert "述职述廉报告逾期未公开。" in html and "通报批评" in html
    assert "45.0" in html


def test_ranking_export_is_a_workbook_with_a_sheet_per_level(client, tree):
    client.force_login(tree.people.county_officer)
    response = client.get(f"{RANKING}ranking.xlsx", {"year": "2026", "quarter": "3"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["乡镇党委", "县直部门党组（党委）", "村（社区）党支部"]
    townships = list(workbook["乡镇党委"].values)
    assert townships[0][:3] == ("排名", "单位", "所属乡镇/部门")
    assert townships[1][:4] == (1, "城关镇党委", "城关镇党委", 4)
    assert townships[1][-1] == 73.5 and townships[2][-1] == 45.0
    villages = list(workbook["村（社区）党支部"].values)
    assert villages[2][1] == "西关村党支部" and villages[2][0] is None and villages[2][-1] is None


@pytest.mark.parametrize("who", ["officer", "other_officer", "supervisor", "member", None])
@pytest.mark.parametrize("path", ["", "ranking.xlsx", "unit/{township}/"])
def test_only_the_county_office_sees_the_ranking(client, tree, who, path):
    if who:
        client.force_login(getattr(tree.people, who))
    response = client.get(RANKING + path.format(township=tree.township.pk), {"year": "2026"})
    assert response.status_code in (302, 403)
    assert "73.5" not in response.content.decode()


def test_a_unit_outside_the_county_or_unknown_is_not_found(client, tree):
    client.force_login(tree.people.county_officer)
    # (a 404 outside the language prefix is redirected into it first)
    assert client.get(f"{RANKING}unit/999999/", follow=True).status_code == 404
    assert client.get(f"{RANKING}unit/{tree.county.pk}/", follow=True).status_code == 404
