"""The item editor's audience chooser (issue 19, province scale).

The editor holds only the units, groups and people an item names; the rest are found by
searching, a page at a time. The editor's size and queries do not grow with the province,
the search finds by name in either script and pages its matches, only those who can open an
item editor may search, and the form posts and validates the chosen ids as before.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from disclosure_pages.audience import PAGE_SIZE
from disclosure_pages.choices import Scope, UnitType
from disclosure_pages.models import UnitPage
from tests.factories import build_tree, make_item, make_member, make_unit, make_user, reload
from tests.workflows.helpers import add_url, edit_url


User = get_user_model()


def search_url(source):
    return reverse(f"disclosure_pages_audience_{source}")


def without_time_ago(html):
    """The page without how long ago the item was edited (刚刚, 2 分钟之前): building units takes minutes."""
    return re.sub(r'(<time class="w-human-readable-date__date"[^>]*>).*?(</time>)', r"\1\2", html, flags=re.S)


class AudienceChooserTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.township = reload(cls.t.township)
        cls.officer = make_user("officer", cls.township.officers_group, first_name="李晓芸")
        cls.approver = make_user("approver", cls.township.leading_group, first_name="杨建华")
        cls.admin = make_user("admin", is_superuser=True, is_staff=True)
        cls.item = make_item(
            cls.township, "城关镇党委关于党员发展对象公示的通知", scope=Scope.NAMED,
            named_units=[cls.t.village1], named_groups=[reload(cls.t.township2).members_group], named_people=[cls.approver],
        )

    def search(self, source, **params):
        response = self.client.get(search_url(source), params)
        self.assertEqual(response.status_code, 200)
        return response.json()

    def texts(self, source, **params):
        return [row["text"] for row in self.search(source, **params)["results"]]


class EditorSizeTests(AudienceChooserTestCase):
    """GET edit and create, as officer, approver and superuser: the same bytes and queries with N and 4N units."""

    def add_units_and_people(self, count):
        """``count`` units, each with a member and a members-only item (a view restriction of its
        own), a third of them villages of the officer's township (sub-unit sections hidden from him)."""
        county, township = reload(self.t.county), reload(self.township)
        start = UnitPage.objects.count()
        for number in range(start, start + count):
            parent = township if number % 3 == 0 else county
            unit = make_unit(parent, f"青溪县第{number}党支部", f"QX-B{number}", UnitType.VILLAGE)
            make_member(unit, f"member{number}")
            make_item(unit, f"青溪县第{number}党支部党员大会通知", scope=Scope.ALL_MEMBERS)

    def measure(self):
        measured = {}
        for user in (self.officer, self.approver, self.admin):
            self.client.force_login(user)
            for view, url in (("edit", edit_url(self.item)), ("create", add_url(self.township))):
                self.client.get(url)  # caches warmed alike at both sizes
                with CaptureQueriesContext(connection) as queries:
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                # The privacy status reads the restrictions over the item by path, not every one of the county.
                restrictions = [query["sql"] for query in queries if "wagtailcore_pageviewrestriction" in query["sql"]]
                self.assertTrue(all('"wagtailcore_page"."path" IN' in sql for sql in restrictions), restrictions)
                html = without_time_ago(response.content.decode())
                measured[(user.username, view)] = (len(html.encode()), len(queries), html)
        return measured

    def test_the_editor_does_not_grow_with_the_units_groups_and_people(self):
        self.add_units_and_people(4)  # N = 10 units (40 groups), 7 people, 5 items
        small = self.measure()
        self.add_units_and_people(30)  # 4N = 40 units (160 groups), 37 people, 35 items
        large = self.measure()
        for key, (size, queries, html) in small.items():
            with self.subTest(key=key):
                # Ids (the editing session's) may gain a digit; one more unit among the options was ~100 bytes.
                self.assertLessEqual(abs(large[key][0] - size), 16)
                self.assertEqual(large[key][1], queries)
        html = large[("officer", "edit")][2]
        # What the item names is shown; nothing else is listed.
        for label in ("东关村党支部（QX-CGZ-DGC）", "石桥镇党委（QX-SQZ）党员", "杨建华（approver）"):
            self.assertIn(label, html)
        self.assertNotIn("青溪县第", html)
        self.assertNotIn("西关村党支部", html)
        self.assertIsNone(re.search(r"member\d", html))  # the new units' members
        # A new item names nobody yet: its choosers list nothing.
        self.assertNotIn("东关村党支部（QX-CGZ-DGC）", large[("officer", "create")][2])


