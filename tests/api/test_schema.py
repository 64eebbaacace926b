"""The contract: an OpenAPI 3 schema of every endpoint, a docs page, and schemathesis against
a live server — no 5xx, no response that breaks the schema, valid input accepted, invalid
input refused, for the public and for a member's token."""

import pytest
import requests
import schemathesis
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from api.models import MemberToken
from api.preview import make_token
from disclosure_pages.choices import Scope
from disclosure_pages.models import DisclosureItemPage
from tests.api.county import figure, make_image
from tests.factories import attachment_body, build_tree, make_document, make_item, make_member

EXAMPLES = 25  # per operation and mode: enough to find shape and input bugs, bounded in time
EXPECTED_PATHS = {
    "/api/v2/disclosures/", "/api/v2/disclosures/{id}/", "/api/v2/attachments/{id}/", "/api/v2/units/",
    "/api/v2/catalogue/", "/api/v2/feeds/", "/api/v2/preview/", "/api/v2/pages/", "/api/v2/pages/{id}/",
    "/api/v2/pages/find/", "/api/v2/images/", "/api/v2/images/{id}/", "/api/v2/images/find/",
    "/api/v2/documents/", "/api/v2/documents/{id}/", "/api/v2/documents/find/",
}


@pytest.mark.django_db
def test_the_schema_documents_every_endpoint_with_its_parameters_errors_and_auth():
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert EXPECTED_PATHS <= set(schema["paths"])
    assert not [path for path in schema["paths"] if not path.startswith("/api/v2/")]  # no admin API
    parameters = {p["name"] for p in schema["paths"]["/api/v2/disclosures/"]["get"]["parameters"]}
    assert {"unit", "descendants", "area", "entry", "stage", "importance", "validity", "year", "date_from",
            "date_to", "locale", "updated_since", "order", "limit", "offset"} <= parameters
    limit = next(p for p in schema["paths"]["/api/v2/disclosures/"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 100
    for path in EXPECTED_PATHS:
        for method, operation in schema["paths"][path].items():
            assert {"400", "401", "429"} <= set(operation["responses"]), (path, method)
            assert operation.get("summary"), (path, method)
    assert schema["components"]["securitySchemes"]["memberToken"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["memberToken"]["description"]
    }
    assert "同步" in schema["info"]["description"]  # the developer's guide


@pytest.mark.django_db
def test_the_docs_page_serves_its_own_assets_and_no_cdn():
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/api/schema/" in html


@pytest.fixture
def county(transactional_db):
    """A county with an item of each kind a reader may meet, committed for the live server."""
    t = build_tree()
    member = make_member(t.township, "cgz-member")
    document = make_document("主题党日活动安排", "zhuti.pdf", b"%PDF-1.4 notice", unit=t.township)
    make_item(t.township, "城关镇党委关于开展主题党日活动的公告", body=attachment_body(document, "每月第一个星期五"),
              catalogue_entry=t.entries["党费收缴使用"])
    make_item(t.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS, catalogue_entry=t.entries["发展党员"])
    make_item(t.village1, "东关村党费收缴情况", catalogue_entry=t.entries["党费收缴使用"],
              body=[("table", {"data": [["月份", "金额（元）"], ["一月", "1200"], ["二月", None]], "first_row_is_table_header": True,
                               "first_col_is_header": False, "table_caption": "党费收缴"}),
                    figure(make_image("dues-chart", unit=t.village1))])
    return {"token": MemberToken.issue(member)[1]}


@pytest.mark.django_db
def test_the_schema_is_generated_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


@override_settings(SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="")
def test_real_answers_of_every_endpoint_match_the_schema(live_server, county):
    """Generated requests rarely hit a real id or a word that is found: every item of the
    county in detail (each kind of body block), hits, Wagtail's endpoints and a preview."""
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    headers = {"Authorization": f"Bearer {county['token']}"}

    def get(operation_id, url, **params):
        response = requests.get(url if url.startswith("http") else f"{live_server.url}{url}", params=params, headers=headers, timeout=10)
        assert response.status_code == 200, (url, response.text[:300])
        schema.find_operation_by_id(operation_id).validate_response(response)
        return response.json()

    listed = get("disclosures_list", "/api/v2/disclosures/", locale="zh-hant")
    assert len(listed["items"]) == 3  # the member sees the members-only one too
    blocks = {block["type"] for item in listed["items"] for block in get("disclosures_retrieve", item["detail_url"])["body"]}
    assert blocks == {"rich_text", "attachment", "table", "image"}
    assert get("search", "/api/v2/search/", q="党费")["results"]
    for kind in ("pages", "images", "documents"):
        found = get(f"{kind}_list", f"/api/v2/{kind}/")["items"]
        assert found, kind
        get(f"{kind}_retrieve", f"/api/v2/{kind}/{found[0]['id']}/")
    draft = DisclosureItemPage.objects.get(title="城关镇党委民主生活会整改清单").save_revision()
    get("preview_retrieve", "/api/v2/preview/", token=make_token(draft))


@override_settings(SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="")
def test_schemathesis_finds_no_server_error_and_no_response_outside_the_schema(live_server, county):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert EXPECTED_PATHS <= {operation.path for operation in operations}  # and the search endpoint
    failures = []
    for reader, headers in (("public", {}), ("member", {"Authorization": f"Bearer {county['token']}"})):
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @settings(max_examples=EXAMPLES, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck), derandomize=True)
                @given(case=operation.as_strategy(generation_mode=mode))
                def check(case):
                    case.call_and_validate(base_url=live_server.url, headers=headers)

                cache.clear()
                try:
                    check()
                except Unsatisfiable:
                    assert mode == GenerationMode.NEGATIVE  # an operation with no input to get wrong
                except (AssertionError, BaseExceptionGroup) as failure:  # shrunk to the simplest failing request
                    failures.append(f"{reader} {mode.value} {operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)
