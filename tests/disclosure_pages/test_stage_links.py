"""An item's page links only stages its reader may see (issue 13, item 5).

The chain of a matter (预公开 → 决策公开 → 结果公开) may mix audiences: a public decision
whose pre-disclosure went to the unit's members only. The public sees the decision with
no process box at all (a box holding only the item itself would say there are stages it
may not see); the unit's members see every stage.
"""

from django.test import Client, TestCase

from disclosure_pages.choices import Scope, Stage
from tests.factories import build_tree, make_item, make_member, make_user

PRE = "城关镇党员活动室改造方案（预公开）"
DECISION = "城关镇党员活动室改造方案（决策）"
RESULT = "城关镇党员活动室改造结果"


class StageLinkPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        t = cls.t = build_tree()
        entry = t.entries["党费收缴使用"]
        cls.pre = make_item(t.township, PRE, scope=Scope.UNIT_MEMBERS, stage=Stage.PRE_DISCLOSURE, catalogue_entry=entry)
        cls.decision = make_item(t.township, DECISION, stage=Stage.DECISION, previous_stage=cls.pre, catalogue_entry=entry)
        cls.result = make_item(t.township, RESULT, scope=Scope.UNIT_MEMBERS, stage=Stage.RESULT,
                               previous_stage=cls.decision, catalogue_entry=entry)
        cls.members = {"cgz": make_member(t.township, "cgz-member"), "sqz": make_member(t.township2, "sqz-member")}
        cls.outsider = make_user("outsider")

    def page(self, user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(self.decision.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_readers_outside_the_unit_see_no_process_box_and_no_hidden_stage(self):
        for user in (None, self.outsider, self.members["sqz"]):
            with self.subTest(user=user):
                html = self.page(user)
                self.assertIn(DECISION, html)
                self.assertNotIn("stage-chain", html)
                for hidden, title in ((self.pre, PRE), (self.result, RESULT)):
                    self.assertNotIn(title, html)
                    self.assertNotIn(hidden.url, html)

    def test_the_units_members_see_every_stage(self):
        html = self.page(self.members["cgz"])
        self.assertIn("stage-chain", html)
        for item in (self.pre, self.result):
            self.assertIn(item.url, html)
