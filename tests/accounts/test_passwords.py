"""The password policy, as the admin's create-user and password-change forms show it."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, TestCase, override_settings

from tests.factories import make_user, wagtail_root

TOO_COMMON = "密码过于常见"
CLASSES = "密码须包含小写字母、大写字母、数字、符号中的至少三类。"


def errors(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


class PolicyTests(SimpleTestCase):
    def test_county_defaults_and_pinyin_words_with_digits_are_refused(self):
        for password in (
            "dangwu123", "Dangwu@123", "DangWu@2024", "Dangjian#2024", "Zuzhi2024!", "Gongkai@888",
            "Sunshine2024!", "Admin@123456", "Dangwudangwu1!", "Qwerty@12345", "Password@123", "Yangguang_2024",
        ):
            with self.subTest(password):
                self.assertIn(TOO_COMMON, errors(password))

    def test_short_and_one_class_passwords_are_refused_in_chinese(self):
        self.assertIn("密码太短，至少需要 10 个字符。", errors("Xq7#kL2"))
        self.assertIn(CLASSES, errors("xqkvbmlwtrzs"))
        self.assertIn(CLASSES, errors("xqkvbm1234lw"))
        # Only digits and symbols: no word at all to judge, refused as too common too.
        self.assertIn(TOO_COMMON, errors("123456!@#$%^"))

    def test_a_good_password_passes(self):
        for password in ("Qing-xi_Hu7!", "tRain7harbor#", "Lv3Cha-Shan-Fen"):
            with self.subTest(password):
                self.assertEqual(errors(password), "")

    @override_settings(SUNSHINE_PASSWORD_MIN_LENGTH=14)
    def test_the_length_is_a_setting(self):
        self.assertIn("至少需要 14 个字符", errors("Qing-xi_Hu7!"))


class AdminFormsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.admin = get_user_model().objects.create_superuser("county-admin", "admin@example.gov.cn", "Qing-xi_Hu7!")

    def form_errors(self, response):
        return " ".join(re.findall(r'class="error-message">\s*([^<]+)<', response.content.decode())) or response.content.decode()

    def test_creating_a_user_with_a_county_default_password_shows_the_error(self):
        self.client.force_login(self.admin)
        data = {
            "username": "cgz-officer", "email": "officer@example.gov.cn", "first_name": "晓", "last_name": "王",
            "password1": "Dangwu@123", "password2": "Dangwu@123", "is_superuser": "", "groups": [],
        }
        response = self.client.post("/admin/users/new/", data)
        self.assertEqual(response.status_code, 200)
        self.assertIn(TOO_COMMON, response.content.decode())
        self.assertFalse(get_user_model().objects.filter(username="cgz-officer").exists())
        data.update(password1="tRain7harbor#", password2="tRain7harbor#")
        response = self.client.post("/admin/users/new/", data)
        self.assertEqual(response.status_code, 302, self.form_errors(response)[:3000])
        self.assertTrue(get_user_model().objects.get(username="cgz-officer").check_password("tRain7harbor#"))

    def test_changing_ones_own_password_is_checked_too(self):
        officer = make_user("cgz-officer")
        officer.user_permissions.add(Permission.objects.get(codename="access_admin"))
        self.client.force_login(officer)
        response = self.client.post(
            "/admin/account/",
            {"password-old_password": "pw-cgz-officer", "password-new_password1": "dangwu123", "password-new_password2": "dangwu123"},
        )
        self.assertIn(TOO_COMMON, response.content.decode())
        officer.refresh_from_db()
        self.assertTrue(officer.check_password("pw-cgz-officer"))
