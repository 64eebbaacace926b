"""Taking a public item down (撤回/撤除) through the admin: requested with a reason, effective on approval.

The officer asks in the admin (the form a browser posts), the unit's leading group (and the
county for important items) approves in Wagtail's action dialog, and the public site — the
item page, its print view, listings, feeds, the sitemap, attachments and the Traditional
variant — changes only then.
"""

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, PageLogEntry, TaskState, WorkflowState

from disclosure_pages.choices import Scope, Takedown
from disclosure_pages.models import UnitPage
from tests.factories import (
    attachment_body,
    make_document,
    make_item,
    make_member,
    make_user,
    reload,
)
from workflows.models import CountyReviewTask, UnitApprovalTask

from .helpers import approve, current_state, messages_of, reject
from .test_models import ReviewTestCase

WITHDRAWAL_REASON = "活动安排已调整，以新通知为准"
REMOVAL_REASON = "名单中含有个人身份证号码，须撤除"


def takedown_url(item):
    return reverse("workflows_takedown_request", args=[item.pk])


class TakedownTestCase(ReviewTestCase):
    """A live public item of 城关镇 with an attachment, another one to replace it, and a logged-in client."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entry = cls.t.entries["党费收缴使用"]
        cls.document = make_document("党费收缴明细（附件）", "mingxi.pdf", b"%PDF-1.4 dues detail", unit=cls.t.township)
        cls.item = make_item(
            cls.t.township, "城关镇2024年第一季度党费收缴情况公示", catalogue_entry=cls.entry,
            body=attachment_body(cls.document, "本季度应缴党费一万二千元"),
        )
        cls.newer = make_item(cls.t.township, "城关镇2024年第一季度党费收缴情况公示（更正）", catalogue_entry=cls.entry)
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def request_takedown(self, item=None, user="officer", **data):
        self.login(user)
        return self.client.post(takedown_url(item or self.item), data)

    def take_down(self, kind, reason, item=None, **data):
        """Officer requests, approver approves; returns the fresh item."""
        item = item or self.item
        response = self.request_takedown(item, kind=kind, reason=reason, **data)
        self.assertEqual(response.status_code, 302, messages_of(response))
        self.login("approver")
        payload, _ = approve(self.client, item, comment="同意")
        self.assertEqual(payload["step"], "success")
        return reload(item)

    def public(self, url, user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client.get(url)

    def variant(self, item):
        return reload(item).get_translation(self.hant).specific

    def listings(self):
        """Every public listing an item appears in, by name."""
        portal, unit = reload(self.t.portal), reload(self.t.township)
        return {
            "portal": portal.url,
            "unit": unit.url,
            "catalogue": f"{portal.url}catalogue/{self.entry.translation_key}/",
            "catalogue of the unit": f"{portal.url}catalogue/{self.entry.translation_key}/?unit={unit.code}",
            "portal feed": portal.url + "feed/rss/",
            "unit feed": unit.url + "feed/atom/",
            "catalogue feed": f"{portal.url}catalogue/{self.entry.translation_key}/feed/rss/",
            "sitemap": "/sitemap.xml",
        }

    def logs(self, item, action):
        return list(PageLogEntry.objects.filter(page_id=item.pk, action=action).order_by("pk"))


class RequestTests(TakedownTestCase):
    def test_the_request_form_offers_withdrawal_and_removal_with_the_units_other_items(self):
        self.login("officer")
        response = self.client.get(takedown_url(self.item))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "申请撤回或撤除")
        self.assertContains(response, "撤回：网址保留")
        self.assertContains(response, "撤除：页面不再公开")
        self.assertNotContains(response, "恢复公开：")
        self.assertContains(response, "城关镇2024年第一季度党费收缴情况公示（更正）")
        self.assertContains(response, "审核通过后才生效")

    def test_a_reason_is_required(self):
        for reason in ("", "   "):
            with self.subTest(reason=reason):
                response = self.request_takedown(kind="withdrawn", reason=reason)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "请填写原因。")
        self.assertIsNone(reload(self.item).current_workflow_state)
        self.assertFalse(self.logs(self.item, "sunshine.takedown.requested"))

    def test_bad_input_is_refused_with_a_message_not_an_error(self):
        other_units_item = make_item(self.t.township2, "石桥镇的事项")
        for data, message in (
            ({"kind": "deleted", "reason": "原因"}, "请选择撤回、撤除或恢复公开。"),
            ({"kind": "withdrawn", "reason": "原因", "replacement": str(self.newer.pk)}, "只有撤除时才能指定替代事项。"),
            ({"kind": "removed", "reason": "原因", "replacement": str(other_units_item.pk)}, "所选替代事项不是本单位已公开的其他事项。"),
            ({"kind": "removed", "reason": "原因", "replacement": "abc"}, "所选替代事项不是本单位已公开的其他事项。"),
            ({"kind": "removed", "reason": "很长" * 300}, "原因不能超过 500 字。"),
        ):
            with self.subTest(data=data):
                response = self.request_takedown(**data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertIsNone(reload(self.item).current_workflow_state)

    def test_the_request_goes_to_review_and_changes_nothing_public_until_approved(self):
        mail.outbox.clear()
        response = self.request_takedown(kind="withdrawn", reason=WITHDRAWAL_REASON)
        self.assertRedirects(response, reverse("wagtailadmin_explore", args=[self.t.township.pk]))
        shown = messages_of(response)
        self.assertTrue(any("已提交《城关镇2024年第一季度党费收缴情况公示》的撤回申请，审核通过后生效" in m for m in shown), shown)

        item = reload(self.item)
        self.assertEqual(item.takedown, Takedown.NONE)
        self.assertIsInstance(current_state(item).task.specific, UnitApprovalTask)
        self.assertEqual(item.get_latest_revision_as_object().takedown, Takedown.WITHDRAWN)
        [entry] = self.logs(item, "sunshine.takedown.requested")
        self.assertEqual((entry.user, entry.data["kind"], entry.data["reason"]), (self.p["officer"], "withdrawn", WITHDRAWAL_REASON))
        self.assertEqual(entry.message, "申请撤回")
        self.assertEqual(entry.comment, WITHDRAWAL_REASON)
        # The approvers are told what they are asked to approve.
        self.assertIn("撤回申请", mail.outbox[0].subject)
        self.assertIn(f"本次提交是撤回申请，原因：{WITHDRAWAL_REASON}", mail.outbox[0].body)

        page = self.public(item.url)
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "撤回原因")
        self.assertContains(self.public(reload(self.t.portal).url), item.title)

        self.login("approver")
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(home, "撤回申请")
        self.assertContains(home, WITHDRAWAL_REASON)
        editor = self.client.get(reverse("wagtailadmin_pages:edit", args=[item.pk]))
        self.assertTrue(any("此版本是撤回申请" in m for m in messages_of(editor)))
        dialog = self.client.get(
            reverse("wagtailadmin_pages:workflow_action", args=[item.pk, "approve", current_state(item).pk]),
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
        self.assertIn("本次提交是撤回申请", dialog.json()["html"])

    def test_refusals_say_why(self):
        draft = make_item(self.t.township, "城关镇未公开的草稿", publish=False)
        theirs = make_item(self.t.township2, "石桥镇已公开的事项")
        cases = [
            ("officer", draft, "尚未公开，无需申请撤回或撤除"),
            ("officer", theirs, "您只能申请撤回或撤除本单位的内容"),
            ("officer2", self.item, "您只能申请撤回或撤除本单位的内容"),
            ("reviewer", self.item, "只能由本单位申请撤回或撤除"),
        ]
        for user, item, message in cases:
            with self.subTest(user=user, item=item.title):
                self.login(user)
                for response in (self.client.get(takedown_url(item)), self.client.post(takedown_url(item), {"kind": "removed", "reason": "越权"})):
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(any(message in m for m in messages_of(response)), messages_of(response))
                self.assertIsNone(reload(item).current_workflow_state)
        self.assertEqual(self.client.get(reverse("workflows_takedown_request", args=[999999]), follow=True).status_code, 404)

    def test_an_item_under_review_cannot_be_requested_again(self):
        self.request_takedown(kind="withdrawn", reason=WITHDRAWAL_REASON)
        response = self.request_takedown(kind="removed", reason=REMOVAL_REASON)
        self.assertTrue(any("尚未审核完毕" in m for m in messages_of(response)))
        self.assertEqual(len(self.logs(self.item, "sunshine.takedown.requested")), 1)

    def test_live_content_that_no_longer_validates_gets_a_message_not_a_server_error(self):
        # The unit stopped using the catalogue the item was filed under.
        UnitPage.objects.filter(pk=self.t.township.pk).update(catalogue=None)
        response = self.request_takedown(kind="withdrawn", reason=WITHDRAWAL_REASON)
        self.assertRedirects(response, reverse("wagtailadmin_pages:edit", args=[self.item.pk]), fetch_redirect_response=False)
        self.assertTrue(any("当前内容未通过校验" in m and "所选目录条目不在本单位的公开目录中" in m for m in messages_of(response)))
        self.assertIsNone(reload(self.item).current_workflow_state)

    def test_nobody_to_approve_blocks_the_request(self):
        officer = make_user("czj-officer", reload(self.t.department).officers_group)
        item = make_item(self.t.department, "县财政局党组2024年党费收缴情况")
        self.client.force_login(officer)
        response = self.client.post(takedown_url(item), {"kind": "withdrawn", "reason": "数据有误"})
        self.assertTrue(any("没有可以审核的成员" in m for m in messages_of(response)))
        self.assertIsNone(reload(item).current_workflow_state)

    def test_the_button_is_on_live_items_of_ones_own_unit(self):
        self.login("officer")
        url = takedown_url(self.item)
        self.assertContains(self.client.get(reverse("wagtailadmin_pages:edit", args=[self.item.pk])), url)
        self.assertContains(self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk])), url)
        draft = make_item(self.t.township, "城关镇未公开的草稿", publish=False)
        self.assertNotContains(self.client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])), takedown_url(draft))
        self.login("officer2")
        self.assertNotContains(self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk]), follow=True), url)


class WithdrawalTests(TakedownTestCase):
    def test_a_withdrawn_item_keeps_answering_with_the_notice_date_and_reason(self):
        item = self.take_down("withdrawn", WITHDRAWAL_REASON)
        today = timezone.localdate()
        self.assertEqual((item.takedown, item.takedown_reason, item.takedown_date), (Takedown.WITHDRAWN, WITHDRAWAL_REASON, today))
        page = self.public(item.url)
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn(f"本事项已于<time datetime=\"{today:%Y-%m-%d}\">{today.year}年{today.month}月{today.day}日</time>撤回", html)
        self.assertIn(f"撤回原因：{WITHDRAWAL_REASON}", html)
        self.assertIn("本季度应缴党费一万二千元", html)
        # The notice comes before the content, and the title says it too.
        self.assertLess(html.index("撤回原因"), html.index("本季度应缴党费一万二千元"))
        self.assertIn("<title>［已撤回］城关镇2024年第一季度党费收缴情况公示", html)
        printed = self.public(item.url + "print/").content.decode()
        self.assertIn(f"撤回原因：{WITHDRAWAL_REASON}", printed)
        self.assertLess(printed.index("撤回原因"), printed.index("本季度应缴党费一万二千元"))
        # Its attachment is still served: the content stays on the record.
        self.assertEqual(self.public(self.document.url).status_code, 200)

    def test_withdrawn_items_leave_the_latest_items_and_feeds_and_are_marked_elsewhere(self):
        item = self.take_down("withdrawn", WITHDRAWAL_REASON)
        urls = self.listings()
        for name in ("portal", "portal feed", "unit feed", "catalogue feed"):
            with self.subTest(name):
                self.assertNotContains(self.public(urls[name]), item.title + "<", msg_prefix=name)
        for name in ("unit", "catalogue", "catalogue of the unit"):
            with self.subTest(name):
                html = self.public(urls[name]).content.decode()
                row = html[html.index(f">{item.title}<"):]
                self.assertIn("badge-withdrawn", row[: row.index("</li>")], name)
        self.assertIn(item.url, self.public(urls["sitemap"]).content.decode())

    def test_approval_and_taking_effect_are_in_the_audit_log_and_report(self):
        item = self.take_down("withdrawn", WITHDRAWAL_REASON)
        [effect] = self.logs(item, "sunshine.takedown.withdrawn")
        self.assertEqual(effect.user, self.p["approver"])
        self.assertEqual(effect.data["reason"], WITHDRAWAL_REASON)
        self.assertEqual(effect.message, "经审核撤回，已生效")
        self.assertTrue(self.logs(item, "wagtail.workflow.approve"))
        self.login("reviewer")
        report = self.client.get(reverse("workflows_review_audit"))
        self.assertContains(report, "申请撤回/撤除")
        self.assertContains(report, "撤回生效")
        self.assertContains(report, WITHDRAWAL_REASON)
        # The officer hears that it took effect.
        self.assertIn("并撤回", mail.outbox[-1].subject)

    def test_the_traditional_variant_is_withdrawn_too(self):
        variant = self.variant(self.take_down("withdrawn", WITHDRAWAL_REASON))
        self.assertEqual(variant.takedown, Takedown.WITHDRAWN)
        page = self.public(variant.url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "活動安排已調整，以新通知為準")
        self.assertNotContains(self.public(reload(self.t.portal).get_translation(self.hant).url + "feed/rss/"), variant.title + "<")

    def test_a_rejected_request_leaves_the_item_as_it_was(self):
        self.request_takedown(kind="withdrawn", reason=WITHDRAWAL_REASON)
        self.login("approver")
        reject(self.client, self.item, comment="不属于撤回情形，请发布更正说明")
        item = reload(self.item)
        self.assertEqual(item.takedown, Takedown.NONE)
        self.assertEqual(item.current_workflow_state.status, WorkflowState.STATUS_NEEDS_CHANGES)
        self.assertNotContains(self.public(item.url), "撤回原因")
        self.assertFalse(self.logs(item, "sunshine.takedown.withdrawn"))

    def test_a_withdrawn_item_can_be_restored_through_the_same_review(self):
        item = self.take_down("withdrawn", WITHDRAWAL_REASON)
        self.login("officer")
        form = self.client.get(takedown_url(item))
        self.assertContains(form, "恢复公开：")
        self.assertNotContains(form, "撤回：网址保留")
        item = self.take_down("none", "撤回有误，恢复公开", item=item)
        self.assertEqual((item.takedown, item.takedown_reason, item.takedown_date), (Takedown.NONE, "", None))
        self.assertNotContains(self.public(item.url), "撤回原因")
        self.assertContains(self.public(reload(self.t.portal).url), item.title)
        self.assertEqual(self.logs(item, "sunshine.takedown.restored")[0].data["kind"], "none")

    def test_four_eyes_applies_to_a_takedown(self):
        self.request_takedown(user="approver", kind="withdrawn", reason=WITHDRAWAL_REASON)
        payload, _ = approve(self.client, self.item)
        self.assertEqual(payload["step"], "refused")
        self.assertEqual(reload(self.item).takedown, Takedown.NONE)
        self.login("approver2")
        approve(self.client, self.item)
        self.assertEqual(reload(self.item).takedown, Takedown.WITHDRAWN)


class RemovalTests(TakedownTestCase):
    def test_a_removed_item_is_gone_with_410_and_vanishes_everywhere(self):
        item = self.take_down("removed", REMOVAL_REASON)
        self.assertEqual(item.takedown, Takedown.REMOVED)
        self.assertTrue(item.live)
        for url in (item.url, item.url + "print/"):
            with self.subTest(url):
                page = self.public(url)
                self.assertEqual(page.status_code, 410)
                self.assertContains(page, "该事项已撤除", status_code=410)
                self.assertNotContains(page, item.title, status_code=410)
                self.assertNotContains(page, REMOVAL_REASON, status_code=410)
                self.assertNotContains(page, "本季度应缴党费一万二千元", status_code=410)
        for name, url in self.listings().items():
            with self.subTest(name):
                response = self.public(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(item.title + "<", response.content.decode(), name)
                self.assertNotIn(item.url, response.content.decode(), name)
        self.assertEqual(self.public(self.document.url).status_code, 404)
        self.assertEqual(self.logs(item, "sunshine.takedown.removed")[0].data["reason"], REMOVAL_REASON)

    def test_the_traditional_variant_answers_410_too(self):
        variant = self.variant(self.take_down("removed", REMOVAL_REASON))
        self.assertEqual(variant.takedown, Takedown.REMOVED)
        page = self.public(variant.url)
        self.assertEqual(page.status_code, 410)
        self.assertContains(page, "該事項已撤除", status_code=410)
        self.assertNotContains(page, variant.title, status_code=410)
        self.assertNotIn(variant.url, self.public("/sitemap.xml").content.decode())

    def test_removal_with_a_replacement_redirects_permanently_in_both_scripts(self):
        item = self.take_down("removed", REMOVAL_REASON, replacement=str(self.newer.pk))
        self.assertEqual(item.replacement_id, self.newer.pk)
        response = self.public(item.url)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], reload(self.newer).url)
        variant = self.variant(item)
        response = self.public(variant.url)
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], self.variant(self.newer).url)
        [effect] = self.logs(item, "sunshine.takedown.removed")
        self.assertEqual(effect.message, f"经审核撤除，已生效；原网址跳转到《{self.newer.title}》")

    def test_an_important_item_needs_the_county_to_approve_its_removal(self):
        item = make_item(self.t.township, "城关镇党委关于调整领导班子分工的决定", importance="important")
        self.request_takedown(item, kind="removed", reason=REMOVAL_REASON)
        self.login("approver")
        approve(self.client, item)
        self.assertEqual(reload(item).takedown, Takedown.NONE)
        self.assertIsInstance(current_state(item).task.specific, CountyReviewTask)
        self.assertEqual(self.public(item.url).status_code, 200)
        self.login("reviewer")
        _, shown = approve(self.client, item)
        self.assertEqual(reload(item).takedown, Takedown.REMOVED)
        self.assertEqual(self.public(item.url).status_code, 410)
        self.assertTrue(any("已撤除" in message for message in shown), shown)
        self.assertEqual(
            [state.status for state in TaskState.objects.filter(workflow_state__object_id=str(item.pk)).order_by("pk")],
            [TaskState.STATUS_APPROVED, TaskState.STATUS_APPROVED],
        )


class MembersOnlyTakedownTests(TakedownTestCase):
    """A removed or withdrawn item never makes members-only content public."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secret = make_item(cls.t.township, "城关镇民主生活会整改清单", scope=Scope.UNIT_MEMBERS, catalogue_entry=cls.entry,
                               body=[("rich_text", "<p>整改措施共十二条</p>")])
        cls.member = make_member(cls.t.township, "cgz-member")
        cls.outsider = make_member(cls.t.township2, "sqz-member")

    def test_a_withdrawn_members_only_item_stays_members_only(self):
        item = self.take_down("withdrawn", "整改已完成", item=self.secret)
        response = self.public(item.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn("整改已完成", response.content.decode())
        for user in (self.outsider,):
            self.assertNotIn("整改措施共十二条", self.public(item.url, user).content.decode())
        self.assertContains(self.public(item.url, self.member), "撤回原因：整改已完成")
        for name, url in self.listings().items():
            self.assertNotIn(item.title, self.public(url).content.decode(), name)
        variant = self.variant(item)
        self.assertEqual(self.public(variant.url).status_code, 302)

    def test_a_removed_members_only_item_does_not_even_say_so_to_the_public(self):
        item = self.take_down("removed", "内容有误", item=self.secret, replacement=str(self.newer.pk))
        for user in (None, self.outsider):
            response = self.public(item.url, user)
            self.assertIn(response.status_code, (302, 403, 404))
            self.assertNotIn("该事项已撤除", response.content.decode())
        # Its members are sent on to the (public) replacement.
        self.assertEqual(self.public(item.url, self.member)["Location"], reload(self.newer).url)

    def test_a_removed_public_item_never_redirects_to_a_members_only_replacement(self):
        item = self.take_down("removed", REMOVAL_REASON, replacement=str(self.secret.pk))
        response = self.public(item.url)
        self.assertEqual(response.status_code, 410)
        self.assertNotIn(self.secret.url, response.content.decode())
        self.assertEqual(self.public(item.url, self.member)["Location"], reload(self.secret).url)