class SearchTests(AudienceChooserTestCase):
    def setUp(self):
        self.client.force_login(self.officer)

    def test_units_are_found_by_part_of_their_name_or_code_in_either_script(self):
        expected = ["东关村党支部（QX-CGZ-DGC）"]
        self.assertEqual(self.texts("units", q="东关"), expected)
        self.assertEqual(self.texts("units", q="東關"), expected)
        self.assertEqual(self.texts("units", q="cgz-dgc"), expected)
        self.assertEqual(self.texts("units", q="没有这个单位"), [])

    def test_units_are_offered_in_the_items_script(self):
        hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        variant = reload(self.t.village1).copy_for_translation(hant)
        variant.title = "東關村黨支部"
        variant.save()
        self.assertEqual(self.texts("units", q="东关"), ["东关村党支部（QX-CGZ-DGC）", "東關村黨支部（QX-CGZ-DGC）"])
        self.assertEqual(self.texts("units", q="东关", locale="zh-hans"), ["东关村党支部（QX-CGZ-DGC）"])
        self.assertEqual(self.texts("units", q="东关", locale="zh-hant"), ["東關村黨支部（QX-CGZ-DGC）"])
        # The editor of a Simplified item asks for Simplified units.
        self.assertContains(self.client.get(edit_url(self.item)), f'{search_url("units")}?locale=zh-hans')

    def test_groups_and_people_are_found_by_name(self):
        self.assertEqual(
            self.texts("groups", q="石橋鎮"),
            ["石桥镇党委（QX-SQZ）党员", "石桥镇党委（QX-SQZ）公开专员", "石桥镇党委（QX-SQZ）监督员", "石桥镇党委（QX-SQZ）领导小组"],
        )
        self.assertEqual(self.texts("people", q="晓芸"), ["李晓芸（officer）"])
        self.assertEqual(self.texts("people", q="approv"), ["杨建华（approver）"])

    def test_matches_come_a_page_at_a_time(self):
        county = reload(self.t.county)
        for number in range(PAGE_SIZE + 5):
            make_unit(county, f"青溪县第{number:02}党支部", f"QX-P{number:02}", UnitType.VILLAGE)
        first = self.search("units", q="青溪县第")
        second = self.search("units", q="青溪县第", page=2)
        self.assertEqual((len(first["results"]), first["pagination"]["more"]), (PAGE_SIZE, True))
        self.assertEqual((len(second["results"]), second["pagination"]["more"]), (5, False))
        ids = [row["id"] for row in first["results"] + second["results"]]
        self.assertEqual(sorted(ids), sorted(UnitPage.objects.filter(title__startswith="青溪县第").values_list("pk", flat=True)))
        self.assertEqual(self.search("units", q="青溪县第", page="x")["results"], first["results"])

    def test_the_search_offers_what_the_form_accepts(self):
        """The choices the select used to list, no more: every group (with the empty query, page by page)."""
        found, page = [], 1
        while True:
            answer = self.search("groups", page=page)
            found += [row["id"] for row in answer["results"]]
            if not answer["pagination"]["more"]:
                break
            page += 1
        self.assertEqual(sorted(found), sorted(Group.objects.values_list("pk", flat=True)))


