"""Views that are not ours (Wagtail's admin) answer 400, not 500, to numbers a query cannot hold.

Found by the adversarial matrix's fuzz pass (tests/security): the admin's choosers, reports
and internal API take query parameters to the database as given. ``BadInputMiddleware``
answers the exceptions such a value raises while a GET is answered with a 400; anything
else is still a 500.
"""

from unittest import mock

from django.db import DataError, IntegrityError, transaction
from django.test import Client, TestCase

from cms.middleware import is_bad_input
from tests.factories import build_tree, make_user

HUGE = "99999999999999999999999"


class BadInputMiddlewareTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.officer = make_user("cgz-officer", cls.t.township.officers_group)
        cls.root = make_user("root", is_superuser=True, is_staff=True)

    def client_for(self, user):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        return client

    def get(self, client, path):
        # Each request in a savepoint: on PostgreSQL a refused query aborts the test's
        # transaction (a server in autocommit starts the next request afresh).
        with transaction.atomic():
            response = client.get(path)
            transaction.set_rollback(True)
        return response

    def test_admin_routes_answer_400_to_numbers_past_the_database(self):
        paths = [
            f"/admin/reports/site-history/?user={2**63}",
            f"/admin/documents/chooser/chosen-multiple/?id={HUGE}",
            "/admin/documents/chooser/chosen-multiple/?id=",
            f"/admin/images/chooser/chosen-multiple/?id={HUGE}",
            "/admin/api/main/pages/find/?id=abc",
            f"/admin/api/main/pages/?offset={HUGE}",
            f"/admin/snippets/choose/disclosure_pages/catalogueentry/chosen-multiple/?id={HUGE}",
        ]
        for user in (self.officer, self.root):
            client = self.client_for(user)
            for path in paths:
                with self.subTest(user=user.username, path=path):
                    response = self.get(client, path)
                    self.assertLess(response.status_code, 500, response.content[:200])
                    if response.status_code == 400:
                        self.assertIn("请求有误", response.content.decode())

    def test_the_page_says_so_in_chinese_without_the_exception(self):
        # Not a number on either database (PostgreSQL bounds a too-big one itself).
        response = self.get(self.client_for(self.officer), "/admin/documents/chooser/chosen-multiple/?id=abc")
        self.assertEqual(response.status_code, 400)
        html = response.content.decode()
        self.assertIn("数字超出范围或格式不对", html)
        self.assertNotIn("Overflow", html)

    def test_under_api_the_answer_is_json(self):
        with mock.patch("api.views.UnitTreeView.build", side_effect=OverflowError("Python int too large to convert to SQLite INTEGER")):
            response = Client(raise_request_exception=False).get("/api/v2/units/")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["code"], "invalid_parameter")

    def test_other_failures_stay_server_errors(self):
        with mock.patch("api.views.UnitTreeView.build", side_effect=ValueError("something else")):
            response = Client(raise_request_exception=False).get("/api/v2/units/")
        self.assertEqual(response.status_code, 500)

    def test_what_counts_as_bad_input(self):
        self.assertTrue(is_bad_input(OverflowError("Python int too large to convert to SQLite INTEGER")))
        self.assertTrue(is_bad_input(ValueError("Field 'id' expected a number but got 'abc'.")))
        self.assertTrue(is_bad_input(IntegrityError("datatype mismatch")))
        self.assertTrue(is_bad_input(DataError("bigint out of range")))
        self.assertFalse(is_bad_input(ValueError("invalid literal")))
        self.assertFalse(is_bad_input(IntegrityError("UNIQUE constraint failed: x.y")))
        self.assertFalse(is_bad_input(KeyError("x")))
