"""From an approved pre-disclosure item the officer creates the decision, from a decision the result, prefilled."""

from django.urls import reverse

from disclosure_pages.choices import Scope, Stage
from disclosure_pages.models import DisclosureItemPage
from tests.factories import make_item, make_member, reload

from .helpers import (
    add_url,
    approve,
    item_form,
    messages_of,
    submit_new_item,
)
from .test_models import ReviewTestCase

TITLE = "城关镇东街集体门面房公开招租"


def next_stage_url(item):
    return reverse("workflows_next_stage", args=[item.pk])


class NextStageTests(ReviewTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entry = cls.t.entries["重大决策部署"]
        cls.pre = make_item(
            cls.t.township, TITLE, stage=Stage.PRE_DISCLOSURE, catalogue_entry=cls.entry, scope=Scope.NAMED,
            named_units=[cls.t.village1], importance="important",
        )

    def open_form(self, item, user="officer"):
        self.login(user)
        return self.client.get(next_stage_url(item))

    def prefilled(self, response):
        form = response.context["form"]
        return {name: form[name].value() for name in ("title", "stage", "previous_stage", "catalogue_entry", "scope", "importance")}

    def test_the_decision_form_is_prefilled_from_the_pre_disclosure(self):
        response = self.open_form(self.pre)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.prefilled(response),
            {
                "title": TITLE,
                "stage": Stage.DECISION,
                "previous_stage": self.pre.pk,
                "catalogue_entry": self.entry.pk,
                "scope": Scope.NAMED,
                "importance": "important",
            },
        )
        self.assertEqual(list(response.context["form"]["named_units"].value()), [self.t.village1.pk])
        # The form is Wagtail's add form of the same unit, and posts there.
        self.assertContains(response, f'action="{add_url(self.t.township)}"')
        self.assertContains(response, f'value="{TITLE}"')
        self.assertTrue(any("已按《城关镇东街集体门面房公开招租》（预公开）预填" in m for m in messages_of(response)))

    def test_posting_the_prefilled_form_creates_the_linked_decision_for_review(self):
        response = self.open_form(self.pre)
        fields = {k: "" if v is None else str(v) for k, v in self.prefilled(response).items() if k != "title"}
        fields["named_units"] = str(self.t.village1.pk)
        decision = submit_new_item(self.client, self.t.township, title=f"{TITLE}决定", **fields)
        self.assertEqual((decision.stage, decision.previous_stage_id, decision.unit_id), (Stage.DECISION, self.pre.pk, self.t.township.pk))
        self.login("approver")
        approve(self.client, decision)
        self.login("reviewer")
        approve(self.client, decision)
        decision = reload(decision)
        self.assertTrue(decision.live)
        self.client.force_login(make_member(self.t.village1, "dgc-member"))  # the named audience
        html = self.client.get(decision.url).content.decode()
        self.assertIn("事项进程", html)
        self.assertIn(self.pre.url, html)

        # And from the decision, the result.
        result_form = self.open_form(decision)
        self.assertEqual(self.prefilled(result_form)["stage"], Stage.RESULT)
        self.assertEqual(self.prefilled(result_form)["previous_stage"], decision.pk)

    def test_the_buttons_are_offered_on_live_pre_disclosure_and_decision_items_only(self):
        decision = make_item(self.t.township, "决定", stage=Stage.DECISION, previous_stage=self.pre)
        result = make_item(self.t.township, "结果", stage=Stage.RESULT, previous_stage=decision)
        self.login("officer")
        for item, label in ((self.pre, "创建决策公开事项"), (decision, "创建结果公开事项")):
            with self.subTest(label):
                editor = self.client.get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
                self.assertContains(editor, next_stage_url(item))
                self.assertContains(editor, label)
        listing = self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk]))
        self.assertContains(listing, next_stage_url(self.pre))
        self.assertNotContains(listing, next_stage_url(result))

    def test_refusals_say_why(self):
        draft_pre = make_item(self.t.township, "未审核的预公开", stage=Stage.PRE_DISCLOSURE, publish=False)
        result = make_item(self.t.township, "结果公开", stage=Stage.RESULT)
        withdrawn = make_item(self.t.township, "已撤回的预公开", stage=Stage.PRE_DISCLOSURE, takedown="withdrawn", takedown_reason="方案取消")
        cases = [
            ("officer", draft_pre, "公开后才能创建下一阶段事项"),
            ("officer", result, "不是预公开或决策公开事项"),
            ("officer", withdrawn, "已撤回，不能再创建下一阶段事项"),
            ("officer2", self.pre, "您只能添加本单位的内容"),
            ("reviewer", self.pre, "只能由本单位添加"),
        ]
        for user, item, message in cases:
            with self.subTest(user=user, item=item.title):
                response = self.open_form(item, user)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(any(message in m for m in messages_of(response)), messages_of(response))
        self.login("officer")
        self.assertEqual(self.client.post(next_stage_url(self.pre), item_form()).status_code, 405)
        self.assertFalse(DisclosureItemPage.objects.filter(previous_stage=self.pre).exists())
