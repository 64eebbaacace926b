"""An app adds panels to the public item and unit pages (register_item_panel, register_unit_panel) and to the
admin dashboard (Wagtail's construct_homepage_panels) without editing disclosure_pages."""

from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings
from wagtail import hooks

from tests.factories import build_tree, make_item, make_user
from tests.panel_app import panels as panel_app


# The stand-in app's templates, as if it were installed (installing an app in a running test
# process would run the other apps' ready() again).
TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], Path(panel_app.__file__).parent / "templates"]}]


@override_settings(TEMPLATES=TEMPLATES)
class PanelHookTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()
        cls.item = make_item(cls.tree.township, "关于2024年第一季度党费收缴情况的公示")

    def test_an_app_adds_a_panel_to_the_item_page(self):
        with hooks.register_temporarily("register_item_panel", panel_app.item_panel):
            response = self.client.get(self.item.url)
        self.assertContains(response, "<h2>意见建议</h2>", html=True)
        self.assertContains(response, "对《关于2024年第一季度党费收缴情况的公示》的意见建议：3 条已答复")

        self.assertNotContains(self.client.get(self.item.url), "<h2>意见建议</h2>", html=True)

    def test_an_app_adds_a_panel_to_some_unit_pages(self):
        with hooks.register_temporarily("register_unit_panel", panel_app.unit_panel):
            township = self.client.get(self.tree.township.url)
            department = self.client.get(self.tree.department.url)
        self.assertContains(township, "对《中共城关镇委员会》的意见建议")
        self.assertNotContains(department, "的意见建议")

    def test_panels_follow_the_hook_order(self):
        def notice_first(page, request):
            return panel_app.OpinionsPanel(page.unit)

        with hooks.register_temporarily("register_item_panel", panel_app.item_panel), hooks.register_temporarily(
            "register_item_panel", notice_first, order=-1
        ):
            html = self.client.get(self.item.url).content.decode()
        self.assertLess(html.index("对《中共城关镇委员会》"), html.index("对《关于2024年第一季度党费收缴情况的公示》"))

    def test_an_app_adds_a_panel_to_the_dashboard_beside_the_review_panels(self):
        self.client.force_login(make_user("county-admin", is_superuser=True))
        with hooks.register_temporarily("construct_homepage_panels", panel_app.dashboard_panels):
            response = self.client.get("/admin/")
        self.assertContains(response, "意见建议台帐")
        self.assertContains(response, "待办 2 条")