class PeopleInScopeTests(AudienceChooserTestCase):
    """An editor finds the people of their units and the units below, not a province's names and account names."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make_user("dgc-member", reload(cls.t.village1).members_group, first_name="王东关")
        make_user("sqz-member", reload(cls.t.township2).members_group, first_name="王石桥")
        make_user("sqz-officer", reload(cls.t.township2).officers_group, first_name="王专员")
        cls.reviewer = make_user("reviewer", reload(cls.t.county).leading_group, first_name="赵明远")

    def found(self, user, q="王"):
        self.client.force_login(user)
        return self.texts("people", q=q)

    def test_a_township_officer_finds_its_own_and_its_villages_people_only(self):
        self.assertEqual(self.found(self.officer), ["王东关（dgc-member）"])
        self.assertEqual(self.found(self.officer, q="admin"), [])  # nor the superusers' account names

    def test_another_townships_officer_finds_its_own(self):
        self.assertEqual(set(self.found(User.objects.get(username="sqz-officer"))), {"王专员（sqz-officer）", "王石桥（sqz-member）"})

    def test_the_county_office_and_superusers_find_everyone_in_the_county(self):
        everyone = {"王东关（dgc-member）", "王专员（sqz-officer）", "王石桥（sqz-member）"}
        self.assertEqual(set(self.found(self.reviewer)), everyone)
        self.assertEqual(set(self.found(self.admin)), everyone)
        self.assertEqual(self.found(self.admin, q="admin"), ["admin"])


class SearchAccessTests(AudienceChooserTestCase):
    def test_anonymous_visitors_are_sent_to_log_in(self):
        for source in ("units", "groups", "people"):
            response = self.client.get(search_url(source), {"q": "城关"})
            self.assertEqual(response.status_code, 302)
            self.assertIn(reverse("wagtailadmin_login"), response["Location"])

    def test_members_without_the_admin_are_refused(self):
        self.client.force_login(make_member(self.t.village1, "dgc-member"))
        response = self.client.get(search_url("units"), {"q": "城关"})
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn("城关", response.content.decode())

    def test_admin_users_who_cannot_edit_any_item_are_refused(self):
        viewers = Group.objects.create(name="只读后台")
        viewers.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
        self.client.force_login(make_user("viewer", viewers))
        for source in ("units", "groups", "people"):
            response = self.client.get(search_url(source), {"q": "城关"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
            self.assertEqual(response.status_code, 403)
            self.assertNotIn("城关", response.content.decode())

    def test_officers_approvers_and_superusers_may_search(self):
        for user in (self.officer, self.approver, self.admin):
            self.client.force_login(user)
            self.assertEqual(self.texts("units", q="西关"), ["西关村党支部（QX-CGZ-XGC）"])


class SavingTests(AudienceChooserTestCase):
    """The form posts the chosen ids, as the select did; the audience rule is the model's."""

    def setUp(self):
        self.client.force_login(self.officer)

    def post(self, **fields):
        from tests.workflows.helpers import edit_form

        data = edit_form(self.item, **fields)
        return self.client.post(edit_url(self.item), data)

    def test_chosen_units_groups_and_people_are_saved(self):
        group = reload(self.t.department).members_group
        response = self.post(
            scope=Scope.NAMED, named_units=[self.t.village2.pk, self.t.township2.pk], named_groups=[group.pk],
            named_people=[self.officer.pk],
        )
        self.assertEqual(response.status_code, 302)
        draft = reload(self.item).get_latest_revision_as_object()
        self.assertEqual({unit.pk for unit in draft.named_units.all()}, {self.t.village2.pk, self.t.township2.pk})
        self.assertEqual([g.pk for g in draft.named_groups.all()], [group.pk])
        self.assertEqual([u.pk for u in draft.named_people.all()], [self.officer.pk])
        html = self.client.get(edit_url(self.item)).content.decode()
        for label in ("西关村党支部（QX-CGZ-XGC）", "中共石桥镇委员会（QX-SQZ）", "县财政局（QX-CZJ）党员", "李晓芸（officer）"):
            self.assertIn(label, html)
        self.assertNotIn("东关村党支部（QX-CGZ-DGC）", html)

    def test_a_named_scope_still_needs_someone_named(self):
        response = self.post(scope=Scope.NAMED, named_units=[], named_groups=[], named_people=[])
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "公开范围为“向指定组织或人员公开”时，须至少指定一个组织、用户组或人员。")

    def test_an_unknown_id_is_refused_and_not_shown_back(self):
        missing = UnitPage.objects.order_by("-pk").first().pk + 1000
        response = self.post(scope=Scope.NAMED, named_units=[self.t.village1.pk, missing])
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.context["form"].is_valid())
        self.assertIn("named_units", response.context["form"].errors)
        html = response.content.decode()
        self.assertIn("东关村党支部（QX-CGZ-DGC）", html)
        self.assertNotIn(f'value="{missing}"', html)

    def test_the_members_of_a_chosen_unit_read_the_published_item(self):
        response = self.post(scope=Scope.NAMED, named_units=[self.t.department.pk], named_groups=[], named_people=[])
        self.assertEqual(response.status_code, 302)
        reload(self.item).get_latest_revision().publish()  # as the review's last approval does
        item = reload(self.item)
        self.client.force_login(make_member(self.t.department, "czj-member"))
        self.assertEqual(self.client.get(item.url).status_code, 200)
        self.client.force_login(make_member(self.t.village1, "dgc-member"))
        self.assertNotEqual(self.client.get(item.url).status_code, 200)


class TraditionalAdminTests(AudienceChooserTestCase):
    def test_the_chooser_works_in_the_traditional_admin(self):
        profile = UserProfile.get_for_user(self.officer)
        profile.preferred_language = "zh-hant"
        profile.save()
        self.client.force_login(self.officer)
        response = self.client.get(edit_url(self.item))
        self.assertContains(response, 'lang="zh-hant"')
        self.assertContains(response, 'id="id_named_units-search"')
        self.assertContains(response, "东关村党支部（QX-CGZ-DGC）")
        self.assertEqual(self.texts("units", q="東關"), ["东关村党支部（QX-CGZ-DGC）"])
