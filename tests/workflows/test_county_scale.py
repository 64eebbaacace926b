"""Province scale (issue 19): the county's dashboard panels and boards read their per-unit figures
in a fixed number of queries, however many units the county has.

Each page is asked as each kind of user in the small county, then again after the county has
grown to four times its units (townships with villages, the officer's township among them), the
items and people unchanged: the number of queries must not move, and the figures must still be
the right ones (the units with an empty leading group, the overdue approval).
"""

import datetime
import re
from unittest.mock import patch

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
from workflows import overdue
from workflows.models import CountyReviewTask
from workflows.panels import AwaitingMyReviewPanel, CountyOverviewPanel
from workflows.views import AwaitingReviewView

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


class CountyPanelSizeTests(CountyScaleTestCase):
    """县级督办 shows the sections with most to do, each naming a few of its units: at 10,000 units
    a row per township and reading every unit took a second; the rest are a click away, paginated.
    (Two rows of one name each here, where the panel shows ten of five: the small county has few.)"""

    def panel(self, name):
        html = self.queries(name, reverse("wagtailadmin_home"))[1].content.decode()
        start = html.find('id="sunshine-county-overview-section"')
        return html[start : html.find("</section>", start)]

    def late_item(self):
        self.client.force_login(self.p["officer"])
        late = submit_new_item(self.client, self.t.township, title="城关镇迟迟未审的事项")
        TaskState.objects.filter(pk=current_state(late).pk).update(started_at=timezone.now() - datetime.timedelta(days=5))

    @patch.object(CountyOverviewPanel, "named", 1)
    @patch.object(CountyOverviewPanel, "shown", 1)
    def test_the_panel_shows_as_many_rows_and_names_for_four_times_the_units(self):
        self.late_item()
        small = {name: self.panel(name) for name in ("reviewer", "admin")}
        self.grow()
        large = {name: self.panel(name) for name in ("reviewer", "admin")}
        for name in small:
            self.assertEqual(small[name].count("<tr>"), 1 + 1, name)  # the heading and one section
            self.assertEqual(large[name].count("<tr>"), 1 + 1, name)
            self.assertEqual(large[name].count("w-text-critical-200"), small[name].count("w-text-critical-200"), name)
            self.assertLess(abs(len(large[name]) - len(small[name])), 10, name)  # the figures differ, nothing else
            # Most to do first: the township with the overdue approval, its units without approvers counted.
            self.assertEqual(re.findall(r'<td class="title">(.*?)</td>', large[name]), ["城关镇党委"])
            self.assertIn("等 5 个单位", large[name])  # its two villages and three new ones
            self.assertIn("共 5 个单位（含下级）有待处理事项", large[name])
            self.assertIn(reverse("workflows_county_overview"), large[name])

    @patch.object(overdue, "PAGE_SIZE", 2)
    def test_every_section_and_unit_is_a_click_away_in_pages_of_the_same_queries(self):
        self.late_item()
        everything = reverse("workflows_county_overview")
        units = reverse("workflows_county_overdue", args=["leading-groups", self.t.township.pk])
        small = {url: self.queries("reviewer", url)[0] for url in (everything, units)}
        self.grow()
        large = {url: self.queries("reviewer", url)[0] for url in (everything, units)}
        self.assertEqual(large, small)

        sections = [self.client.get(everything, {"p": page}).content.decode() for page in (1, 2, 3)]
        listed = [re.findall(r'<td class="title">(.*?)</td>', html) for html in sections]
        self.assertEqual(listed, [["城关镇党委", "新区0镇党委"], ["新区1镇党委", "新区2镇党委"], ["县财政局"]])
        self.assertIn("共 5 个单位（含下级）有待处理事项", sections[0])

        pages = [self.client.get(units, {"p": page}).content.decode() for page in (1, 2, 3)]
        listed = [re.findall(r'<td class="title">(.*?)</td>', html) for html in pages]
        self.assertEqual(
            listed, [["东关村党支部", "西关村党支部"], ["城关镇新村0党支部", "城关镇新村1党支部"], ["城关镇新村2党支部"]]
        )
        self.assertIn("领导小组无审核人的单位：城关镇党委（含下级单位）", pages[0])
        self.assertIn("请联系", pages[0])  # whom to ask for approvers
        self.client.force_login(self.p["admin"])
        self.assertIn(reverse("wagtailusers_groups:edit", args=[reload(self.t.village1).leading_group_id]),
                      self.client.get(units).content.decode())  # or the group itself, for who may change it


class AwaitingReviewSizeTests(CountyScaleTestCase):
    """待我审核 shows the items waiting longest, the rest a click away: the county tier of a province's
    county may have hundreds waiting. (One row here, where the panel shows twenty.)"""

    def rows(self, html):
        return re.findall(r'<td class="title">\s*<a href="[^"]*">(.*?)</a>', html)

    @patch.object(AwaitingReviewView, "paginate_by", 2)
    @patch.object(AwaitingMyReviewPanel, "shown", 1)
    def test_the_panel_shows_the_oldest_and_links_to_every_item_in_pages(self):
        titles = [f"城关镇待县级审核的重要事项{number}" for number in range(3)]
        for title in titles:
            self.client.force_login(self.p["officer"])
            item = submit_new_item(self.client, self.t.township, title=title, importance="important")
            self.client.force_login(self.p["approver"])
            approve(self.client, item)
        self.client.force_login(self.p["reviewer"])
        html = self.client.get(reverse("wagtailadmin_home")).content.decode()
        panel = html[html.find('id="sunshine-awaiting-my-review-section"'):]
        panel = panel[: panel.find("</section>")]
        self.assertEqual(self.rows(panel), titles[:1])  # the one waiting longest
        self.assertIn("共 3 条，以上为等待最久的 1 条。", panel)
        full = reverse("workflows_awaiting_review")
        self.assertIn(full, panel)
        pages = [self.client.get(full, {"p": page}).content.decode() for page in (1, 2)]
        self.assertEqual([self.rows(page) for page in pages], [titles[:2], titles[2:]])
        self.assertIn("共 3 条", pages[0])
        # Nobody sees another's queue: the unit's approver has nothing waiting at the county tier.
        self.client.force_login(self.p["approver"])
        self.assertContains(self.client.get(full), "没有等待您审核的事项。")


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
