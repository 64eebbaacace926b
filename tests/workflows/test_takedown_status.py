"""The admin shows a taken-down item's real state (issue 14: a 撤除 item was listed as live,
已发布): Wagtail's page status, as every admin listing shows it, says 已撤除 / 已撤回."""

import re

from django.test import TestCase

from disclosure_pages.choices import Takedown
from tests.factories import build_tree, edit_and_publish, make_item, make_user


def status_of(html, title):
    """The status tag of the listing row of ``title``."""
    for row in re.findall(r"<tr\b.*?</tr>", html, flags=re.S):
        if title in row:
            cell = re.search(r'class="[^"]*w-status\b.*?</td>', row, flags=re.S).group(0)
            text = re.sub(r"<span class=\"w-sr-only\">.*?</span>|<[^>]+>", " ", cell.split(">", 1)[1], flags=re.S)
            return re.sub(r"\s+", " ", text).strip()
    raise AssertionError(f"no row for {title}")


class TakedownStatusTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.shown = make_item(cls.t.township, "城关镇正常公开事项")
        cls.removed = edit_and_publish(make_item(cls.t.township, "城关镇已撤除事项"), takedown=Takedown.REMOVED, takedown_reason="内容有误")
        cls.withdrawn = edit_and_publish(make_item(cls.t.township, "城关镇已撤回事项"), takedown=Takedown.WITHDRAWN, takedown_reason="已过时")
        cls.admin = make_user("admin-status", is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def test_the_explorer_lists_a_removed_item_as_removed_not_live(self):
        html = self.client.get(f"/admin/pages/{self.t.township.pk}/").content.decode()
        self.assertEqual(status_of(html, "城关镇已撤除事项"), "已撤除")
        self.assertEqual(status_of(html, "城关镇已撤回事项"), "已撤回")
        live = status_of(html, "城关镇正常公开事项")  # Wagtail's own word for live
        self.assertTrue(live)
        self.assertNotIn("撤", live)

    def test_the_status_says_so_with_a_draft_and_everywhere_wagtail_asks(self):
        self.assertEqual(self.removed.status_string, "已撤除")
        draft = self.removed.get_latest_revision_as_object()
        draft.summary = "改过的摘要"
        draft.save_revision()
        self.removed.refresh_from_db()
        self.assertEqual(self.removed.status_string, "已撤除（有草稿）")
        self.assertNotIn("撤", str(self.shown.status_string))
        # Search results and the admin API of pages use it too.
        html = self.client.get("/admin/pages/search/", {"q": "城关镇已撤除事项"}).content.decode()
        self.assertIn("已撤除", html)
