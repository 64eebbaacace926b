"""The dashboard: 待我审核 for approvers (with how long items have waited) and 我的提交 for officers."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from .helpers import approve, current_state, reject
from .test_models import ReviewTestCase


def awaiting_panel(response):
    """The HTML of the 待我审核 panel ("" when it is not shown)."""
    html = response.content.decode()
    start = html.find('id="sunshine-awaiting-my-review-section"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


class DashboardTests(ReviewTestCase):
    def home(self, name):
        self.login(name)
        return self.client.get(reverse("wagtailadmin_home"))

    def test_approvers_see_what_waits_for_them_and_for_how_long(self):
        item = self.submit(title="城关镇2024年主题党日活动安排")
        home = self.home("approver")
        self.assertContains(home, "待我审核")
        self.assertContains(home, "城关镇2024年主题党日活动安排")
        self.assertContains(home, "本单位审核")
        self.assertContains(home, "今天")
        self.assertNotContains(home, 'id="awaiting-review"')  # Wagtail's own panel is replaced

        TaskState.objects.filter(pk=current_state(item).pk).update(started_at=timezone.now() - timedelta(days=5))
        self.assertIn("5 天", awaiting_panel(self.home("approver")))
        self.assertNotIn("城关镇2024年主题党日活动安排", awaiting_panel(self.home("reviewer")))
        self.assertNotIn("城关镇2024年主题党日活动安排", awaiting_panel(self.home("approver_b")))

    def test_the_county_sees_items_waiting_at_the_county_with_the_reason(self):
        item = self.submit(title="城关镇党委关于调整班子分工的决定", importance="important")
        self.login("approver")
        approve(self.client, item)
        home = self.home("reviewer")
        self.assertContains(home, "城关镇党委关于调整班子分工的决定")
        self.assertContains(home, "县级审核原因：重要事项")

    def test_officers_see_their_submissions_and_why_one_was_sent_back(self):
        item = self.submit(title="城关镇2024年发展党员工作计划")
        home = self.home("officer")
        self.assertContains(home, "我的提交")
        self.assertContains(home, "审核中：本单位审核")
        self.login("approver")
        reject(self.client, item, comment="请注明发展对象的培养时间")
        home = self.home("officer")
        self.assertContains(home, "退回修改")
        self.assertContains(home, "请注明发展对象的培养时间")
        self.assertNotContains(self.home("officer2"), "我的提交")
