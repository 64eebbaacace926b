"""The item editor in the Wagtail admin: Chinese errors, nothing half-written, change notes."""

from django.test import TestCase
from django.urls import reverse

from disclosure_pages.models import DisclosureItemPage
from tests import factories
from tests.factories import build_tree, d, make_item, make_user, reload


def item_form(**fields):
    fields.setdefault("slug", "dangfei-2024-q1")
    return factories.item_form(**fields)


class ItemEditorTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.admin = make_user("admin", is_superuser=True, is_staff=True)

    def setUp(self):
        self.client.force_login(self.admin)

    def add_url(self, unit):
        return reverse("wagtailadmin_pages:add", args=["disclosure_pages", "disclosureitempage", unit.pk])

    def test_admin_is_in_simplified_chinese(self):
        response = self.client.get(self.add_url(self.t.township))
        self.assertContains(response, 'lang="zh-hans"')
        self.assertContains(response, "公开范围")
        self.assertContains(response, "保存草稿")

    def test_expiry_before_effective_date_is_refused_in_chinese_and_nothing_is_created(self):
        response = self.client.post(
            self.add_url(self.t.township), item_form(effective_date="2024-05-01", expiry_date="2024-04-01")
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "失效日期不能早于生效日期。")
        self.assertFalse(DisclosureItemPage.objects.filter(slug="dangfei-2024-q1").exists())

    def test_duplicate_document_number_is_refused_with_the_other_items_title(self):
        make_item(self.t.township, "城关镇党委关于表彰优秀党员的决定", document_number="城关党发〔2024〕3号", document_date=d("2024-06-01"))
        response = self.client.post(
            self.add_url(self.t.township), item_form(document_number="城关党发〔2024〕3号", document_date="2024-07-01")
        )
        self.assertContains(response, "本单位2024年已有文号为“城关党发〔2024〕3号”的事项：“城关镇党委关于表彰优秀党员的决定”。")
        self.assertEqual(DisclosureItemPage.objects.filter(document_number="城关党发〔2024〕3号").count(), 1)

    def test_a_valid_item_is_created_with_its_unit_and_index_number(self):
        response = self.client.post(self.add_url(self.t.township), item_form(document_date="2024-03-05"))
        self.assertEqual(response.status_code, 302)
        item = DisclosureItemPage.objects.get(slug="dangfei-2024-q1")
        self.assertEqual(item.unit_id, self.t.township.pk)
        self.assertEqual(item.index_number, "QX-CGZ/2024-00001")
        self.assertFalse(item.live)

    def test_substantive_change_needs_a_note_and_publishes_it_dated_today(self):
        item = make_item(self.t.township, "城关镇2024年党费收缴情况")
        edit_url = reverse("wagtailadmin_pages:edit", args=[item.pk])
        data = item_form(title=item.title, slug=item.slug, change_kind="substantive", change_note="")
        response = self.client.post(edit_url, data)
        self.assertContains(response, "实质性修改须填写更新说明")

        data.update(change_note="更正第三季度收缴金额", **{"action-publish": "publish"})
        response = self.client.post(edit_url, data)
        self.assertEqual(response.status_code, 302)
        notes = list(reload(item).change_notes.values_list("note", flat=True))
        self.assertEqual(notes, ["更正第三季度收缴金额"])
        page = self.client.get(reload(item).url)
        self.assertContains(page, "更新记录")
        self.assertContains(page, "更正第三季度收缴金额")

    def test_moving_an_item_onto_a_taken_document_number_is_refused(self):
        make_item(self.t.township2, "石桥镇党委通知", document_number="党发〔2024〕1号", document_date=d("2024-02-01"))
        item = make_item(self.t.township, "城关镇党委通知", document_number="党发〔2024〕1号", document_date=d("2024-02-02"))
        url = reverse("wagtailadmin_pages:move_confirm", args=[item.pk, self.t.township2.pk])
        response = self.client.post(url, follow=True)
        self.assertContains(response, "无法移动")
        self.assertEqual(reload(item).get_parent().pk, self.t.township.pk)
