"""责任追究: findings recorded by the county office on its own units, about their late or missing obligations."""

import json
import re

import pytest

from disclosure_pages.choices import UnitType
from supervision import scorecard
from supervision.choices import ObligationStatus
from supervision.models import Finding, Obligation
from tests.factories import built_once, d, fresh, make_unit

from .assessment_helpers import build_assessment, obligation

county_once = built_once(build_assessment)

FINDINGS = "/admin/supervision/findings/"


@pytest.fixture
def tree(county_once, db):
    return fresh(county_once)


def menu_of(response):
    """The admin sidebar's menu as text (Wagtail renders it from JSON props, with escaped characters)."""
    match = re.search(r'<script[^>]*id="wagtail-sidebar-props"[^>]*>(.*?)</script>', response.content.decode(), re.S)
    return json.dumps(json.loads(match.group(1)), ensure_ascii=False)


def obligation_options(html):
    select = re.search(r'<select name="obligation".*?</select>', html, re.S).group()
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select)}


def form(tree, **fields):
    data = {
        "unit": tree.township2.pk, "obligation": tree.township2_missing.pk, "found_on": "2026-10-10",
        "description": "党费收缴情况逾期未公开，经催办仍未整改。", "decision": "admonition", "decision_text": "对支部书记诫勉谈话",
        "decided_by": "县纪委", "disclosed": "on",
    }
    data.update(fields)
    return data


def test_county_office_records_a_finding(client, tree):
    client.force_login(tree.people.county_officer)
    response = client.post(f"{FINDINGS}new/", form(tree))
    assert response.status_code == 302
    finding = Finding.objects.get(description__startswith="党费收缴情况逾期未公开")
    assert (finding.unit_id, finding.obligation_id, finding.decision, finding.disclosed, finding.recorded_by) == (
        tree.township2.pk, tree.township2_missing.pk, "admonition", True, tree.people.county_officer)
    listing = client.get(FINDINGS).content.decode()
    assert "石桥镇" in listing and "诫勉谈话" in listing


def test_the_form_offers_only_late_or_missing_obligations_of_the_county(client, tree):
    client.force_login(tree.people.county_officer)
    offered = obligation_options(client.get(f"{FINDINGS}new/").content.decode())
    late_or_missing = set(Obligation.objects.filter(status__in=(ObligationStatus.LATE, ObligationStatus.MISSING)).values_list("pk", flat=True))
    assert offered == late_or_missing and tree.township2_missing.pk in offered and tree.township_late.pk in offered


def test_an_obligation_of_another_unit_is_refused_with_a_chinese_error(client, tree):
    client.force_login(tree.people.county_officer)
    response = client.post(f"{FINDINGS}new/", form(tree, obligation=tree.township_late.pk))
    assert response.status_code == 200
    assert "所选事项不属于被追究单位" in response.content.decode()
    assert not Finding.objects.filter(description__startswith="党费收缴情况逾期未公开").exists()


@pytest.mark.parametrize("field", ["obligation", "unit"])
def test_an_on_time_obligation_or_a_unit_of_another_county_is_refused(client, tree, field):
    other_county = make_unit(tree.portal, "中共白水县委员会", "BS", UnitType.COUNTY, "白水县委")
    other_town = make_unit(other_county, "中共白水镇委员会", "BS-BSZ", UnitType.TOWNSHIP, "白水镇党委")
    on_time = obligation(tree, tree.township2, ObligationStatus.ON_TIME, "2026-05-01", "理论学习计划")
    value = on_time.pk if field == "obligation" else other_town.pk
    client.force_login(tree.people.county_officer)
    response = client.post(f"{FINDINGS}new/", form(tree, **{field: value}))
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert Finding.objects.count() == 2


def test_a_finding_changes_the_scorecard(client, tree):
    start, end = d("2026-10-01"), d("2026-12-31")
    before = {row.unit_id: row for row in scorecard.scorecard(tree.county, start, end)}
    client.force_login(tree.people.county_officer)
    client.post(f"{FINDINGS}new/", form(tree, obligation="", unit=tree.township.pk))
    after = {row.unit_id: row for row in scorecard.scorecard(tree.county, start, end)}
    assert after[tree.township.pk].findings == before[tree.township.pk].findings + 1
    assert after[tree.township.pk].total == max(before[tree.township.pk].total - 5, 0)


def test_editing_and_deleting_are_limited_to_the_county(client, tree):
    other_county = make_unit(tree.portal, "中共白水县委员会", "BS", UnitType.COUNTY, "白水县委")
    elsewhere = Finding.objects.create(unit=other_county, description="外县的问题", decision="reminder")
    client.force_login(tree.people.county_officer)
    assert client.get(f"{FINDINGS}edit/{elsewhere.pk}/", follow=True).status_code == 404
    assert client.post(f"{FINDINGS}delete/{elsewhere.pk}/", follow=True).status_code == 404
    assert Finding.objects.filter(pk=elsewhere.pk).exists()
    assert "外县的问题" not in client.get(FINDINGS).content.decode()
    response = client.post(f"{FINDINGS}edit/{tree.finding.pk}/", form(tree, decision="reminder"))
    assert response.status_code == 302
    assert Finding.objects.get(pk=tree.finding.pk).decision == "reminder"


def test_disclosed_findings_are_the_public_ones(tree):
    assert [finding.description for finding in Finding.objects.disclosed()] == ["述职述廉报告逾期未公开。"]


@pytest.mark.parametrize("who", ["officer", "other_officer", "supervisor", "member", None])
def test_only_the_county_office_reaches_findings(client, tree, who):
    if who:
        client.force_login(getattr(tree.people, who))
    for path in ("", "new/", f"edit/{tree.finding.pk}/"):
        response = client.get(FINDINGS + path)
        assert response.status_code in (302, 403), path
        assert "述职述廉报告逾期未公开" not in response.content.decode()
    response = client.post(f"{FINDINGS}new/", form(tree))
    assert response.status_code in (302, 403)
    assert Finding.objects.count() == 2


def test_the_menu_shows_assessment_entries_to_the_county_office_only(client, tree):
    client.force_login(tree.people.county_officer)
    menu = menu_of(client.get("/admin/"))
    assert "考核排名" in menu and "责任追究" in menu and "年度报告" in menu
    client.force_login(tree.people.officer)
    html = menu_of(client.get("/admin/"))
    assert "考核排名" not in html and "责任追究" not in html and "年度报告" in html
