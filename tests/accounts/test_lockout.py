"""Wrong passwords: one rule for the admin's and the portal's sign-in (django-axes, accounts/lockout.py)."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import Client, TestCase, override_settings
from django.utils import timezone

from tests.factories import build_tree, make_member, make_user, wagtail_root

ADMIN_LOGIN = "/admin/login/"
PORTAL_LOGIN = "/zh-hans/account/login/"
LOCKOUTS = "/admin/sign-in-lockouts/"
LOCKED = "密码错误次数过多，登录已暂停。请 15 分钟后再试，或联系管理员解除锁定。"


def text(response):
    return response.content.decode()


def signed_in(client):
    return bool(client.session.get("_auth_user_id"))


class AdminLockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.officer = make_user("cgz-officer", is_staff=False)
        editors = Group.objects.create(name="admin users")
        editors.permissions.add(Permission.objects.get(codename="access_admin"))
        cls.officer.groups.add(editors)

    def sign_in(self, password, address="10.1.2.3", **extra):
        return self.client.post(
            ADMIN_LOGIN, {"username": "cgz-officer", "password": password}, REMOTE_ADDR=address, **extra
        )

    def test_25_wrong_passwords_then_the_right_one_is_refused_in_chinese(self):
        for attempt in range(25):
            response = self.sign_in(f"guess-{attempt}")
            if attempt < 4:
                self.assertEqual(response.status_code, 200)
                self.assertIn("密码不匹配", text(response))
        response = self.sign_in("pw-cgz-officer")
        self.assertEqual(response.status_code, 429)
        html = text(response)
        # The admin's sign-in page, with the message where its errors go, not a bare 403/429 text.
        self.assertIn('name="password"', html)
        self.assertIn(LOCKED, html)
        self.assertNotIn("密码不匹配", html)
        self.assertFalse(signed_in(self.client))
        # The tries while locked out were not counted: the wait is the one the page said.
        self.assertEqual(AccessAttempt.objects.get().failures_since_start, 5)

    def test_after_the_cool_off_the_right_password_works(self):
        for attempt in range(5):
            self.sign_in("guess")
        self.assertEqual(self.sign_in("pw-cgz-officer").status_code, 429)
        # 14 minutes later it still waits, a minute left; at 15 the right password signs in.
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=14))
        response = self.sign_in("pw-cgz-officer")
        self.assertEqual(response.status_code, 429)
        self.assertIn("请 1 分钟后再试", text(response))
        AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=1, seconds=1))
        response = self.sign_in("pw-cgz-officer")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(signed_in(self.client))
        # The success cleared the count.
        self.assertFalse(AccessAttempt.objects.exists())

    def test_an_attacker_elsewhere_does_not_lock_the_officer_out(self):
        for attempt in range(10):
            self.sign_in("guess", address="203.0.113.9")
        self.assertEqual(self.sign_in("pw-cgz-officer", address="203.0.113.9").status_code, 429)
        # The officer, at the office's address, signs in.
        response = self.sign_in("pw-cgz-officer", address="10.1.2.3")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(signed_in(self.client))

    def test_a_forged_forwarded_for_does_not_reset_the_count(self):
        # Without a proxy in front (API_NUM_PROXIES=0) X-Forwarded-For is not read.
        for attempt in range(5):
            self.sign_in("guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
        self.assertEqual(self.sign_in("pw-cgz-officer", HTTP_X_FORWARDED_FOR="198.51.100.77").status_code, 429)

    @override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1})
    def test_behind_one_proxy_the_address_the_proxy_saw_counts(self):
        for attempt in range(5):
            self.sign_in("guess", address="127.0.0.1", HTTP_X_FORWARDED_FOR="forged, 203.0.113.9")
        self.assertEqual(
            self.sign_in("pw-cgz-officer", address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code, 429
        )
        # Another client behind the same proxy is not locked out.
        response = self.sign_in("pw-cgz-officer", address="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
        self.assertEqual(response.status_code, 302)

    def test_an_administrator_lifts_the_lockout(self):
        for attempt in range(5):
            self.sign_in("guess")
        self.assertEqual(self.sign_in("pw-cgz-officer").status_code, 429)
        call_command("axes_reset_username", "cgz-officer", stdout=open("/dev/null", "w"))
        response = self.sign_in("pw-cgz-officer")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(signed_in(self.client))


class PortalLockoutTests(TestCase):
    """The portal's members' sign-in falls under the same rule and says it on its own page."""

    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.t = build_tree()
        cls.member = make_member(cls.t.village1, "dgc-member")

    def test_the_portal_and_the_admin_share_one_count(self):
        for attempt in range(3):
            self.client.post(PORTAL_LOGIN, {"username": "dgc-member", "password": "guess"})
        for attempt in range(2):
            self.client.post(ADMIN_LOGIN, {"username": "dgc-member", "password": "guess"})
        response = self.client.post(PORTAL_LOGIN, {"username": "dgc-member", "password": "pw-dgc-member"})
        self.assertEqual(response.status_code, 429)
        html = text(response)
        self.assertIn("党员登录", html)
        self.assertIn(LOCKED, html)
        self.assertIn('role="alert"', html)
        self.assertFalse(signed_in(self.client))


class LockoutsPageTests(TestCase):
    """登录锁定: superusers lift a lockout in the admin; nobody else sees the page."""

    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.admin = get_user_model().objects.create_superuser("county-admin", "admin@example.gov.cn", "x")
        cls.officer = make_user("cgz-officer")
        cls.officer.user_permissions.add(Permission.objects.get(codename="access_admin"))

    def lock_out(self):
        client = Client()
        for attempt in range(5):
            client.post(ADMIN_LOGIN, {"username": "cgz-officer", "password": "guess"}, REMOTE_ADDR="203.0.113.9")
        return client

    def test_a_superuser_sees_the_lockout_and_lifts_it(self):
        officer_client = self.lock_out()
        self.client.force_login(self.admin)
        html = self.client.get(LOCKOUTS).content.decode()
        self.assertIn("cgz-officer", html)
        self.assertIn("203.0.113.9", html)
        response = self.client.post(LOCKOUTS, {"username": "cgz-officer", "address": "203.0.113.9"}, follow=True)
        self.assertContains(response, "已解除“cgz-officer”在 203.0.113.9 的登录锁定。")
        self.assertContains(response, "当前没有被锁定的账号。")
        response = officer_client.post(ADMIN_LOGIN, {"username": "cgz-officer", "password": "pw-cgz-officer"}, REMOTE_ADDR="203.0.113.9")
        self.assertEqual(response.status_code, 302)

    def test_a_lockout_that_ran_out_is_not_listed(self):
        self.lock_out()
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        self.client.force_login(self.admin)
        self.assertContains(self.client.get(LOCKOUTS), "当前没有被锁定的账号。")

    def test_officers_and_anonymous_can_neither_see_nor_lift(self):
        self.lock_out()
        response = self.client.get(LOCKOUTS)
        self.assertTrue(response["Location"].startswith("/admin/login/"))
        self.client.force_login(self.officer)
        response = self.client.get(LOCKOUTS)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(b"203.0.113.9", response.content)
        self.client.post(LOCKOUTS, {"username": "cgz-officer", "address": "203.0.113.9"})
        self.assertEqual(AccessAttempt.objects.get().failures_since_start, 5)
        self.assertNotIn(LOCKOUTS, self.client.get("/admin/").content.decode())
