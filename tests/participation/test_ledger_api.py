"""The ledger in the API: the public list, the figures, one public opinion; 400 JSON with a code
for bad parameters, 404 for what is not public, never an author's name or contact; in the schema."""

import pytest
import yaml
from django.core.cache import cache
from django.test import Client

from api.models import MemberToken

from .helpers import built_once, fresh
from .ledger_helpers import AUTHOR, CONTACT, build_ledger

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
LEDGER_PATHS = {"/api/v2/opinions/", "/api/v2/opinions/figures/", "/api/v2/opinions/{number}/"}


ledger_once = built_once(build_ledger)


@pytest.fixture
def county(ledger_once, db):
    cache.clear()  # the throttle's counts
    return fresh(ledger_once)


def get(path, headers=None, **params):
    response = Client().get(path, params, headers=headers or {})
    text = response.content.decode()
    assert CONTACT not in text and AUTHOR not in text
    return response


def test_the_list_holds_public_opinions_only_with_the_pages_columns(county):
    o = county.opinions
    response = get("/api/v2/opinions/", unit=county.township.pk, **MARCH)
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 6
    assert {item["number"] for item in data["items"]} == {x.number for x in (o.closed, o.not_feasible, o.overdue, o.answered, o.received, o.not_adopted)}
    closed = next(item for item in data["items"] if item["number"] == o.closed.number)
    assert closed["state"] == {"value": "closed", "label": "已销号"} and closed["satisfaction"]["value"] == "satisfied"
    assert closed["unit"] == {"id": county.township.pk, "title": "中共城关镇委员会"} and closed["item"]["id"] == county.pre_item.pk
    assert closed["answer"]["outcome"]["value"] == "adopted" and closed["answer"]["answered_on"] == "2026-03-04"
    assert closed["html_url"].endswith(f"/zh-hans/opinions/{o.closed.number}/")
    assert closed["detail_url"].endswith(f"/api/v2/opinions/{o.closed.number}/")
    assert not ({"author_name", "contact", "author", "contact_kind"} & set(closed))


def test_filters_and_paging(county):
    o = county.opinions
    assert [item["number"] for item in get("/api/v2/opinions/", unit=county.township.pk, state="closed", **MARCH).json()["items"]] == [o.closed.number]
    assert [item["number"] for item in get("/api/v2/opinions/", channel="box").json()["items"]] == [o.not_feasible.number]
    assert [item["number"] for item in get("/api/v2/opinions/", item=county.pre_item.pk).json()["items"]] == [o.closed.number]
    first = get("/api/v2/opinions/", unit=county.township.pk, limit=4, **MARCH).json()
    assert len(first["items"]) == 4 and first["meta"]["next"] and first["meta"]["previous"] is None
    second = get("/api/v2/opinions/", unit=county.township.pk, limit=4, offset=4, **MARCH).json()
    assert len(second["items"]) == 2 and second["meta"]["next"] is None
    assert not {item["number"] for item in first["items"]} & {item["number"] for item in second["items"]}


def test_a_members_token_sees_no_members_only_opinion_in_the_public_ledger(county):
    _, key = MemberToken.issue(county.people.member)
    data = get("/api/v2/opinions/", headers={"Authorization": f"Bearer {key}"}).json()
    numbers = {item["number"] for item in data["items"]}
    o = county.opinions
    assert not numbers & {x.number for x in (o.hidden, o.members_only, o.item_private, o.merged, o.pending)}
    assert get(f"/api/v2/opinions/{o.members_only.number}/", headers={"Authorization": f"Bearer {key}"}).status_code == 404


