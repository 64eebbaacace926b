"""The county office's overview: overdue approvals and empty leading groups, per township (periodic
disclosures owed are supervision's 督办台)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from disclosure_pages.choices import UnitType
from tests.factories import make_unit, reload
from workflows.overview import CountyOverview

from .helpers import current_state
from .test_models import ReviewTestCase


class CountyOverviewTests(ReviewTestCase):
    def section(self, overview, unit):
        return overview.section(unit.pk)

    def test_overdue_approvals_are_counted_per_township(self):
        item = self.submit(title="城关镇迟迟未审的事项")
        TaskState.objects.filter(pk=current_state(item).pk).update(started_at=timezone.now() - datetime.timedelta(days=5))

        overview = CountyOverview(self.t.county)
        township, township2 = self.section(overview, self.t.township), self.section(overview, self.t.township2)
        self.assertEqual([a.title for a in township.overdue_approvals], ["城关镇迟迟未审的事项"])
        self.assertEqual(township.overdue_approvals[0].reason, "已等待 5 天")
        self.assertEqual(township2.overdue_approvals, [])

    def test_empty_leading_groups_are_shown_to_the_county_office(self):
        self.login("reviewer")
        response = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(response, "县级督办")
        self.assertContains(response, "县财政局")  # its leading group has nobody
        self.login("officer")
        self.assertNotContains(self.client.get(reverse("wagtailadmin_home")), "县级督办")

    def test_a_township_with_many_empty_leading_groups_names_five_and_counts_them_all(self):
        # A province's township has dozens of villages: the cell names a few and counts the rest.
        for number in range(7):
            make_unit(reload(self.t.township), f"城关镇新建{number}村党支部", f"QX-CGZ-N{number}", UnitType.VILLAGE)
        self.login("reviewer")
        html = self.client.get(reverse("wagtailadmin_home")).content.decode()
        start = html.find(f'<td class="title">{self.t.township.display_name}</td>')
        row = html[start : html.find("</tr>", start)]
        self.assertIn("城关镇新建0村党支部", row)
        self.assertNotIn("城关镇新建6村党支部", row)
        self.assertRegex(row, r"等 \d+ 个单位")
        self.assertEqual(row.count("村党支部<"), 5)


class CountyOverviewPanelTests(ReviewTestCase):
    """What the county office does with the panel (issue 14): open each count, know whom to ask."""

    def panel(self, response):
        html = response.content.decode()
        start = html.find('id="sunshine-county-overview-section"')
        return html[start : html.find("</section>", start)]

    def test_each_count_opens_the_items_behind_it(self):
        item = self.submit(title="城关镇迟迟未审的事项")
        TaskState.objects.filter(pk=current_state(item).pk).update(started_at=timezone.now() - datetime.timedelta(days=5))
        self.login("reviewer")
        panel = self.panel(self.client.get(reverse("wagtailadmin_home")))
        approvals = reverse("workflows_county_overdue", args=["approvals", self.t.township.pk])
        self.assertIn(f'href="{approvals}"', panel)
        self.assertNotIn("定期公开逾期", panel)

        listing = self.client.get(approvals)
        self.assertContains(listing, "城关镇迟迟未审的事项")
        self.assertContains(listing, "已等待 5 天")
        self.assertContains(listing, reverse("wagtailadmin_pages:edit", args=[item.pk]))
        # The periodic kind is gone: the 督办台 says it once.
        self.assertIn(self.client.get(reverse("workflows_county_overdue", args=["periodic", self.t.township.pk])).status_code, (302, 404))
        self.assertNotContains(self.client.get(reverse("workflows_county_overdue", args=["approvals", self.t.township2.pk])), "城关镇迟迟未审的事项")

        # Only for the county office: a township's people are refused, another unit's id names nothing.
        self.login("approver_b")
        refused = self.client.get(approvals)
        self.assertEqual(refused.status_code, 302)  # Wagtail's "no permission", back to the dashboard
        self.assertNotContains(self.client.get(refused.url), "城关镇迟迟未审的事项")
        self.login("reviewer")
        self.assertIn(self.client.get(reverse("workflows_county_overdue", args=["approvals", item.pk])).status_code, (302, 404))

    def test_the_units_without_approvers_are_for_the_county_office_alone(self):
        units = reverse("workflows_county_overdue", args=["leading-groups", self.t.township.pk])
        self.login("reviewer")
        self.assertContains(self.client.get(units), "领导小组无审核人的单位：城关镇党委（含下级单位）")
        # A township's officer and approver, of that township or another, are refused.
        for who in ("officer", "approver", "approver_b"):
            self.login(who)
            refused = self.client.get(units)
            self.assertEqual(refused.status_code, 302, who)
            self.assertNotContains(self.client.get(refused.url), "领导小组无审核人", msg_prefix=who)
        self.client.logout()
        self.assertRedirects(self.client.get(units), f"{reverse('wagtailadmin_login')}?next={units}")
        # Another kind or a unit that is not a section names nothing.
        self.login("reviewer")
        for kind, section in (("groups", self.t.township), ("leading-groups", self.t.village1)):
            answer = self.client.get(reverse("workflows_county_overdue", args=[kind, section.pk]), follow=True)
            self.assertIn(answer.status_code, (200, 404), kind)
            self.assertNotIn("领导小组无审核人的单位：", answer.content.decode(), kind)

    def test_the_reviewer_is_told_whom_to_ask_for_approvers_not_a_menu_he_cannot_open(self):
        self.login("reviewer")
        panel = self.panel(self.client.get(reverse("wagtailadmin_home")))
        self.assertNotIn("设置 → 用户组", panel)
        self.assertIn("请联系", panel)
        self.assertIn("admin@county.example", panel)  # the superuser, who can change groups
        self.assertEqual(self.client.get(reverse("wagtailusers_groups:index")).status_code, 302)  # he cannot

        self.login("admin")
        panel = self.panel(self.client.get(reverse("wagtailadmin_home")))
        self.assertIn(reverse("wagtailusers_groups:index"), panel)  # each empty group one click away
        self.assertNotIn("请联系", panel)
