"""The admin's second factor (两步验证): enrolment with a real TOTP code, the code after signing in,
recovery codes used once, throttled wrong codes, who must enrol, and what it leaves alone."""

import re
from base64 import b32decode
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import SignInEvent
from tests.factories import build_tree, make_document, make_item, make_member, make_user, wagtail_root

REQUIRED = override_settings(SUNSHINE_OTP_REQUIRED_FOR=["approvers", "superusers"])
ADMIN = "/admin/"
ENROL = "/admin/two-factor/enrol/"
VERIFY = "/admin/two-factor/verify/"
MANAGE = "/admin/two-factor/"


def code_of(device, ahead=0):
    """The code the user's phone shows now (``ahead`` steps later: a code not used yet, since a
    device refuses a code of a time step it already accepted)."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + ahead):06d}"


def log_of(user):
    """The user's rows in the sign-in log (登录日志), oldest first."""
    return list(SignInEvent.objects.filter(user=user).order_by("time", "pk").values_list("kind", flat=True))


def enrol(user):
    """A confirmed TOTP device and recovery codes, as the enrolment page leaves them."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return device, two_factor.new_recovery_codes(user)


@REQUIRED
class TwoFactorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.t = build_tree()
        township = cls.t.township
        cls.officer = make_user("officer", township.officers_group)
        cls.approver = make_user("approver", township.leading_group)
        cls.superuser = make_user("root", is_superuser=True)
        cls.member = make_member(township, "member")
        cls.item = make_item(township, "城关镇党委关于公开承诺事项的公示")

    def sign_in(self, user):
        """The admin's sign-in form, as a person fills it."""
        response = self.client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": "pw-" + user.username})
        self.assertEqual(response.status_code, 302)
        return response

    # -- enrolment ------------------------------------------------------------------------------

    def test_an_approver_is_sent_to_enrolment_scans_confirms_and_sees_ten_recovery_codes(self):
        self.sign_in(self.approver)
        for url in (ADMIN, reverse("wagtailadmin_explore_root"), reverse("wagtailadmin_account")):
            self.assertRedirects(self.client.get(url), ENROL, fetch_redirect_response=False)

        page = self.client.get(ENROL)
        text = page.content.decode()
        self.assertContains(page, "须先启用两步验证")
        self.assertIn("<svg", text)
        secret = re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', text).group(1)
        device = TOTPDevice.objects.get(user=self.approver, confirmed=False)
        # The secret typed into an app is the device's key: what the test's "phone" computes with.
        self.assertEqual(b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)), device.bin_key)
        self.assertEqual(self.client.get(ENROL).content.decode().count(secret), 1)  # a reload keeps the secret

        done = self.client.post(ENROL, {"code": code_of(device)})
        self.assertContains(done, "两步验证已启用")
        self.assertEqual(log_of(self.approver), ["signed_in", "otp_enrolled"])
        codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
        self.assertEqual(len(codes), 10)
        self.assertEqual(sorted(codes), sorted(StaticToken.objects.filter(device__user=self.approver).values_list("token", flat=True)))
        self.assertTrue(TOTPDevice.objects.get(pk=device.pk).confirmed)

        # This session is verified by the enrolment: the admin opens.
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        manage = self.client.get(MANAGE)
        self.assertContains(manage, "还有 10 个未使用的恢复码")
        for code in codes:
            self.assertNotContains(manage, code)

    def test_a_wrong_enrolment_code_is_refused_in_chinese_and_nothing_is_enabled(self):
        self.sign_in(self.officer)
        self.client.get(ENROL)
        response = self.client.post(ENROL, {"code": "000000"})
        self.assertContains(response, "验证码不正确，请重新输入。")
        self.assertFalse(TOTPDevice.objects.filter(user=self.officer, confirmed=True).exists())
        self.assertContains(self.client.post(ENROL, {"code": "abc"}), "请输入身份验证器显示的6位数字。")

    def test_the_account_page_has_the_two_factor_panel(self):
        self.sign_in(self.officer)
        page = self.client.get(reverse("wagtailadmin_account"))
        self.assertContains(page, "两步验证")
        self.assertContains(page, f'href="{ENROL}"')
        enrol(self.officer)
        self.client.force_login(self.officer)  # a new session, to be verified below
        self.client.post(VERIFY, {"code": code_of(TOTPDevice.objects.get(user=self.officer))})
        page = self.client.get(reverse("wagtailadmin_account"))
        self.assertContains(page, "已启用，还有 10 个未使用的恢复码")
        self.assertContains(page, f'href="{MANAGE}"')

    # -- signing in -----------------------------------------------------------------------------

    def test_signing_in_asks_for_the_code_before_any_admin_page(self):
        device, _codes = enrol(self.officer)
        self.assertRedirects(self.sign_in(self.officer), ADMIN, fetch_redirect_response=False)
        pages = reverse("wagtailadmin_explore", args=(self.t.township.pk,))
        for url in (ADMIN, pages, MANAGE, ENROL):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(VERIFY + "?next="), response["Location"])
        page = self.client.get(VERIFY, {"next": pages})
        self.assertContains(page, "<h1>两步验证</h1>", html=False)

        response = self.client.post(VERIFY, {"code": code_of(device, ahead=1), "next": pages})
        self.assertRedirects(response, pages, fetch_redirect_response=False)
        self.assertEqual(self.client.get(pages).status_code, 200)

    def test_a_wrong_code_shows_an_error_and_the_device_throttles_the_next_one(self):
        device, _codes = enrol(self.officer)
        self.sign_in(self.officer)
        wrong = self.client.post(VERIFY, {"code": "123456" if code_of(device) != "123456" else "654321"})
        self.assertContains(wrong, "验证码或恢复码不正确，请重新输入")
        # Straight after a wrong code even the right one waits (django-otp's throttle, doubling).
        throttled = self.client.post(VERIFY, {"code": code_of(device)})
        self.assertContains(throttled, "错误次数过多，请在")
        self.assertEqual(self.client.get(ADMIN).status_code, 302)
        # Once the wait is over, the right code opens the admin.
        device.refresh_from_db()
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(seconds=5))
        self.assertRedirects(self.client.post(VERIFY, {"code": code_of(device)}), ADMIN, fetch_redirect_response=False)
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        # The sign-in log has the password, both refusals and the code that let them in, in order.
        self.assertEqual(log_of(self.officer), ["signed_in", "otp_failed", "otp_failed", "otp_passed"])

    def test_a_recovery_code_works_once(self):
        _device, codes = enrol(self.approver)
        self.sign_in(self.approver)
        typed = f"{codes[0][:4].upper()}-{codes[0][4:].upper()}"  # as printed, however typed
        self.assertRedirects(self.client.post(VERIFY, {"code": typed}), ADMIN, fetch_redirect_response=False)
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        self.assertContains(self.client.get(MANAGE), "还有 9 个未使用的恢复码")

        self.client.post(reverse("wagtailadmin_logout"))
        self.sign_in(self.approver)
        refused = self.client.post(VERIFY, {"code": codes[0]})
        self.assertContains(refused, "恢复码每个只能使用一次")
        self.assertEqual(self.client.get(ADMIN).status_code, 302)

    def test_next_never_leads_off_the_site(self):
        device, _codes = enrol(self.officer)
        self.sign_in(self.officer)
        response = self.client.post(VERIFY, {"code": code_of(device), "next": "https://evil.example/admin/"})
        self.assertRedirects(response, ADMIN, fetch_redirect_response=False)

    # -- recovery codes and removal -------------------------------------------------------------

    def test_regenerating_recovery_codes_asks_a_code_and_voids_the_old_ones(self):
        device, old = enrol(self.officer)
        self.client.force_login(self.officer)
        self.client.post(VERIFY, {"code": code_of(device)})
        url = reverse("two_factor:recovery_codes")
        self.assertContains(self.client.post(url, {"regenerate-code": "000000" if code_of(device) != "000000" else "111111"}), "验证码或恢复码不正确")
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
        response = self.client.post(url, {"regenerate-code": code_of(device, ahead=1)})
        new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
        self.assertEqual(len(new), 10)
        self.assertFalse(set(new) & set(old))
        self.assertFalse(StaticToken.objects.filter(token__in=old).exists())

    def test_removing_the_device_asks_a_code_and_a_required_user_must_enrol_again(self):
        device, codes = enrol(self.superuser)
        self.sign_in(self.superuser)
        self.client.post(VERIFY, {"code": codes[0]})
        url = reverse("two_factor:remove")
        self.assertContains(self.client.post(url, {"remove-code": ""}), "该字段是必填项")
        self.assertTrue(TOTPDevice.objects.filter(user=self.superuser).exists())
        response = self.client.post(url, {"remove-code": codes[1]})
        self.assertRedirects(response, ENROL, fetch_redirect_response=False)
        self.assertEqual(log_of(self.superuser)[-1], "otp_removed")
        self.assertFalse(TOTPDevice.objects.filter(user=self.superuser).exists())
        self.assertFalse(StaticToken.objects.filter(device__user=self.superuser).exists())
        self.assertRedirects(self.client.get(ADMIN), ENROL, fetch_redirect_response=False)

    # -- who must enrol -------------------------------------------------------------------------

    def test_a_superuser_without_a_device_is_sent_to_enrolment(self):
        self.sign_in(self.superuser)
        self.assertRedirects(self.client.get(ADMIN), ENROL, fetch_redirect_response=False)
        self.assertContains(self.client.get(ENROL), "须先启用两步验证")

    def test_an_officer_is_not_forced_but_may_enrol(self):
        self.sign_in(self.officer)
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        page = self.client.get(ENROL)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "须先启用两步验证")

    @override_settings(SUNSHINE_OTP_REQUIRED_FOR=[])
    def test_switched_off_no_one_is_forced_but_enrolled_users_still_give_their_code(self):
        self.sign_in(self.approver)
        self.assertEqual(self.client.get(ADMIN).status_code, 200)
        enrol(self.superuser)
        self.sign_in(self.superuser)
        self.assertTrue(self.client.get(ADMIN)["Location"].startswith(VERIFY))

    @override_settings(SUNSHINE_OTP_REQUIRED_FOR=["admins"])
    def test_admins_requires_every_admin_user(self):
        self.sign_in(self.officer)
        self.assertRedirects(self.client.get(ADMIN), ENROL, fetch_redirect_response=False)

    def test_approvers_are_the_leading_groups_members(self):
        self.assertTrue(two_factor.is_approver(self.approver))
        self.assertFalse(two_factor.is_approver(self.officer))
        self.assertFalse(two_factor.is_approver(self.member))

    @override_settings(SUNSHINE_OTP_REQUIRED_FOR=["approver"])
    def test_a_misspelt_role_fails_the_system_check(self):
        errors = two_factor.check_required_for(None)
        self.assertEqual([error.id for error in errors], ["accounts.E001"])
        self.assertIn("SUNSHINE_OTP_REQUIRED_FOR", errors[0].msg)

    # -- what it leaves alone -------------------------------------------------------------------

    def test_people_who_may_not_use_the_admin_cannot_reach_the_pages(self):
        urls = [MANAGE, ENROL, VERIFY, reverse("two_factor:recovery_codes"), reverse("two_factor:remove")]
        for url in urls:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("wagtailadmin_login")), url)
        self.client.force_login(self.member)
        for url in urls:
            self.assertIn(self.client.get(url).status_code, (302, 403), url)
            self.assertIn(self.client.post(url, {"code": "123456"}).status_code, (302, 403), url)
        self.assertFalse(TOTPDevice.objects.filter(user=self.member).exists())

    def test_outside_the_admin_a_password_alone_opens_nothing_more_than_for_anonymous(self):
        document = make_document("城关镇党委草稿附件", "draft-attachment.txt", b"DRAFT-ATTACHMENT-BYTES", unit=self.t.township)
        url = reverse("wagtaildocs_serve", args=(document.pk, document.filename))
        device, _codes = enrol(self.officer)
        self.sign_in(self.officer)
        # A draft's attachment: the unit's officers may open it, anyone else finds nothing.
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.post(VERIFY, {"code": code_of(device)})
        self.assertEqual(b"".join(self.client.get(url).streaming_content), b"DRAFT-ATTACHMENT-BYTES")

    def test_the_portal_the_members_sign_in_and_the_api_are_unaffected(self):
        enrol(self.officer)
        self.sign_in(self.officer)  # password only, not verified
        self.assertEqual(self.client.get(self.item.url).status_code, 200)
        self.assertEqual(self.client.get("/api/v2/disclosures/").status_code, 200)

        self.client.logout()
        enrol(self.member)  # even a device (made by hand) does not concern the portal
        response = self.client.post(reverse("portal_login"), {"username": "member", "password": "pw-member"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get(self.item.url).status_code, 200)
        self.assertEqual(self.client.get("/api/v2/disclosures/").status_code, 200)

    # -- the operator's reset -------------------------------------------------------------------

    def test_reset_two_factor_removes_a_lost_device(self):
        enrol(self.approver)
        out = StringIO()
        call_command("reset_two_factor", "approver", stdout=out)
        self.assertIn("Removed 2 second-factor device(s) of approver", out.getvalue())
        self.assertIn("must enrol again", out.getvalue())
        self.assertFalse(TOTPDevice.objects.filter(user=self.approver).exists())
        reset = SignInEvent.objects.get(user=self.approver)
        self.assertEqual((reset.kind, reset.user_agent), ("otp_removed", "manage.py reset_two_factor"))
        self.sign_in(self.approver)
        self.assertRedirects(self.client.get(ADMIN), ENROL, fetch_redirect_response=False)

        out = StringIO()
        call_command("reset_two_factor", "approver", stdout=out)
        self.assertIn("nothing removed", out.getvalue())
        with self.assertRaisesMessage(CommandError, "No user named 'nobody'"):
            call_command("reset_two_factor", "nobody")


def test_production_requires_approvers_and_superusers_and_refuses_a_misspelt_role():
    from tests.cms.test_settings import load_production

    shown = "import django; django.setup(); from accounts.conf import app_settings; print(app_settings.SUNSHINE_OTP_REQUIRED_FOR)"
    result = load_production(shown)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['approvers', 'superusers']"
    assert load_production(shown, OTP_REQUIRED_FOR="").stdout.strip() == "[]"
    refused = load_production(shown, OTP_REQUIRED_FOR="approver,superusers")
    assert refused.returncode != 0
    assert "OTP_REQUIRED_FOR must list some of approvers, superusers, admins" in refused.stderr
