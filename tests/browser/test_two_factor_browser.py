"""The admin's second factor in a real browser: an approver is asked to enrol, scans (the test
reads the secret from the page, as a phone reads the QR code), confirms with a code, sees the
recovery codes, signs out, and signs in again with a code."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.factories import build_tree, make_user, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_for(secret, ahead=0):
    """What an authenticator app shows for ``secret`` (``ahead`` time steps later)."""
    key = secret.replace(" ", "")
    return f"{totp(b32decode(key + '=' * (-len(key) % 8)), drift=ahead):06d}"


def sign_out(page):
    """Through the sidebar's account menu, as a person does."""
    page.locator(".sidebar-footer__account").click()
    page.locator(".sidebar-footer").get_by_role("button", name=re.compile("注销|退出|Log out")).click()
    page.wait_for_url(re.compile(r"/admin/login/"))


def test_an_approver_enrols_and_signs_in_again_with_a_code(live_server, page, settings):
    settings.SUNSHINE_OTP_REQUIRED_FOR = ["approvers", "superusers"]
    township = reload(build_tree().township)
    make_user("approver", township.leading_group, first_name="杨建华")

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "approver")
    page.fill("#id_password", "pw-approver")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/two-factor/enrol/$"))
    expect(page.get_by_role("alert")).to_contain_text("须先启用两步验证")
    expect(page.locator(".two-factor-qr svg")).to_be_visible()

    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label("验证码").fill(code_for(secret))
    page.get_by_role("button", name="确认启用").click()
    expect(page.locator("main")).to_contain_text("两步验证已启用")
    codes = page.locator("#two-factor-recovery-codes li")
    expect(codes).to_have_count(10)

    page.get_by_role("link", name="我已保存恢复码，进入管理后台").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    sign_out(page)

    page.fill("#id_username", "approver")
    page.fill("#id_password", "pw-approver")
    page.get_by_role("button", name=re.compile("登录")).click()
    page.wait_for_url(re.compile(r"/admin/two-factor/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("两步验证")
    # The enrolment used this time step's code: the phone's next one.
    page.get_by_label("验证码").fill(code_for(secret, ahead=1))
    page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="网站摘要")).to_be_visible()
