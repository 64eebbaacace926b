"""A pre-disclosure item says whether its comment period is open or has ended (issue 14)."""

import datetime

from django.test import TestCase
from django.utils import timezone
from wagtail.models import Locale

from disclosure_pages.choices import Stage
from tests.factories import build_tree, d, make_item, reload


class CommentPeriodTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        today = timezone.localdate()
        cls.closed = make_item(
            cls.t.township, "城关镇农贸市场改造方案（征求意见稿）", stage=Stage.PRE_DISCLOSURE,
            publish_date=d("2025-01-10"), document_date=d("2025-01-09"), comment_deadline=d("2025-01-20"),
        )
        cls.open = make_item(
            cls.t.township, "城关镇老旧小区加装电梯方案（征求意见稿）", stage=Stage.PRE_DISCLOSURE,
            publish_date=today - datetime.timedelta(days=3), comment_deadline=today,
        )
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def html(self, page):
        return self.client.get(page.url).content.decode()

    def test_after_the_deadline_the_item_says_the_period_has_ended_with_its_dates(self):
        html = self.html(self.closed)
        self.assertNotIn("正在征求意见", html)
        self.assertIn("本事项的意见征集期（2025年1月10日至2025年1月20日）已结束，不再征求意见。", html)
        variant = reload(self.closed).get_translation(self.hant)
        html = self.html(variant)
        self.assertNotIn("正在徵求意見", html)
        self.assertIn("本事項的意見徵集期（2025年1月10日至2025年1月20日）已結束，不再徵求意見。", html)

    def test_the_printed_notice_after_the_deadline_says_so_too(self):
        html = self.client.get(self.closed.url + "print/").content.decode()
        self.assertNotIn("意见反馈截止", html)
        self.assertIn("意见征集已于2025年1月20日结束。", html)

    def test_until_the_deadline_day_is_over_it_is_still_taking_comments(self):
        today = timezone.localdate()
        deadline = f"{today.year}年{today.month}月{today.day}日"
        self.assertIn(f"本事项正在征求意见，截止日期：<strong>{deadline}</strong>", self.html(self.open))
        variant = reload(self.open).get_translation(self.hant)
        self.assertIn(f"本事項正在徵求意見，截止日期：<strong>{deadline}</strong>", self.html(variant))
