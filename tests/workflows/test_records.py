"""The public item page says who approved the live version and when (or nothing, if no review did)."""

from django.utils import timezone

from tests.factories import edit_and_publish, make_item, reload

from .helpers import approve
from .test_models import ReviewTestCase


class ApprovalRecordTests(ReviewTestCase):
    def page(self, item):
        self.client.logout()
        return self.client.get(reload(item).url)

    def test_a_general_item_shows_the_unit_approval_and_no_county_review(self):
        item = self.submit(title="城关镇2024年党费使用情况")
        self.login("approver")
        approve(self.client, item)
        today = timezone.localdate()
        response = self.page(item)
        self.assertContains(response, "审核记录")
        self.assertContains(response, f"城关镇党委领导小组（杨建华）于<time datetime=\"{today:%Y-%m-%d}\">{today.year}年{today.month}月{today.day}日</time>审核通过")
        self.assertContains(response, "县级审核：无需县级审核")

    def test_an_important_item_shows_both_tiers(self):
        item = self.submit(title="城关镇党委换届选举结果", importance="important")
        self.login("approver")
        approve(self.client, item)
        self.login("reviewer")
        approve(self.client, item)
        response = self.page(item)
        self.assertContains(response, "县级审核：青溪县委党务公开领导小组办公室于")
        self.assertNotContains(response, "无需县级审核")

    def test_nothing_is_claimed_for_a_version_published_outside_the_review(self):
        seeded = make_item(self.t.township, "导入的历史事项")
        self.assertNotContains(self.page(seeded), "审核记录")

        item = self.submit(title="城关镇2024年工作要点")
        self.login("approver")
        approve(self.client, item)
        edit_and_publish(reload(item), summary="由管理员直接发布的修改")
        self.assertNotContains(self.page(item), "审核记录")

    def test_the_traditional_variant_shows_the_same_record_in_its_script(self):
        from wagtail.models import Locale

        item = self.submit(title="城关镇党委换届选举结果", importance="important")
        self.login("approver")
        approve(self.client, item)
        self.login("reviewer")
        approve(self.client, item)
        variant = reload(item).get_translation(Locale.objects.get(language_code="zh-hant"))
        self.assertTrue(variant.live)
        today = timezone.localdate()
        response = self.page(variant)
        self.assertContains(response, "審核記錄")
        self.assertContains(
            response, f"城關鎮黨委領導小組（楊建華）於<time datetime=\"{today:%Y-%m-%d}\">{today.year}年{today.month}月{today.day}日</time>審核通過"
        )
        self.assertContains(response, "縣級審核：青溪縣委黨務公開領導小組辦公室於")
        self.assertNotContains(response, "审核记录")
