"""Province scale (issue 19): the admin's page listings — the explorer and the page chooser — read
their rows in a fixed number of queries, however many units the county has.

Each listing is asked as each kind of user in the small county, then again after the county has
grown to four times its units: the number of queries must not move, and what the rows say must
still be right (the privacy icon of a members-only item, the 删除 of an officer's draft and not of
a published item, wagtail-localize's 翻译此页 and 同步翻译页面 as its own hook gives them).
"""

import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.admin.ui import side_panels
from wagtail.admin.views.pages import create
from wagtail.models import Page, PagePermissionTester, PageViewRestriction
from wagtail_localize.wagtail_hooks import page_listing_more_buttons

from disclosure_pages.choices import Scope
from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.visibility import page_is_public_in_admin
from script_variants.wagtail_hooks import translation_listing_buttons
from tests.factories import make_item, reload

from .test_county_scale import CountyScaleTestCase


def explore(page):
    return reverse("wagtailadmin_explore", args=[page.pk])


def row_of(html, title):
    """The listing's table row that names ``title``."""
    for row in re.findall(r"<tr\b.*?</tr>", html, flags=re.S):
        if title in row:
            return row
    raise AssertionError(f"no row for {title}")


class ListingScaleTests(CountyScaleTestCase):
    def setUp(self):
        township = reload(self.t.township)
        self.members_only = make_item(township, "城关镇仅党员可见的事项", scope=Scope.ALL_MEMBERS)
        self.public = make_item(township, "城关镇向社会公开的事项")
        self.draft = make_item(township, "城关镇尚未发布的草稿", publish=False)

    def listings(self):
        t = self.t
        return {
            ("officer", explore(t.township)),
            ("approver", explore(t.township)),
            ("admin", explore(t.county)),
            ("admin", explore(t.township)),
            ("reviewer", explore(t.county)),
            ("reviewer", reverse("wagtailadmin_choose_page_child", args=[t.county.pk])),
            ("officer", reverse("wagtailadmin_choose_page_child", args=[t.township.pk])),
            ("officer", reverse("wagtailadmin_choose_page")),
        }

    def test_the_explorer_and_chooser_read_the_same_number_of_queries_for_four_times_the_units(self):
        small = {key: self.queries(*key)[0] for key in self.listings()}
        self.assertGreaterEqual(self.grow(), 6 * 4)  # (and the Traditional variants of the items' units)
        large = {key: self.queries(*key)[0] for key in self.listings()}
        self.assertEqual(large, small)

    def test_the_rows_still_say_what_wagtail_would(self):
        self.grow()
        for name in ("officer", "admin"):
            html = self.queries(name, explore(self.t.township))[1].content.decode()
            self.assertIn("privacy-indicator", row_of(html, "城关镇仅党员可见的事项"), name)
            self.assertNotIn("privacy-indicator", row_of(html, "城关镇向社会公开的事项"), name)
        html = self.queries("officer", reverse("wagtailadmin_choose_page_child", args=[self.t.township.pk]))[1].json()["html"]
        self.assertIn("privacy-indicator", row_of(html, "城关镇仅党员可见的事项"))
        self.assertIn(f'data-parent-id="{self.t.township.pk}"', row_of(html, "城关镇向社会公开的事项"))

        html = self.queries("officer", explore(self.t.township))[1].content.decode()
        self.assertIn(reverse("wagtailadmin_pages:delete", args=[self.draft.pk]), row_of(html, "城关镇尚未发布的草稿"))
        self.assertNotIn(reverse("wagtailadmin_pages:delete", args=[self.public.pk]), row_of(html, "城关镇向社会公开的事项"))

    def test_the_privacy_icons_say_what_wagtail_s_own_test_says(self):
        # A unit made private hides its section: its items are private without a restriction of their own.
        PageViewRestriction.objects.create(page=reload(self.t.village1), restriction_type=PageViewRestriction.LOGIN)
        in_private_unit = make_item(reload(self.t.village1), "东关村的公开事项")
        pages = [self.members_only, self.public, self.draft, in_private_unit, self.t.village1, self.t.township, self.t.county]
        pages = [reload(page) for page in pages]
        wagtails = {page.pk: wagtailadmin_tags.test_page_is_public({"request": RequestFactory().get("/")}, page) for page in pages}
        self.assertEqual(sorted(pk for pk, public in wagtails.items() if not public),
                         sorted([self.members_only.pk, in_private_unit.pk, self.t.village1.pk]))
        request = RequestFactory().get("/")  # each page alone (its own screens)
        self.assertEqual({page.pk: page_is_public_in_admin(request, page) for page in pages}, wagtails)
        request = RequestFactory().get("/")
        with self.assertNumQueries(1):  # a table's rows at once (a listing)
            self.assertEqual({page.pk: page_is_public_in_admin(request, page, pages) for page in pages}, wagtails)

    def test_a_new_page_s_privacy_is_what_wagtail_s_status_panel_says(self):
        PageViewRestriction.objects.create(page=reload(self.t.village1), restriction_type=PageViewRestriction.LOGIN)
        request = RequestFactory().get("/")
        request.user = self.p["admin"]
        self.assertIsNot(create.PageStatusSidePanel, side_panels.PageStatusSidePanel)
        for parent, public in ((reload(self.t.village1), False), (reload(self.t.township), True)):
            options = {"show_schedule_publishing_toggle": False, "locale": parent.locale, "translations": [], "parent_page": parent}
            contexts = [
                panel(DisclosureItemPage(title="新事项"), request, **options).get_context_data({"request": request})
                for panel in (create.PageStatusSidePanel, side_panels.PageStatusSidePanel)
            ]
            self.assertEqual(contexts[0]["is_public"], public)
            self.assertEqual(set(contexts[0]), set(contexts[1]))
            for name in ("is_public", "model_name", "base_model_name", "model_description", "status_templates"):
                self.assertEqual(contexts[0][name], contexts[1][name], name)

    def test_a_page_may_be_deleted_or_moved_as_wagtail_s_own_tester_says(self):
        pages = [self.members_only, self.public, self.draft, self.t.township, self.t.village1, self.t.county]
        for name in ("officer", "approver", "reviewer", "county_officer", "officer2"):
            user = self.p[name]
            for page in pages:
                page = reload(page)
                ours = page.permissions_for_user(user)
                wagtails = PagePermissionTester(user, page)
                wagtails.permissions = ours.permissions  # the same grants, narrowed by the policy
                for ignore_bulk in (False, True):
                    self.assertEqual(ours.can_delete(ignore_bulk), wagtails.can_delete(ignore_bulk), (name, page.title, ignore_bulk))
                self.assertEqual(ours.can_move(), wagtails.can_move(), (name, page.title))

    def test_the_translation_buttons_are_wagtail_localize_s(self):
        listing_hooks = hooks.get_hooks("register_page_listing_more_buttons")
        self.assertIn(translation_listing_buttons, listing_hooks)
        self.assertNotIn(page_listing_more_buttons, listing_hooks)
        admin = self.p["admin"]
        pages = list(Page.objects.child_of(self.t.township).specific()) + list(Page.objects.child_of(self.t.county).specific())
        self.assertTrue(any(
            list(page_listing_more_buttons(page, admin)) for page in pages
        ))
        for page in pages:
            expected = [(button.label, button.url) for button in page_listing_more_buttons(page, admin, next_url="/admin/")]
            given = [(button.label, button.url) for button in translation_listing_buttons(page, admin, next_url="/admin/")]
            self.assertEqual(given, expected, page.title)


