"""A mobile developer's first afternoon, as the docs page tells it: from the schema alone,
list a township's items in Traditional script, sync what changed since, and download an
attachment. Every path comes from the schema or from a link in an answer, and every answer
is checked against the schema."""

from datetime import timedelta

import pytest
import requests
import schemathesis
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page

from disclosure_pages.choices import Scope
from tests.factories import attachment_body, build_tree, make_document, make_item

NOTICE_BYTES = b"%PDF-1.4 QX-CGZ theme day timetable"


@pytest.fixture
def county(transactional_db):
    """A county with public items in 城关镇 and its village, one with a file, and a members-only one."""
    t = build_tree()
    timetable = make_document("主题党日活动安排", "zhuti.pdf", NOTICE_BYTES, unit=t.township)
    make_item(t.township, "城关镇党委关于开展主题党日活动的公告", body=attachment_body(timetable, "每月第一个星期五"),
              catalogue_entry=t.entries["党费收缴使用"])
    make_item(t.village1, "东关村党费收缴情况", catalogue_entry=t.entries["党费收缴使用"])
    make_item(t.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS, catalogue_entry=t.entries["发展党员"])
    make_item(t.township2, "石桥镇党员活动中心建设方案", catalogue_entry=t.entries["重大决策部署"])
    # Published last week, long before the developer's first sync.
    Page.objects.update(last_published_at=timezone.now() - timedelta(days=7))
    cache.clear()
    return t


class Developer:
    """Reads only what the schema and the answers give: operation paths and links."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.schema = schemathesis.openapi.from_url(f"{base_url}/api/schema/")

    def operation(self, operation_id):
        return self.schema.find_operation_by_id(operation_id)

    def call(self, operation_id, **params):
        operation = self.operation(operation_id)
        declared = {parameter.name for parameter in operation.query}
        assert set(params) <= declared, f"{operation_id} does not declare {set(params) - declared}"
        return self.follow(f"{self.base_url}{operation.path}", operation_id, params)

    def follow(self, url, operation_id, params=None):
        response = requests.get(url, params=params, timeout=10)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
        self.operation(operation_id).validate_response(response)
        return response


@override_settings(SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="")
def test_list_a_township_in_traditional_sync_changes_and_download_an_attachment(live_server, county):
    developer = Developer(live_server.url)
    locale = next(p for p in developer.operation("disclosures_list").query if p.name == "locale")
    assert "zh-hant" in locale.definition["schema"]["enum"]

    # 1. The unit tree in Traditional; the township's own link to its items.
    tree = developer.call("units_tree", locale="zh-hant").json()
    township = next(unit for unit in tree["units"][0]["children"] if unit["title"] == "中共城關鎮委員會")
    assert township["unit_type"] == {"value": "township", "label": "鄉鎮黨委"}

    # 2. Its items, the village's included, in Traditional; the members-only one is not there.
    listed = developer.follow(township["items_url"], "disclosures_list").json()
    assert [item["title"] for item in listed["items"]] == ["東關村黨費收繳情況", "城關鎮黨委關於開展主題黨日活動的公告"]
    assert listed["meta"]["total_count"] == 2
    assert {item["locale"] for item in listed["items"]} == {"zh-hant"}

    # 3. Later: what changed since, by the timestamp the list handed back.
    since = listed["meta"]["next_updated_since"]
    make_item(county.village2, "西关村党员大会决议公开", catalogue_entry=county.entries["党费收缴使用"])
    changed = developer.call("disclosures_list", unit=township["id"], locale="zh-hant", updated_since=since).json()
    assert [item["title"] for item in changed["items"]] == ["西關村黨員大會決議公開"]
    assert changed["tombstones"] == []

    # 4. An item's detail and its attachment, by the links in the answers.
    notice = next(item for item in listed["items"] if item["title"].startswith("城關鎮"))
    detail = developer.follow(notice["detail_url"], "disclosures_retrieve").json()
    attachment = detail["attachments"][0]
    assert (attachment["extension"], attachment["size"]) == ("pdf", len(NOTICE_BYTES))
    download = developer.follow(attachment["url"], "attachments_download")
    assert download.content == NOTICE_BYTES
    assert download.headers["Content-Type"] == "application/pdf"
