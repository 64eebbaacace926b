"""Bad input is the client's mistake, never a 500 (issue 13, item 6).

Integers and dates are checked before they reach a query: a number beyond the database's
integers overflows SQLite's driver, a date in year 1 overflows the time-zone arithmetic.
The API answers 400 with ``{"code", "message"}`` (or 404 for an id out of range), and JSON
on every /api/ path even when the database is down. The client here does not raise the
view's exception (``raise_request_exception=False``) and DEBUG is off, as in production,
so a 500 would be seen as one.
"""

import json
from unittest import mock

from django.db import OperationalError, connection
from django.test import Client

from tests.api.county import PUBLIC, CountyTestCase

HUGE = "99999999999999999999999"


class ProductionClientMixin:
    def client_get(self, path, reader=None, **params):
        headers = {"Authorization": f"Bearer {self.tokens[reader]}"} if reader else {}
        return Client(raise_request_exception=False).get(path, params, headers=headers)

    def assertJsonError(self, response, status, code=None):
        self.assertEqual(response.status_code, status, response.content[:300])
        self.assertTrue(response["Content-Type"].startswith("application/json"), response["Content-Type"])
        body = response.json()
        self.assertEqual(set(body) - {"errors", "retry_after"}, {"code", "message"})
        if code is not None:
            self.assertEqual(body["code"], code)
        self.assertNotIn("Traceback", response.content.decode())
        return body


class OutOfRangeIntegersTests(ProductionClientMixin, CountyTestCase):
    def test_ids_in_paths_beyond_any_row_are_404s(self):
        for path in (
            f"/api/v2/disclosures/{HUGE}/",
            "/api/v2/disclosures/99999999999999999999/",
            "/api/v2/disclosures/2147483648/",
            "/api/v2/disclosures/0/",
            f"/api/v2/attachments/{HUGE}/",
            f"/api/v2/pages/{HUGE}/",
            "/api/v2/pages/99999999999999999999/",
            f"/api/v2/images/{HUGE}/",
            f"/api/v2/documents/{HUGE}/",
        ):
            with self.subTest(path=path):
                self.assertJsonError(self.client_get(path), 404)

    def test_integer_parameters_beyond_any_row_are_400s(self):
        cases = [
            ("/api/v2/disclosures/", {"unit": HUGE}),
            ("/api/v2/disclosures/", {"entry": HUGE}),
            ("/api/v2/disclosures/", {"area": HUGE}),
            ("/api/v2/disclosures/", {"offset": HUGE}),
            ("/api/v2/disclosures/", {"limit": HUGE}),
            ("/api/v2/disclosures/", {"year": HUGE}),
            ("/api/v2/disclosures/", {"unit": "²"}),
            ("/api/v2/catalogue/", {"unit": HUGE}),
            ("/api/v2/feeds/", {"unit": HUGE}),
            ("/api/v2/feeds/", {"entry": HUGE}),
            ("/api/v2/search/", {"q": "x", "unit": HUGE}),
            ("/api/v2/search/", {"q": "x", "page": HUGE}),
            ("/api/v2/search/", {"q": "x", "year": HUGE}),
            ("/api/v2/pages/", {"child_of": HUGE}),
            ("/api/v2/pages/", {"descendant_of": HUGE}),
            ("/api/v2/pages/", {"ancestor_of": HUGE}),
            ("/api/v2/pages/", {"translation_of": HUGE}),
            ("/api/v2/pages/", {"offset": HUGE}),
            ("/api/v2/pages/find/", {"id": HUGE}),
            ("/api/v2/images/", {"limit": HUGE}),
            ("/api/v2/documents/find/", {"id": HUGE}),
        ]
        for path, params in cases:
            with self.subTest(path=path, params=params):
                self.assertJsonError(self.client_get(path, **params), 400, "invalid_parameter")

    def test_a_unit_id_the_search_cannot_hold_is_refused_like_any_other_bad_id(self):
        for value in ("²", "١٢", "１２"):
            with self.subTest(unit=value):
                response = self.client_get("/api/v2/search/", q="党", unit=value)
                self.assertIn(response.status_code, (400, 404))
                self.assertJsonError(response, response.status_code)

    def test_an_editors_preview_token_for_an_id_beyond_any_row_is_a_json_404(self):
        from tests.factories import make_user

        client = Client(raise_request_exception=False)
        client.force_login(make_user("cgz-officer", self.t.township.officers_group))
        for page_id in (HUGE, "99999999999999999999", "2147483648"):
            with self.subTest(page_id=page_id):
                self.assertJsonError(client.get(f"/admin/api-preview/{page_id}/"), 404, "page_not_found")

    def test_the_same_for_a_member(self):
        self.assertJsonError(self.client_get(f"/api/v2/disclosures/{HUGE}/", "cgz"), 404)
        self.assertJsonError(self.client_get("/api/v2/disclosures/", "cgz", unit=HUGE), 400, "invalid_parameter")


