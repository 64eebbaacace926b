"""The public ledger's pages and exports in both scripts: the figures, only public opinions,
never an author's name or contact, filters, Chinese errors for bad input."""

import csv
import io
import re

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from disclosure_pages.templatetags.portal_tags import in_script
from participation.ledger import EXPORT_LIMIT

from .helpers import built_once, fresh
from .ledger_helpers import AUTHOR, CONTACT, build_ledger

pytestmark = pytest.mark.django_db

MARCH = "period=custom&start=2026-03-01&end=2026-03-31"


ledger_once = built_once(build_ledger)


@pytest.fixture
def county(ledger_once, db):
    return fresh(ledger_once)


def public_and_not(county):
    o = county.opinions
    public = [o.closed, o.not_feasible, o.overdue, o.answered, o.received, o.not_adopted]
    never = [o.hidden, o.members_only, o.item_private, o.merged, o.pending]
    return public, never


def text_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig", errors="replace")


def assert_no_author(text):
    assert CONTACT not in text and AUTHOR not in text


def either_script(text):
    """``text`` as Simplified or Traditional: a label reads in Traditional once the catalogue has it."""
    with translation.override("zh-hant"):
        return f"(?:{re.escape(text)}|{re.escape(in_script(text))})"


def card(html, label):
    """The number on the figure card ``label``."""
    match = re.search(rf"<dt>{either_script(label)}</dt><dd>([0-9.—]+)", html)
    assert match, label
    return match.group(1)


@pytest.mark.parametrize("script", ["zh-hans", "zh-hant"])
def test_the_ledger_shows_the_sections_figures_in_both_scripts(county, script):
    response = Client().get(f"/{script}/opinions/?unit={county.township.pk}&{MARCH}")
    assert response.status_code == 200
    html = re.sub(r">\s+<", "><", response.content.decode())
    assert card(html, "受理") == "8" and card(html, "办结（销号）") == "1" and card(html, "办理中") == "5"
    assert card(html, "不予采纳") == "1" and card(html, "暂不具备条件") == "1"
    assert card(html, "按期答复率") == "50.0" and card(html, "满意率") == "66.7" and card(html, "发回重办率") == "25.0"
    assert card(html, "平均办理时间") == "1.8"
    assert re.search(either_script("广告灌水") + " 1", html)
    # The charts, each with its table.
    assert len(re.findall(r'<svg class="chart [a-z-]+" role="img"', html)) == 2 and re.search(f"<caption>{either_script('每月受理与办结')}</caption>", html)
    assert '<th scope="row">2026-03</th><td>8</td><td>1</td>' in html
    # The breakdown by village, in the reader's script.
    village = "东关村党支部" if script == "zh-hans" else "東關村黨支部"
    assert re.search(rf">{village}</a></th><td>2</td><td>0</td><td>1</td>", html)
    body = "建议集贸市场增设无障碍通道" if script == "zh-hans" else "建議集貿市場增設無障礙通道"
    assert body in html
    assert f'lang="{"zh-Hans" if script == "zh-hans" else "zh-Hant"}"' in html
    assert_no_author(html)


def test_the_list_shows_public_opinions_only_for_everyone(county):
    public, never = public_and_not(county)
    people = county.people
    for user in (None, people.member, people.officer, people.other_member, people.county_leader):
        client = Client()
        if user:
            client.force_login(user)
        html = client.get(f"/zh-hans/opinions/?unit={county.township.pk}&{MARCH}").content.decode()
        assert all(f">{opinion.number}</a>" in html for opinion in public)
        assert not [opinion.number for opinion in never if opinion.number in html]
        assert "党内意见：" not in html and "尚未审查" not in html and "代办各类证件" not in html and "重复：" not in html
        assert_no_author(html)


def test_county_wide_by_default_and_filters(county):
    o = county.opinions
    html = Client().get("/zh-hans/opinions/?period=all").content.decode()
    assert card(html, "受理") == "10"  # every counted one of the county, February's too
    assert o.other_township.number in html and o.february.number in html and o.pending.number not in html
    section = Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&{MARCH}").content.decode()
    assert "（共 6 件）" in section and f'<option value="{county.township.pk}" selected>' in section
    filtered = Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&{MARCH}&state=closed").content.decode()
    assert o.closed.number in filtered and o.not_feasible.number not in filtered and "（共 1 件）" in filtered
    by_channel = Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&{MARCH}&channel=box").content.decode()
    assert o.not_feasible.number in by_channel and o.closed.number not in by_channel
    by_item = Client().get(f"/zh-hans/opinions/?{MARCH}&item={county.pre_item.pk}").content.decode()
    assert o.closed.number in by_item and o.overdue.number not in by_item
    february = Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&period=custom&start=2026-02-01&end=2026-02-28").content.decode()
    assert card(february, "受理") == "1" and o.february.number in february and o.closed.number not in february
    empty = Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&period=custom&start=2025-01-01&end=2025-01-31").content.decode()
    assert card(empty, "受理") == "0" and card(empty, "满意率") == "—" and "没有符合条件的公开意见" in empty


