"""Issue 14, the crawl: the Wagtail admin walked as a superuser, the county reviewer (县委领导小组),
a township approver and officer, and a village officer (``admin.py``). The walk runs once for
the class; each test asserts one property; ``test-artifacts/crawl-admin-report.txt`` lists the
URLs per role and the findings. The axe checks of admin screens are in
``test_crawl_accessibility.py``."""

import os
import time

import pytest
from django.test import TestCase, override_settings

from .admin import admin_crawl
from .county import ADMIN_ROLES, build_crawl_county
from .crawler import CRAWL_BASE, Result, walk_routes
from .report import summary, write_report

PROJECT_APPS = ("disclosure_pages", "api", "search", "script_variants", "workflows", "importer", "chinese", "accounts", "alerts")

# CRAWL_ROLES=superuser,village_officer walks only those (while debugging); the default is all.
ROLES = [role for role in os.environ.get("CRAWL_ROLES", ",".join(ADMIN_ROLES)).split(",") if role in ADMIN_ROLES]

# Admin routes of the project that no role's walk requests, and why.
NOT_WALKED = {
    "workflows_outcome": "the answer to a review action just taken (a task state's outcome): reached only by POSTing an action",
    # The second factor's pages of a user who has a device (the crawl's users have none; the
    # matrix requests them as every principal, tests/accounts/test_two_factor.py walks them).
    "two_factor:manage": "linked from the account page only once a device is enrolled",
    "two_factor:verify": "shown after the password only to a user with a device",
    "two_factor:recovery_codes": "POST only (asks a current code); its GET redirects to two_factor:manage",
    "two_factor:remove": "POST only (asks a current code); its GET redirects to two_factor:manage",
}


def project_admin_routes():
    """Names of the admin routes the project adds: its own views, and the snippet views of its models."""
    return {
        name for name, prefix, module in walk_routes()
        if prefix.startswith("admin/") and (module.split(".")[0] in PROJECT_APPS or "disclosure_pages" in name)
    }


# The walk's findings (status codes, links, addresses) come from the routes and templates, which both
# engines share; the views' queries run on PostgreSQL through each app's own tests.
pytestmark = pytest.mark.engine_neutral


@override_settings(
    DEBUG=False, PUBLIC_BASE_URL=CRAWL_BASE, WAGTAILADMIN_BASE_URL=CRAWL_BASE,
    SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="",
)
class AdminCrawlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        started = time.monotonic()
        cls.c = build_crawl_county()
        cls.seed_seconds = time.monotonic() - started
        cls.result = Result()
        cls.menus = {}
        cls.previews = {}
        for role in ROLES:
            crawl = admin_crawl(cls.c, role)
            cls.menus[role] = crawl.menu
            cls.previews[role] = crawl.preview
            cls.result.extend(crawl.result)
        menus = [f"menu entries of {role}: {len(menu)}" for role, menu in cls.menus.items()]
        cls.report = write_report("admin", cls.result, extra=[f"county seeded in {cls.seed_seconds:.1f} s", *menus])

    def test_no_5xx(self):
        self.assertEqual(self.result.of("5xx"), [], summary(self.result.of("5xx")))

    def test_absolute_urls_use_the_public_base(self):
        found = self.result.of("absolute-url")
        self.assertEqual(found, [], summary(found))

    def test_every_menu_entry_opens_for_every_role(self):
        answered = {(visit.role, visit.url): visit.status for visit in self.result.visits}
        problems = []
        for role, menu in self.menus.items():
            self.assertTrue(menu, f"{role} has no admin menu")
            for url in menu:
                status = answered.get((role, url))
                if status is None or status >= 400:
                    problems.append(f"{role} {url}: {status}")
        self.assertEqual(problems, [], problems)

    def test_every_admin_view_of_the_project_is_walked(self):
        visited = {visit.key[1] for visit in self.result.visits if visit.status < 500}
        missing = sorted(name for name in project_admin_routes() if name not in visited and name not in NOT_WALKED)
        self.assertEqual(missing, [], f"admin views of the project never requested: {missing}")

    def test_each_role_walks_its_objects(self):
        """Every role opened an item's editor, its history and the choosers; the reports exported."""
        for role in ROLES:
            names = {visit.key[1] for visit in self.result.visits if visit.role == role and visit.status == 200}
            for name in ("wagtailadmin_home", "wagtailadmin_pages:edit", "wagtailadmin_pages:history", "wagtailadmin_choose_page",
                         "wagtaildocs_chooser:choose", "wagtailimages_chooser:choose"):
                self.assertIn(name, names, role)
            if self.previews[role] is None:
                continue  # no item the role may edit (the county reviewer, in the demo: it reviews)
            posted, status, template = self.previews[role]
            self.assertIn('"is_valid": true', posted, f"{role}: the preview refused the editor's own form")
            self.assertEqual((status, template), (200, ["disclosure_pages/disclosure_item_page.html"]), role)
        self.assertGreaterEqual(sum(1 for preview in self.previews.values() if preview), min(3, len(ROLES)), self.previews.keys())
        exports = {visit.content_type for visit in self.result.visits if "export=" in visit.url and visit.status == 200}
        self.assertIn("text/csv", exports)
        self.assertTrue(any("spreadsheet" in kind for kind in exports), exports)
