"""Members-only content never reaches anyone outside its scope through search, in either script."""

from django.contrib.auth.models import Group
from django.test import TestCase
from wagtail.models import BaseViewRestriction, Locale, PageViewRestriction

from disclosure_pages.choices import Scope, Takedown
from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.visibility import visible_pages
from search import service
from search.models import SearchDocument
from search.updates import apply_due_updates
from tests.factories import build_tree, edit_and_publish, make_item, make_member, make_user, reload
from tests.search.support import ANONYMOUS, build_indexed_county, facet_counts, found_titles, search

ROSTER = "东关村党员名册（党务公开内部）"
ROSTER_HANT = "東關村黨員名冊（黨務公開內部）"


class MembersOnlyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()
        cls.member = make_member(cls.tree.village1, "village-member")
        cls.other_member = make_member(cls.tree.township2, "other-member")
        cls.admin = make_user("root", is_superuser=True, is_staff=True)

    def test_anonymous_users_never_see_a_members_only_item(self):
        for text in ("党员名册", "党务公开", "名册", "联系电话", "东关村"):
            results = search(text)
            self.assertNotIn(ROSTER, {hit.title for hit in results.results}, text)
            self.assertNotIn("联系电话", " ".join(hit.snippet_html for hit in results.results), text)
        self.assertEqual(search("名册").count, 0)
        self.assertEqual(search("党务公开").count, 2)

    def test_facet_counts_leave_it_out(self):
        results = search("党务公开")
        self.assertEqual(facet_counts(results, "unit"), {"城关镇党委": 2})
        self.assertEqual(sum(facet_counts(results, "year").values()), 2)
        self.assertNotIn("2024", facet_counts(results, "year"))
        self.assertEqual(facet_counts(results, "scope"), {})  # no scope facet for the public

    def test_suggestions_leave_it_out(self):
        self.assertEqual(service.suggest("党员名册", ANONYMOUS, "zh-hans"), [])
        self.assertEqual(service.suggest("党员名册", self.other_member, "zh-hans"), [])
        self.assertEqual([s["title"] for s in service.suggest("党员名册", self.member, "zh-hans")], [ROSTER])

    def test_members_of_another_unit_never_see_it(self):
        self.assertNotIn(ROSTER, found_titles("党务公开", self.other_member))
        self.assertEqual(search("名册", self.other_member).count, 0)

    def test_members_of_its_unit_see_it_with_a_scope_facet(self):
        results = search("党务公开", self.member)
        self.assertIn(ROSTER, {hit.title for hit in results.results})
        self.assertEqual(results.count, 3)
        self.assertEqual(facet_counts(results, "scope"), {"向社会公开": 2, "向本单位及下级组织党员公开": 1})
        self.assertEqual(found_titles("党务公开", self.member, scope="unit"), {ROSTER})

    def test_the_traditional_site_follows_the_same_rule(self):
        self.assertNotIn(ROSTER_HANT, found_titles("黨務公開", locale="zh-hant"))
        self.assertNotIn(ROSTER_HANT, found_titles("党务公开", self.other_member, locale="zh-hant"))
        self.assertIn(ROSTER_HANT, found_titles("党务公开", self.member, locale="zh-hant"))
        self.assertEqual(service.suggest("黨員名冊", ANONYMOUS, "zh-hant"), [])

    def test_search_finds_exactly_what_visible_pages_allows_for_every_user(self):
        """The index's audience keys agree with the one visibility rule, user by user."""
        for user in (ANONYMOUS, self.member, self.other_member, self.admin):
            for locale in ("zh-hans", "zh-hant"):
                visible = visible_pages(DisclosureItemPage.objects.filter(locale__language_code=locale), user)
                expected = set(visible.values_list("pk", flat=True))
                results = service.search({"q": "公开"}, user, locale, page_size=50)
                found = {hit.page_id for hit in results.results}
                text = {pk for pk in expected if "公开" in DisclosureItemPage.objects.get(pk=pk).title or "公開" in
                        DisclosureItemPage.objects.get(pk=pk).title}
                self.assertTrue(found <= expected, (user, locale))
                self.assertTrue(text <= found, (user, locale))


