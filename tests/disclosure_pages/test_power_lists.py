"""A unit's power list (权力清单) renders, in both scripts (every one was a 500: issue 14)."""

from django.test import TestCase

from disclosure_pages.models import PowerListPage
from tests.factories import build_tree


class PowerListPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        power = {
            "name": "村级重大事项决策",
            "category": "decision",
            "basis": "《村民委员会组织法》",
            "responsible_post": "村党支部书记",
            "steps": ["党支部提议", "两委商议", "党员大会审议", "村民代表会议决议"],
            "results": "决议结果在村务公开栏公布",
        }
        page = PowerListPage(title="城关镇权力清单", slug="powers", powers=[("power", power)])
        cls.t.township.add_child(instance=page)
        page.save_revision().publish()
        cls.page = page

    def test_a_power_list_shows_each_power_with_its_basis_post_and_steps(self):
        response = self.client.get(self.page.url)
        self.assertEqual(response.status_code, 200)
        for text in ("村级重大事项决策", "行使依据", "《村民委员会组织法》", "责任岗位", "村党支部书记", "两委商议"):
            self.assertContains(response, text)