class InsaneDatesTests(ProductionClientMixin, CountyTestCase):
    def test_dates_outside_sane_bounds_are_400s(self):
        for name, value in (
            ("updated_since", "0001-01-01"),
            ("updated_since", "0001-01-01T00:00:00Z"),
            ("updated_since", "9999-12-31T23:59:59"),
            ("updated_since", "1000-01-01"),
            ("date_from", "0001-01-01"),
            ("date_to", "9999-12-31"),
        ):
            with self.subTest(**{name: value}):
                body = self.assertJsonError(self.client_get("/api/v2/disclosures/", **{name: value}), 400, "invalid_parameter")
                self.assertIn(name, body["errors"])

    def test_sane_dates_still_work(self):
        response = self.client_get("/api/v2/disclosures/", updated_since="2020-01-01T00:00:00+08:00", date_from="2000-01-01", date_to="2099-12-31")
        self.assertEqual(response.status_code, 200, response.content[:300])
        self.assertIn(PUBLIC, [item["title"] for item in response.json()["items"]])


class DatabaseDownTests(ProductionClientMixin, CountyTestCase):
    """With the database unreachable every /api/ path still answers JSON, with a code."""

    def unreachable(self):
        error = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')
        return mock.patch.object(connection, "ensure_connection", side_effect=error)

    def test_every_api_path_answers_json_503(self):
        paths = [
            "/api/v2/disclosures/",
            f"/api/v2/disclosures/{self.items[PUBLIC].pk}/",
            "/api/v2/units/",
            "/api/v2/catalogue/",
            "/api/v2/feeds/",
            "/api/v2/search/?q=党",
            "/api/v2/pages/",
            "/api/v2/images/",
            "/api/v2/documents/",
            "/api/v2/attachments/1/",
            "/api/v2/no-such-endpoint/",
        ]
        for path in paths:
            with self.subTest(path=path):
                with self.unreachable():
                    response = Client(raise_request_exception=False).get(path)
                body = self.assertJsonError(response, 503, "service_unavailable")
                self.assertNotIn("5432", body["message"])
                self.assertEqual(response["Cache-Control"], "no-store")
                self.assertIn("Retry-After", response)

    def test_a_member_with_a_token_gets_json_too(self):
        with self.unreachable():
            response = self.client_get("/api/v2/disclosures/", "cgz")
        self.assertJsonError(response, 503, "service_unavailable")


class ApiServerErrorTests(ProductionClientMixin, CountyTestCase):
    """Any other failure under /api/ is a JSON 500 with a code; the portal keeps its HTML page."""

    def test_a_bug_in_an_api_view_is_a_json_500(self):
        with mock.patch("api.views.UnitTreeView.build", side_effect=RuntimeError("boom")):
            response = Client(raise_request_exception=False).get("/api/v2/units/")
        body = self.assertJsonError(response, 500, "server_error")
        self.assertNotIn("boom", json.dumps(body))

    def test_a_404_outside_the_api_views_is_json_under_api(self):
        from api import errors

        for path in ("/api/v2/disclosures/x/", "/api/nothing"):
            with self.subTest(path=path):
                response = Client(raise_request_exception=False).get(path)
                self.assertJsonError(response, 404)
        # Django's own handlers, as the root urlconf names them.
        from django.test import RequestFactory

        request = RequestFactory().get("/api/v2/whatever/")
        self.assertEqual(errors.page_not_found(request, Exception()).status_code, 404)
        self.assertEqual(json.loads(errors.page_not_found(request, Exception()).content)["code"], "not_found")
        self.assertEqual(json.loads(errors.server_error(request).content)["code"], "server_error")

    def test_the_portal_keeps_its_html_pages(self):
        from api import errors
        from django.test import RequestFactory

        request = RequestFactory().get("/zh-hans/nowhere/")
        self.assertTrue(errors.server_error(request)["Content-Type"].startswith("text/html"))
        response = Client(raise_request_exception=False).get("/zh-hans/nowhere/")
        self.assertEqual(response.status_code, 404)
        self.assertTrue(response["Content-Type"].startswith("text/html"))
