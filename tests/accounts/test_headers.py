"""Content-Security-Policy and Permissions-Policy as the portal and the admin send them."""

import re

from django.contrib.auth import get_user_model
from django.test import TestCase

from tests.factories import build_tree, make_item, wagtail_root


def directives(response):
    return {
        name: values
        for name, _, values in (part.strip().partition(" ") for part in response["Content-Security-Policy"].split(";"))
    }


class SecurityHeadersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        wagtail_root()  # the locale and root pages, which a transactional test's flush removes
        cls.t = build_tree()
        cls.item = make_item(cls.t.township, "城关镇党委关于开展主题党日活动的公告")
        cls.admin = get_user_model().objects.create_superuser("county-admin", "admin@example.gov.cn", "x")

    def test_the_portal_allows_only_its_own_scripts_and_nonced_inline_ones(self):
        for url in ("/zh-hans/", self.item.url, "/zh-hans/search/?q=党日", "/zh-hans/account/login/"):
            with self.subTest(url):
                response = self.client.get(url)
                policy = directives(response)
                # The nonce is named only where a template used it (django-csp).
                self.assertRegex(policy["script-src"], r"^'self'( 'nonce-[A-Za-z0-9+/=]+')?$")
                self.assertEqual(policy["object-src"], "'none'")
                self.assertEqual(policy["frame-ancestors"], "'none'")
                self.assertEqual(policy["img-src"], "'self'")
                self.assertIn("camera=()", response["Permissions-Policy"])
                self.assertIn("geolocation=()", response["Permissions-Policy"])
                self.assertIn("microphone=()", response["Permissions-Policy"])

    def test_the_search_pages_inline_script_carries_the_nonce_of_its_response(self):
        response = self.client.get("/zh-hans/search/?q=党日")
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", response.content.decode())
        self.assertTrue(scripts)
        for attributes in scripts:
            self.assertIn(f'nonce="{nonce}"', attributes)
        # A new nonce for every response.
        self.assertNotIn(nonce, self.client.get("/zh-hans/search/?q=党日")["Content-Security-Policy"])

    def test_the_admin_gets_its_narrow_allowances(self):
        self.client.force_login(self.admin)
        response = self.client.get("/admin/")
        policy = directives(response)
        self.assertEqual(policy["script-src"], "'self' 'unsafe-inline'")
        self.assertEqual(policy["style-src"], "'self' 'unsafe-inline'")
        self.assertEqual(policy["img-src"], "'self' data: blob:")
        self.assertEqual(policy["frame-ancestors"], "'self'")
        self.assertEqual(policy["connect-src"], "'self'")
        self.assertEqual(policy["object-src"], "'none'")
        self.assertIn("camera=()", response["Permissions-Policy"])
