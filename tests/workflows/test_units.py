"""Each unit's people work in their own unit: two townships, a township and its villages, the county office."""

from django.test import TestCase, override_settings
from django.urls import reverse

from tests.factories import build_tree, make_item, make_user, reload

from .helpers import (
    add_url,
    approve,
    current_state,
    edit_url,
    item_form,
    messages_of,
    people,
    submit_new_item,
)


class TwoTownshipsTests(TestCase):
    """城关镇 and 石桥镇: nobody sees, edits or approves the other's drafts (tested both ways)."""

    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)
        # A Latin word in both titles: Wagtail's admin search finds a Chinese title only by its
        # first characters, and the search below must be able to find both drafts.
        with cls.captureOnCommitCallbacks(execute=True):  # the search index is written after commit
            cls.drafts = {
                "cgz": make_item(cls.t.township, "城关镇未公开的草稿 unitdraft", publish=False),
                "sqz": make_item(cls.t.township2, "石桥镇未公开的草稿 unitdraft", publish=False),
            }
        cls.units = {"cgz": cls.t.township, "sqz": cls.t.township2}
        cls.officers = {"cgz": "officer", "sqz": "officer2"}

    def pairs(self):
        return [("cgz", "sqz"), ("sqz", "cgz")]

    def test_the_explorer_lists_only_ones_own_units_drafts(self):
        for own, other in self.pairs():
            with self.subTest(own=own):
                self.client.force_login(self.p[self.officers[own]])
                listing = self.client.get(reverse("wagtailadmin_explore", args=[self.units[own].pk]))
                self.assertContains(listing, self.drafts[own].title)
                self.assertNotContains(listing, self.drafts[other].title)
                other_listing = self.client.get(reverse("wagtailadmin_explore", args=[self.units[other].pk]), follow=True)
                self.assertNotContains(other_listing, self.drafts[other].title)
                search = self.client.get(reverse("wagtailadmin_pages:search"), {"q": "unitdraft"})
                self.assertContains(search, self.drafts[own].title)
                self.assertNotContains(search, self.drafts[other].title)

    def test_the_other_units_drafts_cannot_be_edited_previewed_or_added_to(self):
        for own, other in self.pairs():
            with self.subTest(own=own):
                self.client.force_login(self.p[self.officers[own]])
                draft = self.drafts[other]
                for url in (
                    edit_url(draft),
                    reverse("wagtailadmin_pages:view_draft", args=[draft.pk]),
                    reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, draft.latest_revision_id]),
                    reverse("wagtailadmin_pages:history", args=[draft.pk]),
                    add_url(self.units[other]),
                ):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, (302, 403), url)
                    self.assertNotIn(draft.title, response.content.decode(), url)
                data = item_form(title="越权添加的事项")
                self.client.post(add_url(self.units[other]), data)
                self.assertFalse(type(draft).objects.filter(title="越权添加的事项").exists())

    def test_a_leading_group_approves_for_its_own_unit_only(self):
        self.client.force_login(self.p["officer"])
        item = submit_new_item(self.client, self.t.township)
        task = current_state(item).task.specific
        self.assertEqual(task.get_actions(reload(item), self.p["approver_b"]), [])
        self.assertTrue(task.get_actions(reload(item), self.p["approver"]))
        self.client.force_login(self.p["approver_b"])
        payload, _ = approve(self.client, item)
        self.assertEqual(payload["step"], "refused")
        home = self.client.get(reverse("wagtailadmin_home"))
        self.assertNotContains(home, "sunshine-awaiting-my-review")  # no 待我审核 panel: nothing for them
        self.assertFalse(reload(item).live)


class CountyOfficeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)
        cls.draft = make_item(cls.t.township, "城关镇待审核的草稿", publish=False)

    def test_the_county_office_sees_every_units_drafts_but_edits_only_the_countys(self):
        for name in ("county_officer", "reviewer"):
            with self.subTest(name=name):
                self.client.force_login(self.p[name])
                listing = self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk]))
                self.assertContains(listing, self.draft.title)
                self.assertEqual(self.client.get(reverse("wagtailadmin_pages:view_draft", args=[self.draft.pk])).status_code, 200)
                response = self.client.get(edit_url(self.draft))
                self.assertEqual(response.status_code, 302)
                self.assertTrue(any("县委党务公开办可以查看各单位的内容" in m for m in messages_of(response)))
                county_item = make_item(self.t.county, f"县委本级草稿{name}", publish=False)
                self.assertEqual(self.client.get(edit_url(county_item)).status_code, 200)

    def test_the_county_reviewer_may_edit_an_item_waiting_for_the_county(self):
        self.client.force_login(self.p["officer"])
        item = submit_new_item(self.client, self.t.township, importance="important")
        self.client.force_login(self.p["approver"])
        approve(self.client, item)
        self.client.force_login(self.p["reviewer"])
        self.assertEqual(self.client.get(edit_url(item)).status_code, 200)


class TownshipAndVillagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)
        cls.village_draft = make_item(cls.t.village1, "东关村未公开的草稿", publish=False)

    def setUp(self):
        self.client.force_login(self.p["officer"])

    def reading_urls(self, draft):
        """Where a draft can be read without editing it: preview, a revision, the history."""
        return {
            "preview": reverse("wagtailadmin_pages:view_draft", args=[draft.pk]),
            "revision": reverse("wagtailadmin_pages:revisions_view", args=[draft.pk, draft.latest_revision_id]),
            "history": reverse("wagtailadmin_pages:history", args=[draft.pk]),
        }

    def assertRefused(self, url, draft):
        response = self.client.get(url, follow=True)
        self.assertNotIn(draft.title, response.content.decode(), url)
        self.assertEqual(response.redirect_chain[0][0], reverse("wagtailadmin_home"), url)
        self.assertTrue(any("权限" in m for m in messages_of(response)), url)

    def test_township_officers_do_not_reach_their_villages_sections(self):
        listing = self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk]))
        self.assertNotContains(listing, self.t.village1.title)
        self.assertRefused(edit_url(self.village_draft), self.village_draft)
        self.assertEqual(self.client.get(add_url(self.t.village1)).status_code, 302)

    def test_township_officers_cannot_read_a_village_draft_by_typing_its_url(self):
        for name, url in self.reading_urls(self.village_draft).items():
            with self.subTest(name):
                self.assertRefused(url, self.village_draft)

    @override_settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=True)
    def test_with_the_setting_township_officers_read_their_villages_drafts(self):
        for name, url in self.reading_urls(self.village_draft).items():
            with self.subTest(name):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertContains(response, self.village_draft.title)

    def test_another_townships_officers_never_read_the_village_draft(self):
        for manage_villages in (False, True):
            with self.subTest(manage_villages=manage_villages), self.settings(
                SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=manage_villages
            ):
                self.client.force_login(self.p["officer2"])
                for url in [*self.reading_urls(self.village_draft).values(), edit_url(self.village_draft)]:
                    self.assertRefused(url, self.village_draft)

    @override_settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=True)
    def test_the_setting_gives_township_officers_their_villages_sections(self):
        listing = self.client.get(reverse("wagtailadmin_explore", args=[self.t.township.pk]))
        self.assertContains(listing, self.t.village1.title)
        self.assertEqual(self.client.get(edit_url(self.village_draft)).status_code, 200)
        self.assertEqual(self.client.get(add_url(self.t.village1)).status_code, 200)

    def test_a_village_officer_works_in_the_village(self):
        village_officer = make_user("dgc-officer", reload(self.t.village1).officers_group)
        self.client.force_login(village_officer)
        self.assertEqual(self.client.get(edit_url(self.village_draft)).status_code, 200)
        self.assertEqual(self.client.get(edit_url(make_item(self.t.township, "城关镇草稿", publish=False))).status_code, 302)


class MovedItemTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.p = people(cls.t)

    def test_approvers_are_those_of_the_unit_the_item_is_in_now(self):
        self.client.force_login(self.p["officer"])
        item = submit_new_item(self.client, self.t.township)
        task = current_state(item).task.specific
        reload(item).move(reload(self.t.township2), pos="last-child")
        self.assertEqual(task.get_actions(reload(item), self.p["approver"]), [])
        self.assertTrue(task.get_actions(reload(item), self.p["approver_b"]))