@pytest.mark.parametrize("query, message", [
    ("period=custom&start=2026-04-01&end=2026-03-01", "开始日期不能晚于结束日期"),
    ("period=custom&start=2026-04-01", "请填写开始日期和结束日期"),
    ("period=custom&start=0001-01-01&end=2026-01-01", "日期须在 1900-01-01 至 2100-12-31 之间"),
    ("period=custom&start=abc&end=2026-01-01", "请选择或填写有效的值"),
    ("unit=abc", "请选择或填写有效的值"),
    ("unit=99999999999999999999", "请选择或填写有效的值"),
    ("unit=2147483000", "没有这个单位"),
    ("state=bogus", "请选择或填写有效的值"),
    ("item=2147483000", "没有这个公开事项"),
    ("period=decade", "请选择或填写有效的值"),
])
def test_bad_input_gets_a_chinese_message_not_a_500(county, query, message):
    response = Client().get(f"/zh-hans/opinions/?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Client().get(f"/zh-hans/opinions/export.csv?{query}").status_code == 400


def test_a_members_only_item_is_no_filter_into_its_opinions(county):
    response = Client().get(f"/zh-hans/opinions/?item={county.members_item.pk}")
    assert response.status_code == 400 and county.opinions.members_only.number not in response.content.decode()


def test_the_csv_export_has_a_bom_the_pages_columns_and_public_opinions_only(county):
    public, never = public_and_not(county)
    response = Client().get(f"/zh-hans/opinions/export.csv?unit={county.township.pk}&{MARCH}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["受理编号", "收到日期", "承办单位"] and "答复" in rows[0]
    assert sorted(row[0] for row in rows[1:]) == sorted(opinion.number for opinion in public)
    assert_no_author(raw.decode("utf-8-sig"))
    traditional = text_of(Client().get(f"/zh-hant/opinions/export.csv?unit={county.township.pk}&{MARCH}"))
    assert "建議集貿市場增設無障礙通道" in traditional and "中共城關鎮委員會" in traditional


def test_the_xlsx_export_holds_the_same_rows(county):
    public, never = public_and_not(county)
    response = Client().get(f"/zh-hans/opinions/export.xlsx?unit={county.township.pk}&{MARCH}")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][0] == "受理编号"
    assert sorted(row[0] for row in rows[1:]) == sorted(opinion.number for opinion in public)
    assert_no_author(" ".join(str(cell) for row in rows for cell in row if cell))
    assert Client().get("/zh-hans/opinions/export.pdf").status_code == 404


def test_the_export_says_where_it_stops(county, monkeypatch):
    monkeypatch.setattr("participation.ledger.EXPORT_LIMIT", 2)
    rows = list(csv.reader(io.StringIO(text_of(Client().get(f"/zh-hans/opinions/export.csv?unit={county.township.pk}&{MARCH}")))))
    assert len(rows) == 4 and rows[-1][0].startswith("仅导出前 2 条")
    assert "最多 2 条" in Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&{MARCH}").content.decode()


def test_the_page_states_the_export_limit(county):
    assert f"最多 {EXPORT_LIMIT} 条" in Client().get(f"/zh-hans/opinions/?unit={county.township.pk}&{MARCH}").content.decode()


def test_a_public_opinions_page_in_both_scripts(county):
    o = county.opinions
    html = Client().get(f"/zh-hans/opinions/{o.closed.number}/").content.decode()
    assert "建议集贸市场增设无障碍通道" in html and "答复：建议集贸市场增设无障碍通道已研究办理。" in html
    assert "满意" in html and "受理" in html and "答复" in html
    assert_no_author(html)
    hant = Client().get(f"/zh-hant/opinions/{o.closed.number}/").content.decode()
    assert "建議集貿市場增設無障礙通道" in hant and 'lang="zh-Hant"' in hant
    assert_no_author(hant)


def test_anything_not_public_is_404(county):
    o = county.opinions
    people = county.people
    for opinion in (o.hidden, o.members_only, o.item_private, o.merged, o.pending):
        for user in (None, people.member, people.officer):
            client = Client()
            if user:
                client.force_login(user)
            response = client.get(f"/zh-hans/opinions/{opinion.number}/")
            assert response.status_code == 404
            assert_no_author(response.content.decode())
    assert Client().get("/zh-hans/opinions/99999999999/").status_code == 404
    assert Client().get("/zh-hans/opinions/abc/").status_code == 404
