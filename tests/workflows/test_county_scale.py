"""Province scale (issue 19): the county's dashboard panels and boards read their per-unit figures
in a fixed number of queries, however many units the county has.

Each page is asked as each kind of user in the small county, then again after the county has
grown to four times its units (townships with villages, the officer's township among them), the
items and people unchanged: the number of queries must not move, and the figures must still be
the right ones (the units with an empty leading group, the overdue approval).
"""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage
from tests.factories import build_tree, make_unit, reload
from workflows.models import CountyReviewTask

from .helpers import approve, current_state, people, submit_new_item

ROLES = ("reviewer", "admin", "officer", "approver")


@override_settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=True)
class CountyScaleTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)

    def grow(self, townships=3, villages=4, own_villages=3):
        """Four times the units of the small county (6): townships with villages, and more villages
        under the officer's own township (he manages them)."""
        county, catalogue = reload(self.t.county), self.t.catalogue
        for number in range(own_villages):
            make_unit(reload(self.t.township), f"城关镇新村{number}党支部", f"QX-CGZ-X{number}", UnitType.VILLAGE, "", catalogue)
        for number in range(townships):
            township = make_unit(county, f"中共新区{number}镇委员会", f"QX-XQ{number}", UnitType.TOWNSHIP, f"新区{number}镇党委", catalogue)
            for village in range(villages):
                make_unit(township, f"新区{number}镇{village}村党支部", f"QX-XQ{number}-{village}", UnitType.VILLAGE, "", catalogue)
        return UnitPage.objects.count()

    def queries(self, name, url):
        """(number of queries, response) of ``url`` as ``name``, asked a second time (the first fills
        the caches a request warms once, as any earlier request would have)."""
        cache.clear()
        self.client.force_login(self.p[name])
        self.client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200, f"{name} {url}")
        return len(captured), response

    def counts(self, urls):
        return {(name, url): self.queries(name, url)[0] for name in ROLES for url in urls}


class DashboardScaleTests(CountyScaleTestCase):
    def test_the_dashboard_reads_the_same_number_of_queries_for_four_times_the_units(self):
        self.client.force_login(self.p["officer"])
        late = submit_new_item(self.client, self.t.township, title="城关镇迟迟未审的事项")
        TaskState.objects.filter(pk=current_state(late).pk).update(started_at=timezone.now() - datetime.timedelta(days=5))
        important = submit_new_item(self.client, self.t.township, title="城关镇待县级审核的重要事项", importance="important")
        self.client.force_login(self.p["approver"])
        approve(self.client, important)
        self.assertIsInstance(current_state(important).task.specific, CountyReviewTask)
        home = reverse("wagtailadmin_home")

        small = self.counts([home])
        self.assertEqual(self.grow(), 6 * 4)
        large = self.counts([home])
        self.assertEqual(large, small)

        # The figures are still right at the larger size.
        for name in ("reviewer", "admin"):
            html = self.queries(name, home)[1].content.decode()
            panel = html[html.find('id="sunshine-county-overview-section"'):]
            panel = panel[: panel.find("</section>")]
            self.assertIn("县财政局", panel)  # its leading group has nobody
            self.assertIn("新区2镇3村党支部", panel)  # nor has a new village's
            self.assertIn("城关镇迟迟未审的事项", panel)
            self.assertIn("已等待 5 天", panel)
        html = self.queries("reviewer", home)[1].content.decode()
        self.assertIn("城关镇待县级审核的重要事项", html)  # 待我审核, at the county tier
        html = self.queries("approver", home)[1].content.decode()
        self.assertIn("城关镇迟迟未审的事项", html)  # 待我审核, at the unit tier
        self.assertNotIn("sunshine-county-overview-section", html)

    def test_the_overdue_approvals_of_a_township_read_the_same_number_of_queries(self):
        self.client.force_login(self.p["officer"])
        late = submit_new_item(self.client, self.t.township, title="城关镇迟迟未审的事项")
        TaskState.objects.filter(pk=current_state(late).pk).update(started_at=timezone.now() - datetime.timedelta(days=5))
        listing = reverse("workflows_county_overdue", args=["approvals", self.t.township.pk])

        small = {name: self.queries(name, listing)[0] for name in ("reviewer", "admin")}
        self.grow()
        large = {name: self.queries(name, listing)[0] for name in ("reviewer", "admin")}
        self.assertEqual(large, small)
        self.assertContains(self.queries("reviewer", listing)[1], "城关镇迟迟未审的事项")


class ReviewAuditScaleTests(CountyScaleTestCase):
    def test_the_review_record_reads_each_row_s_unit_in_one_query(self):
        self.client.force_login(self.p["officer"])
        submit_new_item(self.client, self.t.township, title="城关镇第1条事项")
        report = reverse("workflows_review_audit")
        one = self.queries("reviewer", report)[0]
        self.client.force_login(self.p["officer"])
        for number in range(2, 5):
            submit_new_item(self.client, self.t.township, title=f"城关镇第{number}条事项")
        self.grow()
        four, response = self.queries("reviewer", report)
        self.assertEqual(four, one)
        html = response.content.decode()
        self.assertIn("城关镇第4条事项", html)
        self.assertEqual(html.count("城关镇党委"), 4)
