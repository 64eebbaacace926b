"""Members sign in and out on the portal (issue 14), in both scripts, never into the admin."""

import re

from django.test import TestCase, override_settings
from wagtail.models import Locale

from disclosure_pages.choices import Scope
from tests.factories import build_tree, make_item, make_member, make_user, reload

LOGIN = "/zh-hans/account/login/"
LOGIN_HANT = "/zh-hant/account/login/"


def text(response):
    return response.content.decode()


class MemberLoginTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.public = make_item(cls.t.township, "城关镇党委关于开展主题党日活动的公告")
        cls.members_only = make_item(cls.t.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS)
        cls.member = make_member(cls.t.village1, "dgc-member")
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def sign_in(self, username, password, next_url=None, url=LOGIN):
        data = {"username": username, "password": password}
        if next_url is not None:
            data["next"] = next_url
        return self.client.post(url, data)

    def test_the_header_link_leads_to_the_portal_sign_in_not_the_admin(self):
        html = text(self.client.get(self.public.url))
        link = re.search(r'<a href="([^"]+)">党员登录</a>', html).group(1)
        self.assertTrue(link.startswith(LOGIN + "?next="), link)
        self.assertNotIn("/admin/login/", html)

    def test_the_sign_in_page_speaks_chinese_in_both_scripts(self):
        html = text(self.client.get(LOGIN))
        for words in ("党员登录", "用户名", "密码", "登录"):
            self.assertIn(words, html)
        for foreign in ("Password", "Username", "管理后台"):
            self.assertNotIn(foreign, html)
        self.assertIn('lang="zh-Hans"', html)
        html = text(self.client.get(LOGIN_HANT))
        for words in ("黨員登錄", "用戶名", "密碼"):
            self.assertIn(words, html)
        self.assertNotIn("党员登录", html)
        self.assertIn('lang="zh-Hant"', html)
        # Its 简/繁 switch goes to the other script's sign-in.
        self.assertIn("next=/zh-hans/account/login/", html)

    def test_a_wrong_password_says_so_in_chinese(self):
        response = self.sign_in("dgc-member", "wrong")
        self.assertEqual(response.status_code, 200)
        self.assertIn("用户名或密码不正确", text(response))
        self.assertIn('role="alert"', text(response))
        response = self.sign_in("dgc-member", "wrong", url=LOGIN_HANT)
        self.assertIn("用戶名或密碼不正確", text(response))
        self.assertFalse(self.client.session.get("_auth_user_id"))

    def test_a_member_signs_in_and_reads_the_members_only_item(self):
        response = self.client.get(self.members_only.url)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(LOGIN + "?next="), response["Location"])
        response = self.sign_in("dgc-member", "pw-dgc-member", next_url=self.members_only.url)
        self.assertEqual(response["Location"], self.members_only.url)
        self.assertContains(self.client.get(self.members_only.url), "民主生活会整改清单")

    def test_traditional_pages_send_readers_to_the_traditional_sign_in(self):
        variant = reload(self.members_only).get_translation(self.hant)
        response = self.client.get(variant.url)
        self.assertTrue(response["Location"].startswith(LOGIN_HANT + "?next="), response["Location"])
        response = self.sign_in("dgc-member", "pw-dgc-member", next_url=variant.url, url=LOGIN_HANT)
        self.assertEqual(response["Location"], variant.url)

    def test_next_must_stay_on_this_site(self):
        for target in ("https://evil.example.com/", "//evil.example.com/x", "javascript:alert(1)"):
            with self.subTest(target=target):
                response = self.sign_in("dgc-member", "pw-dgc-member", next_url=target)
                self.assertEqual(response["Location"], "/zh-hans/")
                self.client.logout()

    def test_a_member_is_never_sent_into_the_admin(self):
        for target in ("/admin/", "/admin/pages/", "/admin/login/?next=/admin/"):
            with self.subTest(target=target):
                response = self.sign_in("dgc-member", "pw-dgc-member", next_url=target)
                self.assertEqual(response["Location"], "/zh-hans/")
                self.client.logout()

    def test_an_officer_may_go_on_to_the_admin(self):
        officer = make_user("cgz-officer", self.t.township.officers_group)
        self.assertTrue(officer.has_perm("wagtailadmin.access_admin"))
        response = self.sign_in("cgz-officer", "pw-cgz-officer", next_url="/admin/")
        self.assertEqual(response["Location"], "/admin/")

    def test_signed_in_the_header_shows_the_name_and_a_sign_out_button(self):
        self.client.force_login(self.member)
        html = text(self.client.get(self.public.url))
        self.assertNotIn(">党员登录<", html)
        form = re.search(r'<form class="logout-form" method="post" action="([^"]+)">(.*?)</form>', html, re.S)
        self.assertIsNotNone(form, "no sign-out form in the header")
        self.assertEqual(form.group(1), "/zh-hans/account/logout/")
        self.assertIn("csrfmiddlewaretoken", form.group(2))
        self.assertIn("退出登录", form.group(2))
        self.assertIn("dgc-member", html)

    def test_signing_out_is_a_post_and_says_it_is_done(self):
        self.client.force_login(self.member)
        # A link (GET) signs nobody out.
        self.assertEqual(self.client.get("/zh-hans/account/logout/").status_code, 405)
        self.assertTrue(self.client.session.get("_auth_user_id"))
        response = self.client.post("/zh-hans/account/logout/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("您已安全退出登录", text(response))
        self.assertFalse(self.client.session.get("_auth_user_id"))
        self.assertEqual(self.client.get(self.members_only.url).status_code, 302)
        self.client.force_login(self.member)
        response = self.client.post("/zh-hant/account/logout/")
        self.assertIn("您已安全退出登錄", text(response))

    @override_settings(SUNSHINE_LOGIN_ATTEMPTS=3, SUNSHINE_LOGIN_LOCKOUT_SECONDS=600)
    def test_repeated_wrong_passwords_lock_the_account_for_a_while(self):
        for _attempt in range(2):
            self.assertIn("用户名或密码不正确", text(self.sign_in("dgc-member", "guess")))
        # The third wrong password locks; then the right one is refused too. The sign-in page
        # itself says how long to wait, in the reader's script (accounts/lockout.py).
        self.assertEqual(self.sign_in("dgc-member", "guess").status_code, 429)
        response = self.sign_in("dgc-member", "pw-dgc-member")
        self.assertEqual(response.status_code, 429)
        self.assertIn("密码错误次数过多，登录已暂停。请 10 分钟后再试", text(response))
        self.assertNotIn("用户名或密码不正确", text(response))
        self.assertFalse(self.client.session.get("_auth_user_id"))
        # Another member at the same address (a service centre's terminal) still signs in.
        make_member(self.t.village1, "dgc-member2")
        response = self.sign_in("dgc-member2", "pw-dgc-member2")
        self.assertEqual(response.status_code, 302)

    def test_signed_in_without_access_the_sign_in_page_explains(self):
        other = make_member(self.t.township2, "sqz-member")
        self.client.force_login(other)
        response = self.client.get(self.members_only.url)
        self.assertTrue(response["Location"].startswith(LOGIN))
        html = text(self.client.get(response["Location"]))
        self.assertIn("您已登录为“sqz-member”", html)
        self.assertIn("当前账号无权查看", html)
