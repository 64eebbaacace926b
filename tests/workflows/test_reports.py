"""审核记录: the review transitions, filtered by unit, tier, person and period, exported as CSV and XLSX."""

import csv
import io

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from .helpers import approve, reject, submit_new_item
from .test_models import ReviewTestCase


class ReviewAuditReportTests(ReviewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        client = Client()
        client.force_login(cls.p["officer"])
        cls.general = submit_new_item(client, cls.t.township, title="城关镇一般事项")
        cls.important = submit_new_item(client, cls.t.township, title="城关镇重要事项", importance="important")
        client.force_login(cls.p["approver"])
        approve(client, cls.general, comment="同意公开")
        approve(client, cls.important)
        client.force_login(cls.p["reviewer"])
        reject(client, cls.important, comment="请补充会议决定的文号")
        client.force_login(cls.p["officer2"])
        cls.other = submit_new_item(client, cls.t.township2, title="石桥镇事项")

    def report(self, **params):
        return self.client.get(reverse("workflows_review_audit"), params)

    def test_the_report_lists_every_transition_with_its_reason(self):
        self.login("admin")
        response = self.report()
        for text in ("城关镇一般事项", "提交审核", "审核通过", "无需县级审核（自动跳过）", "发布", "退回修改", "请补充会议决定的文号", "石桥镇事项"):
            self.assertContains(response, text)

    def test_filters_by_unit_tier_user_and_period(self):
        self.login("admin")
        response = self.report(unit=self.t.township2.pk)
        self.assertContains(response, "石桥镇事项")
        self.assertNotContains(response, "城关镇一般事项")
        response = self.report(tier="county")
        self.assertContains(response, "请补充会议决定的文号")
        self.assertNotContains(response, "同意公开")
        response = self.report(user=self.p["approver"].pk)
        self.assertContains(response, "同意公开")
        self.assertNotContains(response, "请补充会议决定的文号")
        yesterday = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
        self.assertNotContains(self.report(timestamp_from="2000-01-01", timestamp_to=yesterday), "城关镇一般事项")

    def test_export_csv_and_xlsx(self):
        self.login("admin")
        response = self.report(export="csv", tier="county")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0], ["时间", "事项", "单位", "审核环节", "动作", "操作人", "意见或理由"])
        self.assertIn(["城关镇重要事项", "城关镇党委", "县级审核", "退回修改", "赵明远", "请补充会议决定的文号"], [row[1:] for row in rows])
        workbook = load_workbook(io.BytesIO(b"".join(self.report(export="xlsx").streaming_content)))
        values = [[cell.value for cell in row] for row in workbook.active.iter_rows()]
        self.assertEqual(values[0][:2], ["时间", "事项"])
        self.assertTrue(any(row[4] == "无需县级审核（自动跳过）" for row in values[1:]))

    def test_a_township_sees_only_its_own_units_record(self):
        self.login("officer2")
        response = self.report()
        self.assertContains(response, "石桥镇事项")
        self.assertNotContains(response, "城关镇一般事项")
