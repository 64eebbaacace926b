"""Issue 14, the crawl: the portal in both scripts, as an anonymous reader and as a member.

From the portal roots (and the sitemap, a few searches, the API's entry points) every
same-site link is followed — pages of every type, their sub-routes (unit directory,
catalogue, catalogue entries, feed directory, feeds), print views, search facets and pages,
the API's links, documents and image files — at most ``CAP`` URLs of each kind (``public.py``).
The crawl runs once for the class; each test asserts one property of what it found, and
``test-artifacts/crawl-public-report.txt`` lists everything (URLs per role, findings).
The axe checks of the same pages are in ``test_crawl_accessibility.py`` (a browser).
"""

import time

import pytest
from django.apps import apps
from django.test import TestCase, override_settings
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from .county import PUBLIC_ROLES, build_crawl_county
from .crawler import CRAWL_BASE, Result, walk_routes
from .public import public_crawl
from .report import summary, write_report

CAP = 3
PROJECT_APPS = ("disclosure_pages", "api", "search", "script_variants", "workflows", "importer", "chinese")

# Public routes of the project that the crawl does not request, and why.
NOT_CRAWLED = {
    "api-preview": "needs a preview token issued in the admin: the admin crawl follows the token's URL",
}


def project_public_routes():
    """Names of the non-admin routes whose views are the project's (and the sitemap)."""
    return {
        name for name, prefix, module in walk_routes()
        if not prefix.startswith(("admin/", "documents/")) and (module.split(".")[0] in PROJECT_APPS or module.startswith("django.contrib.sitemaps"))
    }


# The walk's findings (status codes, links, addresses) come from the routes and templates, which both
# engines share; the views' queries run on PostgreSQL through each app's own tests.
pytestmark = pytest.mark.engine_neutral


@override_settings(
    DEBUG=False, PUBLIC_BASE_URL=CRAWL_BASE, WAGTAILADMIN_BASE_URL=CRAWL_BASE,
    SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="",
)
class PublicCrawlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        started = time.monotonic()
        cls.c = build_crawl_county()
        cls.seed_seconds = time.monotonic() - started
        cls.result = Result()
        cls.crawls = {}
        for role in PUBLIC_ROLES:
            crawl = public_crawl(cls.c, role, cap=CAP)
            cls.crawls[role] = crawl
            cls.result.extend(crawl.result)
        cls.report = write_report("public", cls.result, extra=[f"county seeded in {cls.seed_seconds:.1f} s"])

    def test_no_5xx(self):
        self.assertEqual(self.result.of("5xx"), [], summary(self.result.of("5xx")))

    def test_absolute_urls_use_the_public_base(self):
        """No localhost, testserver or port 8000: feeds, sitemap, the API's links, the QR code's target."""
        found = self.result.of("absolute-url")
        self.assertEqual(found, [], summary(found))

    def test_no_broken_links(self):
        found = self.result.of("broken-link")
        self.assertEqual(found, [], summary(found))

    def test_traditional_pages_have_no_known_bad_conversions(self):
        found = self.result.of("bad-conversion")
        self.assertEqual(found, [], summary(found))

    def test_every_page_type_and_sub_route_is_crawled_in_both_scripts(self):
        """Every page type (and every sub-route of the routable ones) answered 200 in each script."""
        answered = {
            (visit.key[1], visit.key[2], visit.key[3])
            for visit in self.result.visits
            if visit.key[0] == "page" and visit.status == 200
        }
        missing = []
        for model in apps.get_models():
            if not issubclass(model, Page) or model is Page or model._meta.app_label not in PROJECT_APPS:
                continue
            subs = [""]
            if issubclass(model, RoutablePageMixin):
                subs += sorted({pattern.callback.__name__ for pattern in model.get_subpage_urls()})
            for language in ("zh-hans", "zh-hant"):
                for sub in subs:
                    if sub in ("catalogue_by_id", "index_route"):
                        continue  # old links by id: redirects (seeded); index_route: the page itself
                    if (language, model.__name__, sub) not in answered:
                        missing.append(f"{language} {model.__name__} {sub or '(page)'}")
        self.assertEqual(missing, [], f"not crawled: {missing}")

    def test_every_public_route_of_the_project_is_crawled(self):
        visited = {visit.key[1] for visit in self.result.visits if visit.key[0] == "route" and visit.status < 500}
        missing = sorted(name for name in project_public_routes() if name not in visited and name not in NOT_CRAWLED)
        self.assertEqual(missing, [], f"public routes never requested: {missing}")

    def test_the_crawl_reaches_every_kind_of_answer(self):
        """A crawl that found nothing would pass everything: it saw HTML, feeds, the sitemap, JSON and files."""
        types = {visit.content_type for visit in self.result.visits if visit.status == 200}
        for expected in ("text/html", "application/json"):
            self.assertIn(expected, types)
        self.assertTrue(any("xml" in kind for kind in types), types)
        self.assertGreater(self.result.base_urls, 50, "absolute URLs at the public base: the check had something to check")
        per_role = self.result.per_role()
        for role in PUBLIC_ROLES:
            self.assertGreater(per_role[role], 100, per_role)
