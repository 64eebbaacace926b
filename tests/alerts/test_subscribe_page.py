"""The subscribe page at a province's scale: it lists the county and its direct sub-units, a
township's villages through the township (``?under=``), any unit by name (``?name=``) — never every
unit, so its size and its queries do not grow with the number of villages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts import views
from disclosure_pages.choices import UnitType
from tests.factories import make_item, make_unit

from .helpers import new_client

pytestmark = pytest.mark.django_db

PAGE = "/zh-hans/alerts/subscribe/"


def add_villages(county, count, start=0):
    for number in range(start, start + count):
        make_unit(county.township, f"第{number}号村党支部", f"QX-CGZ-V{number:03d}", UnitType.VILLAGE, "", county.catalogue)


def measured(client, url):
    """(queries, bytes) of a GET of ``url``, after a first one (the caches a process fills once)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_page_lists_the_county_and_its_sub_units_not_the_villages(county):
    client = new_client()
    html = client.get(PAGE).content.decode()
    for unit in (county.county, county.township, county.township2, county.department):
        assert f'<a href="?page={unit.pk}">{unit.title}</a>' in html
    assert county.village1.title not in html
    # The township's villages are a link away; the county's sub-units are listed, so it has no such link.
    assert f'<a class="alerts-sub-units" href="?under={county.township.pk}">下级单位 2 个 ›</a>' in html
    assert f"?under={county.county.pk}" not in html and f"?under={county.township2.pk}" not in html
    assert "按公开目录订阅" in html and "党费收缴使用" in html  # the catalogue, as before


def test_the_page_does_not_grow_with_the_villages(county):
    client = new_client()
    queries_before, before = measured(client, PAGE)
    under_queries_before, _under = measured(client, f"{PAGE}?under={county.township.pk}")
    add_villages(county, 25)
    queries_after, after = measured(client, PAGE)
    under_queries_after, under = measured(client, f"{PAGE}?under={county.township.pk}")
    assert queries_after == queries_before
    assert abs(len(after) - len(before)) <= 2, "only the township's count of villages changes (2 → 27)"
    assert "第7号村党支部" not in after
    # A township's villages: all listed, in the same number of queries.
    assert under_queries_after == under_queries_before
    assert under.count('class="alerts-units"') == 1 and "第24号村党支部" in under and county.village1.title in under


def test_a_townships_villages_are_listed_under_it_with_the_way_back(county):
    add_villages(county, 3)
    html = new_client().get(f"{PAGE}?under={county.township.pk}").content.decode()
    assert "中共城关镇委员会的下级单位" in html
    assert f'<a href="?page={county.township.pk}">订阅中共城关镇委员会及其下级单位</a>' in html
    for title in (county.village1.title, county.village2.title, "第0号村党支部", "第2号村党支部"):
        assert f">{title}</a>" in html
    assert county.township2.title not in html  # the other township is not below this one
    # The trail: every unit, the county, then where the reader is.
    trail = html[html.index('alerts-trail"'):html.index("</ol>", html.index('alerts-trail"'))]
    assert '<a href="?">全部单位</a>' in trail and f'<a href="?under={county.county.pk}">中共青溪县委员会</a>' in trail
    assert '<li aria-current="page">中共城关镇委员会</li>' in trail
    # A village has no sub-units.
    assert "没有下级单位" in new_client().get(f"{PAGE}?under={county.village1.pk}").content.decode()


def test_a_unit_is_found_by_its_name(county):
    add_villages(county, 3)
    client = new_client()
    html = client.get(PAGE, {"name": "东关"}).content.decode()
    assert "名称含“东关”的单位" in html
    # Found, with the unit it is under (villages of one name are in many townships).
    assert f'<a href="?page={county.village1.pk}">东关村党支部</a> <span class="alerts-area">中共城关镇委员会</span>' in html
    assert county.village2.title not in html and "按公开目录订阅" not in html
    assert f'<a href="?page={county.department.pk}">县财政局党组</a>' in client.get(PAGE, {"name": "财政局"}).content.decode()
    assert "没有找到名称相符的单位" in client.get(PAGE, {"name": "不存在的单位"}).content.decode()
    # Typed in the other script.
    assert f'<a href="?page={county.village1.pk}">东关村党支部</a>' in client.get(PAGE, {"name": "東關"}).content.decode()
    # A long query is cut, never an error; markup in it is shown as text.
    assert client.get(PAGE, {"name": "村" * 500}).status_code == 200
    assert "东关村党支部" in client.get(PAGE, {"name": "东\x00关"}).content.decode()
    assert "<script>" not in client.get(PAGE, {"name": "<script>"}).content.decode().split("</form>", 1)[1]


def test_a_name_search_lists_a_bounded_number(county, monkeypatch):
    add_villages(county, 5)
    monkeypatch.setattr(views, "UNIT_SEARCH_LIMIT", 3)
    html = new_client().get(PAGE, {"name": "号村"}).content.decode()
    assert html.count("号村党支部</a>") == 3 and "只列出前 3 个单位" in html


def test_under_takes_public_units_only(county):
    client = new_client()
    item = make_item(county.township, "城关镇公开事项")
    for value in ["abc", "-1", "99999999", "9" * 30, str(item.pk), str(county.portal.pk), ""]:
        response = client.get(PAGE, {"under": value})
        assert response.status_code == (200 if value == "" else 404), value


def test_the_traditional_page_lists_units_in_traditional(county):
    html = new_client().get(f"/zh-hant/alerts/subscribe/?under={county.county.pk}").content.decode()
    units = html[html.index('id="alerts-units"'):html.index("</section>", html.index('id="alerts-units"'))]
    assert "中共城關鎮委員會" in units and "中共城关镇委员会" not in units