class OwnerFilterTests(CountyScaleTestCase):
    """The explorer's "owner" filter offers the owners of the pages it lists, not everyone who owns
    a page anywhere in the county (Wagtail reads every page's owner for it)."""

    def owner_choices(self, user, page):
        self.client.force_login(user)
        html = self.client.get(explore(page)).content.decode()
        return set(re.findall(r'name="owner" value="(\d+)"', html))

    def test_the_owner_filter_offers_the_owners_of_the_listed_pages(self):
        township, township2 = reload(self.t.township), reload(self.t.township2)
        own = make_item(township, "城关镇officer的事项", owner=self.p["officer"])
        other = make_item(township2, "石桥镇officer2的事项", owner=self.p["officer2"])
        self.assertEqual(self.owner_choices(self.p["officer"], township), {str(own.owner_id)})
        self.assertEqual(self.owner_choices(self.p["admin"], township2), {str(other.owner_id)})
        Page.objects.filter(pk=own.pk).update(owner=None)
        self.assertEqual(self.owner_choices(self.p["officer"], township), set())

    def test_the_choices_are_read_from_the_listed_pages_only(self):
        self.client.force_login(self.p["officer"])
        with CaptureQueriesContext(connection) as queries:
            self.client.get(explore(reload(self.t.township)))
        # Wagtail's SELECT DISTINCT owner_id over every page is gone: the owners are read among the children.
        owner_reads = [query["sql"] for query in queries if '"owner_id"' in query["sql"] and "DISTINCT" in query["sql"]]
        self.assertEqual(len(owner_reads), 1, owner_reads)
        self.assertIn('"depth" =', owner_reads[0])
