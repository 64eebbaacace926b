"""The sign-in log: what is recorded, the superusers' report with its exports, and the purge."""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import SignInEvent
from accounts.sessions import LAST_SEEN_AT
from tests.factories import build_tree, make_member, make_user, wagtail_root

REPORT = "/admin/reports/sign-in-log/"
UA = {"HTTP_USER_AGENT": "Mozilla/5.0 (Windows NT 10.0) QQBrowser/12.0"}


def kinds():
    return list(SignInEvent.objects.order_by("pk").values_list("kind", "area", "username", "address"))


class SignInLogTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.t = build_tree()
        cls.admin = get_user_model().objects.create_superuser("county-admin", "admin@example.gov.cn", "pw-county-admin")
        cls.officer = make_user("cgz-officer")
        cls.officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
        cls.member = make_member(cls.t.village1, "dgc-member")

    def test_sign_ins_sign_outs_and_failures_are_recorded_with_address_and_browser(self):
        self.client.post("/admin/login/", {"username": "cgz-officer", "password": "guess"}, REMOTE_ADDR="10.1.2.3", **UA)
        self.client.post("/admin/login/", {"username": "no-such-user", "password": "guess"}, REMOTE_ADDR="10.1.2.3", **UA)
        self.client.post("/admin/login/", {"username": "cgz-officer", "password": "pw-cgz-officer"}, REMOTE_ADDR="10.1.2.3", **UA)
        self.client.post("/admin/logout/", REMOTE_ADDR="10.1.2.3", **UA)
        self.client.post("/zh-hans/account/login/", {"username": "dgc-member", "password": "pw-dgc-member"}, REMOTE_ADDR="10.9.9.9")
        self.client.post("/zh-hans/account/logout/", REMOTE_ADDR="10.9.9.9")
        self.assertEqual(
            kinds(),
            [
                ("failed", "admin", "cgz-officer", "10.1.2.3"),
                ("failed", "admin", "no-such-user", "10.1.2.3"),
                ("signed_in", "admin", "cgz-officer", "10.1.2.3"),
                ("signed_out", "admin", "cgz-officer", "10.1.2.3"),
                ("signed_in", "portal", "dgc-member", "10.9.9.9"),
                ("signed_out", "portal", "dgc-member", "10.9.9.9"),
            ],
        )
        first = SignInEvent.objects.order_by("pk").first()
        self.assertEqual(first.user, self.officer)
        self.assertIn("QQBrowser", first.user_agent)
        self.assertIsNone(SignInEvent.objects.get(username="no-such-user").user)

    def test_tries_refused_during_a_lockout_and_timeouts_are_recorded(self):
        for attempt in range(6):
            self.client.post("/zh-hans/account/login/", {"username": "dgc-member", "password": "guess"})
        self.assertEqual([kind for kind, *_ in kinds()], ["failed"] * 5 + ["locked_out"])
        SignInEvent.objects.all().delete()
        self.client.post("/admin/login/", {"username": "cgz-officer", "password": "pw-cgz-officer"})
        session = self.client.session
        session[LAST_SEEN_AT] -= 3600
        session.save()
        self.client.get("/admin/")
        self.assertEqual([kind for kind, *_ in kinds()], ["signed_in", "timed_out"])

    def make_rows(self):
        now = timezone.now()
        SignInEvent.objects.create(kind="signed_in", area="admin", username="cgz-officer", user=self.officer, address="10.1.2.3", time=now - timedelta(days=2))
        SignInEvent.objects.create(kind="failed", area="portal", username="dgc-member", address="203.0.113.9", time=now - timedelta(days=1))
        SignInEvent.objects.create(kind="locked_out", area="admin", username="cgz-officer", address="203.0.113.9", time=now)

    def test_superusers_read_and_filter_the_report(self):
        self.make_rows()
        self.client.force_login(self.admin)
        response = self.client.get(REPORT)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        for words in ("登录日志", "锁定中被拒", "登录失败", "203.0.113.9", "管理后台", "门户网站"):
            self.assertIn(words, html)
        html = self.client.get(REPORT, {"kind": "failed"}).content.decode()
        self.assertIn("dgc-member", html)
        self.assertNotIn("cgz-officer</td>", html)
        html = self.client.get(REPORT, {"username": "cgz"}).content.decode()
        self.assertNotIn("dgc-member</td>", html)
        self.assertEqual(html.count("cgz-officer</td>"), 2)
        today = timezone.localdate()
        html = self.client.get(REPORT, {"time_from": today.isoformat(), "time_to": today.isoformat()}).content.decode()
        self.assertIn("锁定中被拒", html)
        self.assertNotIn("登录成功</td>", html)
        # The menu under Reports shows it to superusers.
        self.assertIn(REPORT, self.client.get("/admin/").content.decode())

    def test_the_report_exports_csv_and_xlsx(self):
        self.make_rows()
        self.client.force_login(self.admin)
        response = self.client.get(REPORT, {"export": "csv", "kind": "locked_out"})
        self.assertEqual(response.status_code, 200)
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        lines = text.strip().splitlines()
        self.assertEqual(lines[0], "时间,结果,入口,用户名,IP 地址,浏览器")
        self.assertEqual(len(lines), 2)
        self.assertIn("锁定中被拒,管理后台,cgz-officer,203.0.113.9", lines[1])
        response = self.client.get(REPORT, {"export": "xlsx"})
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.values)
        self.assertEqual(rows[0][:4], ("时间", "结果", "入口", "用户名"))
        self.assertEqual(len(rows), 4)

    def test_officers_and_anonymous_are_refused(self):
        self.make_rows()
        response = self.client.get(REPORT)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/"))
        self.assertEqual(self.client.get(REPORT, {"export": "csv"}).status_code, 302)
        self.client.force_login(self.officer)
        for query in ({}, {"export": "csv"}, {"export": "xlsx"}):
            response = self.client.get(REPORT, query)
            self.assertIn(response.status_code, (302, 403))
            self.assertNotIn(b"203.0.113.9", response.content)
        self.assertEqual(self.client.get(REPORT + "results/").status_code in (302, 403), True)
        self.assertNotIn(REPORT, self.client.get("/admin/").content.decode())

    def test_the_purge_deletes_only_rows_older_than_the_retention(self):
        now = timezone.now()
        old = SignInEvent.objects.create(kind="failed", area="admin", username="old", time=now - timedelta(days=181))
        kept = SignInEvent.objects.create(kind="failed", area="admin", username="kept", time=now - timedelta(days=179))
        out = io.StringIO()
        call_command("purge_sign_in_log", stdout=out)
        self.assertIn("Deleted 1", out.getvalue())
        self.assertFalse(SignInEvent.objects.filter(pk=old.pk).exists())
        self.assertTrue(SignInEvent.objects.filter(pk=kept.pk).exists())
