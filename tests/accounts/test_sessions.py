"""Idle and absolute session timeouts, tested by moving the session's stored times (no sleeping)."""

from django.contrib.auth.models import Permission
from django.test import TestCase, override_settings

from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.factories import build_tree, make_item, make_member, make_user, wagtail_root
from disclosure_pages.choices import Scope


class SessionTimeoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.t = build_tree()
        cls.members_only = make_item(cls.t.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS)
        cls.officer = make_user("cgz-officer")
        cls.officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
        cls.member = make_member(cls.t.township, "cgz-member")

    def sign_in(self, url, username):
        response = self.client.post(url, {"username": username, "password": f"pw-{username}"})
        self.assertEqual(response.status_code, 302)

    def move_back(self, key, seconds):
        session = self.client.session
        session[key] -= seconds
        session.save()

    def test_the_admin_signs_out_after_30_idle_minutes(self):
        self.sign_in("/admin/login/", "cgz-officer")
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.move_back(LAST_SEEN_AT, 29 * 60)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        # That request counted as activity: another 29 minutes later it still works.
        self.move_back(LAST_SEEN_AT, 29 * 60)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.move_back(LAST_SEEN_AT, 31 * 60)
        response = self.client.get("/admin/pages/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/admin/login/?next=/admin/pages/"), response["Location"])
        self.assertFalse(self.client.session.get("_auth_user_id"))
        self.assertContains(self.client.get(response["Location"]), "已自动退出登录，请重新登录")

    def test_the_admin_signs_out_12_hours_after_signing_in_however_busy(self):
        self.sign_in("/admin/login/", "cgz-officer")
        self.move_back(SIGNED_IN_AT, 12 * 3600 - 60)
        self.assertEqual(self.client.get("/admin/").status_code, 200)
        self.move_back(SIGNED_IN_AT, 61)
        self.assertEqual(self.client.get("/admin/").status_code, 302)

    def test_an_officer_on_the_portal_keeps_the_admins_limits(self):
        self.sign_in("/zh-hans/account/login/", "cgz-officer")
        self.move_back(LAST_SEEN_AT, 31 * 60)
        self.client.get("/zh-hans/")
        self.assertFalse(self.client.session.get("_auth_user_id"))

    def test_a_member_stays_signed_in_for_two_idle_hours(self):
        self.sign_in("/zh-hans/account/login/", "cgz-member")
        self.move_back(LAST_SEEN_AT, 119 * 60)
        self.assertEqual(self.client.get(self.members_only.url).status_code, 200)
        self.move_back(LAST_SEEN_AT, 121 * 60)
        response = self.client.get(self.members_only.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/zh-hans/account/login/"))

    def test_a_member_signs_in_again_after_14_days(self):
        self.sign_in("/zh-hans/account/login/", "cgz-member")
        self.move_back(SIGNED_IN_AT, 14 * 86400 + 1)
        self.assertEqual(self.client.get(self.members_only.url).status_code, 302)

    @override_settings(SUNSHINE_ADMIN_SESSION_IDLE_SECONDS=5 * 60)
    def test_the_limits_are_settings(self):
        self.sign_in("/admin/login/", "cgz-officer")
        self.move_back(LAST_SEEN_AT, 6 * 60)
        self.assertEqual(self.client.get("/admin/").status_code, 302)
