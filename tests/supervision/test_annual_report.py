"""年度报告: the county's and a unit's year as DOCX and XLSX, in both scripts, checked against itself."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from disclosure_pages.choices import UnitType
from supervision import annual_report
from supervision.models import Finding
from tests.factories import built_once, fresh, make_unit

from .assessment_helpers import build_assessment

county_once = built_once(build_assessment)

REPORT = "/admin/supervision/assessment/report/"


@pytest.fixture
def tree(county_once, db):
    return fresh(county_once)


def docx_of(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return Document(io.BytesIO(response.content))


def tables_of(document):
    """{heading before the table: {first cell: [the other cells]}}."""
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    tables = {}
    body = document.element.body
    heading = None
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text in headings:
                heading = text
        elif tag == "tbl":
            table = next(t for t in document.tables if t._tbl is child)
            tables[heading] = {row.cells[0].text: [cell.text for cell in row.cells[1:]] for row in table.rows}
    return tables


def test_the_county_report_counts_every_unit_and_adds_up(client, tree):
    client.force_login(tree.people.county_officer)
    document = docx_of(client.get(f"{REPORT}2026.docx"))
    assert document.paragraphs[0].text == "青溪县委2026年度党务公开工作报告"
    tables = tables_of(document)
    areas = tables["公开事项（按目录板块）"]
    assert areas[""] == ["全局和中心工作", "组织建设", "合计"]
    assert areas["城关镇党委"] == ["1", "1", "2"] and areas["县财政局"] == ["1", "0", "1"]
    assert areas["全县合计"] == ["2", "1", "3"]  # the 2025 item is not counted
    scopes = tables["公开事项（按公开范围）"]
    assert scopes[""][:2] == ["向社会公开", "向全体党员公开"]
    assert scopes["城关镇党委"] == ["1", "0", "1", "0", "2"] and scopes["全县合计"] == ["2", "0", "1", "0", "3"]
    assert tables["公开事项（按事项类别）"]["全县合计"] == ["2", "1", "3"]
    obligations = tables["应公开事项完成情况"]
    assert obligations[""] == ["按时公开", "逾期公开", "应公开未公开", "合计"]
    assert obligations["城关镇党委"] == ["3", "2", "0", "5"] and obligations["全县合计"] == ["7", "2", "2", "11"]
    opinions = tables["意见建议收到及办理情况"]
    assert opinions["城关镇党委"][:3] == ["2", "2", "1"] and opinions["全县合计"][0] == "2"
    findings = tables["责任追究情况"]
    assert findings["石桥镇党委"] == ["0", "1", "0", "0", "0", "1"] and findings["全县合计"][-1] == "2"
    scores = tables["年度考核和评议结果"]
    assert scores["城关镇党委"][-1] == "1"  # its rank among townships
    listed = tables["责任追究事项"]
    assert listed["石桥镇党委"][:3] == ["2026-09-01", "述职述廉报告逾期未公开。", "通报批评"]
    assert not any("核对不符" in p.text for p in document.paragraphs)


def test_a_units_report_is_its_own_figures_only(client, tree):
    client.force_login(tree.people.officer)
    document = docx_of(client.get(f"{REPORT}2026.docx", {"unit": tree.township.pk}))
    assert document.paragraphs[0].text == "城关镇党委2026年度党务公开工作报告"
    tables = tables_of(document)
    assert set(tables["应公开事项完成情况"]) == {"", "城关镇党委"}
    assert tables["公开事项（按公开范围）"]["城关镇党委"] == ["1", "0", "1", "0", "2"]
    assert list(tables["年度考核和评议结果"]) == ["单位", "城关镇党委"]
    assert "石桥镇" not in "".join(p.text for p in document.paragraphs)


def test_the_traditional_report_is_converted(client, tree):
    client.force_login(tree.people.county_officer)
    document = docx_of(client.get(f"{REPORT}2026.docx", {"script": "hant"}))
    assert document.paragraphs[0].text == "青溪縣委2026年度黨務公開工作報告"
    tables = tables_of(document)
    assert tables["應公開事項完成情況"]["全縣合計"] == ["7", "2", "2", "11"]
    assert tables["應公開事項完成情況"]["城關鎮黨委"] == ["3", "2", "0", "5"]
    assert "責任追究情況" in tables


def test_the_workbook_has_a_sheet_per_table_with_numbers(client, tree):
    client.force_login(tree.people.county_officer)
    response = client.get(f"{REPORT}2026.xlsx", {"script": "hant"})
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0].startswith("0-青溪縣委2026年度黨務公開")
    sheet = next(workbook[name] for name in workbook.sheetnames if "應公開事項完成情況" in name)
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[None] == ("按時公開", "逾期公開", "應公開未公開", "合計")
    assert rows["城關鎮黨委"] == (3, 2, 0, 5) and rows["全縣合計"] == (7, 2, 2, 11)


def test_a_mismatch_is_stated_instead_of_the_figures(client, tree, monkeypatch):
    real = annual_report.overall

    def broken(queryset, key):
        counts = real(queryset, key)
        if key == "scope":
            counts["public"] = counts.get("public", 0) + 2
        return counts

    monkeypatch.setattr(annual_report, "overall", broken)
    client.force_login(tree.people.county_officer)
    document = docx_of(client.get(f"{REPORT}2026.docx"))
    text = [p.text for p in document.paragraphs]
    assert "核对不符（向社会公开）：全县合计 4，各单位之和 2" in text
    assert "核对不符（合计）：全县合计 5，各单位之和 3" in text
    tables = tables_of(document)
    assert "公开事项（按公开范围）" not in tables and "公开事项（按事项类别）" in tables
    workbook = load_workbook(io.BytesIO(client.get(f"{REPORT}2026.xlsx").content))
    sheet = next(workbook[name] for name in workbook.sheetnames if "按公开范围" in name)
    assert [row[0] for row in sheet.iter_rows(values_only=True)][1] == "核对不符（向社会公开）：全县合计 4，各单位之和 2"


def test_the_reports_page_lists_what_the_user_may_download(client, tree):
    client.force_login(tree.people.officer)
    html = client.get(f"{REPORT}").content.decode()
    assert f"/report/2026.docx?unit={tree.township.pk}&amp;script=hant" in html
    assert "石桥镇党委" not in html and "全县" not in html
    client.force_login(tree.people.county_officer)
    html = client.get(f"{REPORT}").content.decode()
    assert "/report/2026.xlsx?script=hans" in html and "石桥镇党委" in html


@pytest.mark.parametrize("who", ["officer", "other_officer"])
def test_a_units_officer_gets_no_other_report(client, tree, who):
    client.force_login(getattr(tree.people, who))
    other = tree.township2 if who == "officer" else tree.township
    assert client.get(f"{REPORT}2026.docx", {"unit": other.pk}).status_code == 403
    assert client.get(f"{REPORT}2026.xlsx").status_code == 403
    assert client.get(f"{REPORT}2026.docx", {"unit": tree.county.pk}).status_code == 403


@pytest.mark.parametrize("who", ["supervisor", "member", None])
def test_supervisors_members_and_anonymous_are_refused(client, tree, who):
    if who:
        client.force_login(getattr(tree.people, who))
    for query in ({}, {"unit": tree.township.pk}):
        response = client.get(f"{REPORT}2026.docx", query)
        assert response.status_code in (302, 403)
        assert not response.content.startswith(b"PK")
    assert client.get(REPORT).status_code in (302, 403)


def test_tampered_parameters_give_a_clear_error(client, tree):
    client.force_login(tree.people.county_officer)
    response = client.get(f"{REPORT}2026.docx", {"unit": "1 OR 1=1"})
    assert response.status_code == 400 and "单位编号无效" in response.content.decode()
    assert client.get(f"{REPORT}2026.docx", {"unit": "999999"}, follow=True).status_code == 404
    assert client.get(f"{REPORT}1800.docx", follow=True).status_code == 404
    assert client.get(f"{REPORT}2026.pdf", follow=True).status_code == 404
    other_county = make_unit(tree.portal, "中共白水县委员会", "BS", UnitType.COUNTY, "白水县委")
    assert client.get(f"{REPORT}2026.docx", {"unit": other_county.pk}).status_code == 403
    assert Finding.objects.count() == 2
