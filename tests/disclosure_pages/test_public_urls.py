"""Every absolute URL the portal writes is at PUBLIC_BASE_URL (issue 14: "public links say
http://localhost/"): the printed notice's QR code, feeds, the sitemap, the API, alternates and
emails, whatever Host header the request came with; the default Site follows the setting."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from wagtail.models import Locale, Site

from disclosure_pages.public_urls import public_url, sync_default_site
from disclosure_pages.templatetags.portal_tags import qr_svg
from tests.factories import build_tree, make_item, reload

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://dangwu.example.gov.cn"
FORGED = "evil.example"
# Namespaces and specifications, not links of the portal.
NOT_OURS = ("http://www.w3.org/", "http://www.sitemaps.org/", "https://jsonfeed.org/", "http://purl.org/", "http://www.google.com/")
ABSOLUTE = re.compile(r"""https?://[^\s"'<>\\]+""")


def absolute_urls(text):
    return [url for url in ABSOLUTE.findall(text) if not url.startswith(NOT_OURS)]


@override_settings(PUBLIC_BASE_URL=BASE, WAGTAILADMIN_BASE_URL=BASE)
class PublicUrlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.entry = cls.t.entries["发展党员"]
        cls.item = make_item(cls.t.township, "城关镇发展党员公示", catalogue_entry=cls.entry)
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def get(self, url, **headers):
        response = self.client.get(url, HTTP_HOST=FORGED, **headers)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def assertAllAtBase(self, text, where, at_least=1):
        urls = absolute_urls(text)
        self.assertGreaterEqual(len(urls), at_least, where)
        wrong = [url for url in urls if not url.startswith(BASE + "/")]
        self.assertEqual(wrong, [], where)

    def test_the_printed_notice_qr_code_leads_to_the_public_address(self):
        html = self.get(self.item.url + "print/")
        expected = qr_svg(f"{BASE}{self.item.url}")
        self.assertIn(expected, html)
        self.assertNotIn(qr_svg(f"http://{FORGED}{self.item.url}"), html)
        self.assertNotIn(qr_svg(f"http://localhost{self.item.url}"), html)

    def test_feeds_link_to_the_public_address_whatever_the_host_header(self):
        portal, unit = reload(self.t.portal), reload(self.t.township)
        key = self.entry.translation_key
        for url in (portal.url + "feed/rss/", portal.url + "feed/atom/", unit.url + "feed/rss/", unit.url + "feed/atom/",
                    f"{portal.url}catalogue/{key}/feed/rss/", f"{portal.url}catalogue/{key}/feed/atom/"):
            xml = self.get(url)
            self.assertIn(f"{BASE}{self.item.url}", xml, url)
            self.assertNotIn(FORGED, xml, url)
            self.assertAllAtBase(xml, url, at_least=2)

    def test_the_sitemap_lists_public_addresses_whatever_the_host_header(self):
        xml = self.get("/sitemap.xml")
        self.assertIn(f"<loc>{BASE}{self.item.url}</loc>", xml)
        self.assertNotIn(FORGED, xml)
        self.assertAllAtBase(xml, "sitemap", at_least=5)

    def test_the_api_links_to_the_public_address(self):
        for url in ("/api/v2/disclosures/?locale=zh-hans", f"/api/v2/disclosures/{self.item.pk}/", "/api/v2/units/",
                    "/api/v2/catalogue/", "/api/v2/feeds/", f"/api/v2/feeds/?unit={self.t.township.pk}",
                    f"/api/v2/feeds/?entry={self.entry.pk}", "/api/v2/search/?q=" + "发展党员"):
            text = self.get(url)
            self.assertNotIn(FORGED, text, url)
            self.assertAllAtBase(text, url, at_least=0 if "catalogue" in url or "search" in url else 1)
        detail = self.client.get(f"/api/v2/disclosures/{self.item.pk}/", HTTP_HOST=FORGED).json()
        self.assertEqual(detail["html_url"], f"{BASE}{self.item.url}")

    def test_pages_declare_their_alternates_at_the_public_address(self):
        html = self.get(self.item.url)
        variant = reload(self.item).get_translation(self.hant)
        self.assertIn(f'hreflang="zh-hant" href="{BASE}{variant.url}"', html)
        self.assertIn(f'hreflang="zh-hans" href="{BASE}{self.item.url}"', html)
        self.assertNotIn(FORGED, html)

    def test_emails_link_to_the_configured_address(self):
        from tests.workflows.helpers import approve, people, submit_new_item

        p = people(self.t)
        self.client.force_login(p["officer"])
        item = submit_new_item(self.client, self.t.township, title="城关镇2024年党费收缴情况")
        self.client.force_login(p["approver"])
        approve(self.client, item)
        item = reload(item)
        self.assertTrue(item.live)
        bodies = "\n".join(message.body for message in mail.outbox)
        self.assertIn(f"{BASE}/admin/pages/{item.pk}/edit/", bodies)
        self.assertIn(f"{BASE}{item.url}", bodies)
        self.assertAllAtBase(bodies, "emails", at_least=3)

    def test_public_url_of_pages_paths_and_foreign_origins(self):
        self.assertEqual(public_url(self.item), f"{BASE}{self.item.url}")
        self.assertEqual(public_url("/zh-hans/search/?q=1"), f"{BASE}/zh-hans/search/?q=1")
        self.assertEqual(public_url("http://localhost:8000/x/?a=1#b"), f"{BASE}/x/?a=1#b")
        self.assertIsNone(public_url(None))


class DefaultSiteTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()

    @override_settings(PUBLIC_BASE_URL="http://127.0.0.1:8101")
    def test_the_default_site_follows_the_setting(self):
        self.assertTrue(sync_default_site())
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port, site.root_url), ("127.0.0.1", 8101, "http://127.0.0.1:8101"))
        self.assertEqual(reload(self.t.township).full_url, f"http://127.0.0.1:8101{self.t.township.url}")
        self.assertFalse(sync_default_site())

    @override_settings(PUBLIC_BASE_URL=BASE)
    def test_the_management_command_and_migrate_sync_it(self):
        out = StringIO()
        call_command("sync_public_site", stdout=out)
        site = Site.objects.get(is_default_site=True)
        self.assertEqual((site.hostname, site.port), ("dangwu.example.gov.cn", 443))
        self.assertIn(BASE, out.getvalue())
        with override_settings(PUBLIC_BASE_URL="http://127.0.0.1:8102"):
            from disclosure_pages.apps import _sync_public_site

            _sync_public_site()  # what post_migrate runs
        self.assertEqual(Site.objects.get(is_default_site=True).port, 8102)


def settings_value(module, name, **env):
    environment = {key: value for key, value in os.environ.items() if key not in ("PUBLIC_BASE_URL", "WAGTAILADMIN_BASE_URL")}
    environment.update(env, DJANGO_SETTINGS_MODULE=module)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings; print(settings.{name})"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60,
    )
    return result.returncode, result.stdout.strip(), result.stderr


def test_admin_links_default_to_the_public_address():
    assert settings_value("cms.settings.dev", "WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL="http://127.0.0.1:8101/")[1] == "http://127.0.0.1:8101"
    assert settings_value("cms.settings.dev", "PUBLIC_BASE_URL")[1] == "http://127.0.0.1:8000"


def test_a_public_base_url_with_a_path_is_refused():
    code, _out, err = settings_value("cms.settings.dev", "PUBLIC_BASE_URL", PUBLIC_BASE_URL="https://x.example/dangwu")
    assert code != 0 and "ImproperlyConfigured" in err and "PUBLIC_BASE_URL" in err


def test_make_run_sets_the_public_address_from_host_and_port():
    def make_value(*args):
        result = subprocess.run(
            ["make", "-s", "--no-print-directory", "--eval", "show-public-url: ; @echo $$PUBLIC_BASE_URL", "show-public-url", *args],
            cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "PUBLIC_BASE_URL"}, capture_output=True, text=True, timeout=60,
        )
        return result.stdout.strip()

    assert make_value("PORT=8101") == "http://127.0.0.1:8101"
    assert make_value("HOST=192.168.1.5", "PORT=8080") == "http://192.168.1.5:8080"