class ManyGroupsTests(TestCase):
    def test_an_item_for_many_groups_is_found_by_a_member_of_the_last(self):
        """An item for all party members names every unit's group: a long audience (PostgreSQL
        refused one over 500 characters, so such items went missing from search)."""
        tree = build_tree()
        groups = [Group.objects.create(name=f"第{number}党小组") for number in range(80)]
        title = "城关镇各党小组学习安排"
        make_item(tree.township, title, scope=Scope.NAMED, named_groups=groups, body=[("rich_text", "<p>各党小组学习安排。</p>")])
        apply_due_updates()
        self.assertGreater(len(SearchDocument.objects.get(title=title).audience), 500)
        self.assertEqual(found_titles("学习安排", make_user("last-group", groups[-1])), {title})
        self.assertEqual(found_titles("学习安排", make_user("no-group")), set())
        self.assertEqual(found_titles("学习安排"), set())


class ChangesReachTheIndexTests(TestCase):
    """Publishing, unpublishing, scope changes, takedowns and deletion, applied from the outbox."""

    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def test_drafts_are_never_found(self):
        make_item(self.tree.township, "城关镇党务公开草稿事项", publish=False)
        apply_due_updates()
        self.assertNotIn("城关镇党务公开草稿事项", found_titles("草稿"))
        self.assertEqual(search("草稿").count, 0)

    def test_unpublishing_removes_an_item_in_both_scripts(self):
        item = reload(self.items["dues"])
        item.unpublish()
        apply_due_updates()
        self.assertEqual(search("党费").count, 0)
        self.assertEqual(search("黨費", locale="zh-hant").count, 0)

    def test_a_scope_change_to_members_only_hides_it_from_the_public(self):
        edit_and_publish(self.items["dues"], scope=Scope.UNIT_MEMBERS)
        apply_due_updates()
        self.assertEqual(search("党费").count, 0)
        self.assertEqual(search("黨費", locale="zh-hant").count, 0)
        member = make_member(self.tree.township2, "dues-member")
        self.assertEqual(search("党费", member).count, 1)

    def test_a_restriction_on_a_unit_hides_its_items(self):
        restriction = PageViewRestriction.objects.create(page=self.tree.township2, restriction_type=BaseViewRestriction.LOGIN)
        apply_due_updates()
        self.assertEqual(search("党费").count, 0)
        restriction.delete()
        apply_due_updates()
        self.assertEqual(search("党费").count, 1)

    def test_removed_items_are_gone_and_withdrawn_ones_stay_marked(self):
        edit_and_publish(self.items["dues"], takedown=Takedown.REMOVED, takedown_reason="内容有误")
        edit_and_publish(self.items["catalogue"], takedown=Takedown.WITHDRAWN, takedown_reason="已调整")
        apply_due_updates()
        self.assertEqual(search("党费").count, 0)
        hit = search("公开目录").results[0]
        self.assertEqual((hit.title, hit.withdrawn), ("城关镇党务公开目录调整说明", True))

    def test_deleted_items_leave_the_index(self):
        hant = Locale.objects.get(language_code="zh-hant")
        variant = reload(self.items["dues"]).get_translation(hant)
        variant.delete()
        reload(self.items["dues"]).delete()
        apply_due_updates()
        self.assertEqual(search("党费").count, 0)
        self.assertEqual(search("党费", locale="zh-hant").count, 0)

    def test_a_new_item_is_found_in_both_scripts(self):
        make_item(self.tree.department, "县财政局关于规范公务接待的通知")
        apply_due_updates()
        self.assertEqual(found_titles("公务接待"), {"县财政局关于规范公务接待的通知"})
        self.assertEqual(found_titles("公務接待", locale="zh-hant"), {"縣財政局關於規範公務接待的通知"})
