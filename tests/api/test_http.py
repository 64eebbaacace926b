"""HTTP behaviour: conditional GET, caching headers, CORS, rate limits, page size, errors, tokens."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.http import http_date

from api.models import MemberToken
from tests.api.county import PUBLIC, CountyTestCase
from tests.factories import edit_and_publish

LIST = "/api/v2/disclosures/"


class ConditionalGetTests(CountyTestCase):
    def test_a_repeated_request_with_the_etag_gets_304_until_something_is_published(self):
        first = self.get(LIST)
        self.assertEqual(first.status_code, 200)
        etag = first["ETag"]
        again = self.get(LIST, headers={"If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(again["ETag"], etag)

        edit_and_publish(self.items[PUBLIC], title="城关镇党委关于开展主题党日活动的公告（更新）")
        changed = self.get(LIST, headers={"If-None-Match": etag})
        self.assertEqual(changed.status_code, 200)
        self.assertNotEqual(changed["ETag"], etag)
        self.assertIn("（更新）", changed.json()["items"][0]["title"])  # the cached body was not served

    def test_if_modified_since_the_last_change_gets_304(self):
        last_modified = self.get(LIST)["Last-Modified"]
        self.assertEqual(self.get(LIST, headers={"If-Modified-Since": last_modified}).status_code, 304)
        earlier = http_date((timezone.now() - timedelta(days=1)).timestamp())
        self.assertEqual(self.get(LIST, headers={"If-Modified-Since": earlier}).status_code, 200)
        self.assertEqual(self.get(LIST, headers={"If-Modified-Since": "not a date"}).status_code, 200)

    def test_the_etag_depends_on_the_parameters_and_the_reader(self):
        public = self.get(LIST)["ETag"]
        self.assertNotEqual(self.get(LIST, locale="zh-hant")["ETag"], public)
        self.assertNotEqual(self.get(LIST, "cgz")["ETag"], public)
        self.assertEqual(self.get(LIST, "cgz", headers={"If-None-Match": public}).status_code, 200)
        self.assertEqual(self.get(LIST, limit=5, offset=0)["ETag"], self.get(LIST, offset=0, limit=5)["ETag"])

    def test_public_answers_may_be_cached_by_proxies_members_answers_may_not(self):
        public = self.get(LIST)
        self.assertEqual(public["Cache-Control"], "public, max-age=60")
        self.assertIn("Authorization", public["Vary"])
        self.assertEqual(self.get(LIST, "cgz")["Cache-Control"], "private, no-cache")
        for path in ("/api/v2/units/", "/api/v2/catalogue/", "/api/v2/feeds/", "/api/v2/pages/", f"{LIST}{self.items[PUBLIC].pk}/"):
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response["Cache-Control"], "public, max-age=60")
                self.assertTrue(response["ETag"])
        self.assertEqual(self.get(f"{LIST}999999/")["Cache-Control"], "no-store")


class CorsTests(CountyTestCase):
    @override_settings(CORS_ALLOWED_ORIGINS=["https://kiosk.example.cn"])
    def test_configured_origins_may_call_the_api_from_a_browser(self):
        response = self.get(LIST, headers={"Origin": "https://kiosk.example.cn"})
        self.assertEqual(response["Access-Control-Allow-Origin"], "https://kiosk.example.cn")
        self.assertIn("ETag", response["Access-Control-Expose-Headers"])
        preflight = Client().options(
            LIST,
            headers={"Origin": "https://kiosk.example.cn", "Access-Control-Request-Method": "GET",
                     "Access-Control-Request-Headers": "authorization, if-none-match"},
        )
        self.assertEqual(preflight.status_code, 200)
        self.assertIn("authorization", preflight["Access-Control-Allow-Headers"])
        self.assertNotIn("Access-Control-Allow-Origin", self.get(LIST, headers={"Origin": "https://evil.example"}))
        self.assertNotIn("Access-Control-Allow-Origin", Client().get("/zh-hans/", headers={"Origin": "https://kiosk.example.cn"}))


class RateLimitTests(CountyTestCase):
    @override_settings(SUNSHINE_API_RATE_ANON="3/min", SUNSHINE_API_RATE_MEMBER="5/min")
    def test_a_client_over_its_rate_gets_429_with_retry_after(self):
        for _ in range(3):
            self.assertEqual(self.get(LIST).status_code, 200)
        refused = self.get(LIST)
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused.json()["code"], "throttled")
        self.assertTrue(0 < int(refused["Retry-After"]) <= 60)
        self.assertEqual(refused.json()["retry_after"], int(refused["Retry-After"]))
        # Every endpoint counts, and a member's app has its own budget.
        self.assertEqual(self.get("/api/v2/pages/").status_code, 429)
        self.assertEqual(self.get(LIST, "cgz").status_code, 200)
        other = Client(REMOTE_ADDR="10.0.0.9").get(LIST)
        self.assertEqual(other.status_code, 200)

    @override_settings(SUNSHINE_API_RATE_ANON="2/min")
    def test_a_forged_forwarded_for_does_not_buy_a_new_budget(self):
        # No proxy in front (API_NUM_PROXIES=0, the default): the address is the connection's.
        for number in range(2):
            self.assertEqual(self.get(LIST, headers={"X-Forwarded-For": f"198.51.100.{number}"}).status_code, 200)
        self.assertEqual(self.get(LIST, headers={"X-Forwarded-For": "198.51.100.99"}).status_code, 429)


class BadInputTests(CountyTestCase):
    def assertError(self, response, status, code):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response.json()["code"], code)
        self.assertTrue(response.json()["message"])

    def test_the_page_size_is_capped(self):
        self.assertEqual(self.json(LIST, limit=100)["meta"]["limit"], 100)
        self.assertError(self.get(LIST, limit=101), 400, "invalid_parameter")
        self.assertError(self.get("/api/v2/pages/", limit=101), 400, "invalid_parameter")

    def test_invalid_parameters_are_400_with_a_code_and_a_chinese_message(self):
        cases = [
            ({"stage": "final"}, "invalid_parameter"),
            ({"unit": "城关镇"}, "invalid_parameter"),
            ({"unit": "99999999999999999999"}, "invalid_parameter"),
            ({"date_from": "2024-02-30"}, "invalid_parameter"),
            ({"updated_since": "yesterday"}, "invalid_parameter"),
            ({"offset": "-1"}, "invalid_parameter"),
            ({"order": "random"}, "invalid_parameter"),
            ({"township": "1"}, "unknown_parameter"),
            ({"locale": "en"}, "invalid_parameter"),
            ({"stage": "pre\x00"}, "invalid_parameter"),
        ]
        for params, code in cases:
            with self.subTest(params=params):
                self.assertError(self.get(LIST, **params), 400, code)
        traditional = self.get(LIST, locale="zh-hant", stage="final").json()
        self.assertEqual(traditional["message"], "參數有誤：stage")

    def test_unknown_ids_and_paths_are_404(self):
        self.assertError(self.get(LIST, unit=999999), 404, "unit_not_found")
        self.assertError(self.get(LIST, entry=999999), 404, "entry_not_found")
        self.assertError(self.get(f"{LIST}999999/"), 404, "disclosure_not_found")
        self.assertError(self.get("/api/v2/attachments/999999/"), 404, "attachment_not_found")
        self.assertError(self.get("/api/v2/pages/999999/"), 404, "not_found")
        self.assertError(self.get("/api/v2/pages/", child_of=999999), 404, "page_not_found")
        self.assertError(self.get("/api/v2/townships/"), 404, "unknown_endpoint")
        self.assertError(self.get("/api/v2/disclosures"), 404, "unknown_endpoint")

    def test_only_reading_is_allowed(self):
        self.assertError(Client().post(LIST, {}), 405, "method_not_allowed")
        self.assertError(Client().delete(f"{LIST}{self.items[PUBLIC].pk}/"), 405, "method_not_allowed")


class TokenTests(CountyTestCase):
    def test_a_bad_or_expired_token_is_refused_not_read_as_the_public(self):
        for header in ("Bearer nonsense", "Token abc", "Bearer", f"Bearer {self.tokens['cgz']} extra"):
            with self.subTest(header=header):
                response = Client().get(LIST, headers={"Authorization": header})
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["code"], "invalid_token")
                self.assertEqual(response["WWW-Authenticate"], 'Bearer realm="api"')
        MemberToken.objects.filter(user=self.users["cgz"]).update(expires_at=timezone.now() - timedelta(seconds=1))
        self.assertEqual(self.get(LIST, "cgz").status_code, 401)

    def test_tokens_are_stored_hashed_and_never_given_to_superusers(self):
        token = MemberToken.objects.get(user=self.users["cgz"])
        self.assertNotIn(self.tokens["cgz"], (token.key_digest, token.prefix))
        admin = get_user_model().objects.create_superuser("root", password="pw")
        with self.assertRaises(Exception):
            MemberToken.issue(admin)
        MemberToken.objects.filter(user=self.users["sqz"]).update(user=admin)
        self.assertEqual(self.get(LIST, "sqz").status_code, 401)

    def test_the_command_issues_a_working_token_and_revokes_it(self):
        from io import StringIO

        out = StringIO()
        call_command("api_token", "issue", "dgc-member", "--name", "服务中心一体机", "--days", "30", stdout=out, stderr=StringIO())
        key = out.getvalue().strip()
        response = Client().get(LIST, headers={"Authorization": f"Bearer {key}"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.json()["items"]), 3)  # public, party, unit
        call_command("api_token", "revoke", key[:8], stdout=StringIO())
        self.assertEqual(Client().get(LIST, headers={"Authorization": f"Bearer {key}"}).status_code, 401)