def test_the_figures(county):
    data = get("/api/v2/opinions/figures/", unit=county.township.pk, **MARCH).json()
    totals = data["totals"]
    assert (totals["received"], totals["closed"], totals["in_progress"], totals["not_adopted"], totals["not_feasible"]) == (8, 1, 5, 1, 1)
    assert (totals["on_time_rate"], totals["satisfaction_rate"], totals["sent_back_rate"], totals["average_days"]) == (50.0, 66.7, 25.0, 1.8)
    assert {row["reason"]["value"]: row["count"] for row in totals["hidden"]}["spam"] == 1
    assert {row["unit"]["title"]: row["figures"]["received"] for row in data["breakdown"]} == {"东关村党支部": 2, "西关村党支部": 2}
    assert data["own"]["received"] == 4 and data["months"] == [{"month": "2026-03", "received": 8, "closed": 1}]
    assert data["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    county_wide = get("/api/v2/opinions/figures/").json()
    assert county_wide["unit"]["id"] == county.county.pk and county_wide["totals"]["received"] == 10
    hant = get("/api/v2/opinions/figures/", unit=county.township.pk, locale="zh-hant", **MARCH).json()
    assert hant["unit"]["title"] == "中共城關鎮委員會" and hant["totals"]["received"] == 8


def test_a_public_opinion_and_404_for_anything_else(county):
    o = county.opinions
    data = get(f"/api/v2/opinions/{o.closed.number}/", locale="zh-hant").json()
    assert data["body"] == "建議集貿市場增設無障礙通道" and data["answer"]["body"].startswith("答覆")
    assert [event["kind"]["value"] for event in data["events"]] == ["received", "answered"]
    for hidden in (o.hidden, o.members_only, o.item_private, o.merged, o.pending):
        response = get(f"/api/v2/opinions/{hidden.number}/")
        assert response.status_code == 404 and response.json()["code"] == "opinion_not_found"
    assert get("/api/v2/opinions/99999999999999999999/").json()["code"] == "opinion_not_found"
    assert get("/api/v2/opinions/abc/").json()["code"] == "unknown_endpoint"


@pytest.mark.parametrize("path, params, status, code", [
    ("/api/v2/opinions/", {"from": "2026-04-01", "to": "2026-03-01"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"from": "2026-04-01", "to": "2026-03-01"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"from": "0001-01-01"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"from": "昨天"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"unit": "abc"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"unit": ""}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"unit": "99999999999999999999"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/figures/", {"unit": "2147483000"}, 404, "unit_not_found"),
    ("/api/v2/opinions/figures/", {"state": "closed"}, 400, "unknown_parameter"),
    ("/api/v2/opinions/", {"state": "bogus"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/", {"limit": "1000"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/", {"offset": "-1"}, 400, "invalid_parameter"),
    ("/api/v2/opinions/", {"item": "2147483000"}, 404, "item_not_found"),
    ("/api/v2/opinions/", {"contact": "x"}, 400, "unknown_parameter"),
    ("/api/v2/opinions/1/", {"x": "1"}, 400, "unknown_parameter"),
])
def test_bad_parameters_get_json_with_a_code(county, path, params, status, code):
    response = get(path, **params)
    assert response.status_code == status and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["message"]


def test_a_members_only_item_is_not_found_as_a_filter(county):
    assert get("/api/v2/opinions/", item=county.members_item.pk).json()["code"] == "item_not_found"


def test_the_ledger_is_in_the_schema_with_its_parameters_and_errors():
    schema = yaml.safe_load(Client().get("/api/schema/").content)
    assert LEDGER_PATHS <= set(schema["paths"])
    for path in LEDGER_PATHS:
        operation = schema["paths"][path]["get"]
        assert {"200", "400", "401", "404", "429"} <= set(operation["responses"]) and operation["summary"]
    names = {parameter["name"] for parameter in schema["paths"]["/api/v2/opinions/"]["get"]["parameters"]}
    assert {"unit", "from", "to", "state", "channel", "item", "limit", "offset", "locale"} <= names
    figures_names = {parameter["name"] for parameter in schema["paths"]["/api/v2/opinions/figures/"]["get"]["parameters"]}
    assert figures_names == {"unit", "from", "to", "locale"}
    properties = schema["components"]["schemas"]["LedgerOpinion"]["properties"]
    assert not {"author_name", "contact"} & set(properties)


def test_the_api_is_throttled_as_the_others(county, settings):
    settings.SUNSHINE_API_RATE_ANON = "2/min"
    cache.clear()
    assert [Client().get("/api/v2/opinions/figures/").status_code for _ in range(3)] == [200, 200, 429]
