"""全体党员: the one group behind items disclosed to all party members."""

from django.test import TestCase
from wagtail.models import PageViewRestriction

from disclosure_pages.choices import Scope
from disclosure_pages.membership import ALL_MEMBERS_GROUP_NAME
from disclosure_pages.visibility import user_can_view
from tests.factories import build_tree, make_item, make_member, make_unit, make_user, reload


class AllMembersGroupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.item = make_item(cls.t.township, "全县党员学习安排", scope=Scope.ALL_MEMBERS)

    def all_members(self):
        from django.contrib.auth.models import Group

        return set(Group.objects.get(name=ALL_MEMBERS_GROUP_NAME).user_set.values_list("username", flat=True))

    def test_restriction_is_one_group_however_many_units(self):
        make_unit(reload(self.t.township2), "新建村党支部", "QX-SQZ-XJC", "village")
        restriction = PageViewRestriction.objects.get(page=self.item)
        self.assertEqual([group.name for group in restriction.groups.all()], [ALL_MEMBERS_GROUP_NAME])

    def test_joining_any_unit_makes_a_party_member_and_leaving_all_undoes_it(self):
        member = make_member(reload(self.t.village1), "dgc-member")
        self.assertIn("dgc-member", self.all_members())
        self.assertTrue(user_can_view(self.item, member))

        member.groups.add(reload(self.t.department).members_group)
        member.groups.remove(reload(self.t.village1).members_group)
        self.assertIn("dgc-member", self.all_members(), "still a member of the department")

        reload(self.t.department).members_group.user_set.remove(member)
        self.assertNotIn("dgc-member", self.all_members())
        self.assertFalse(user_can_view(self.item, reload_user(member)))

    def test_officers_and_other_groups_do_not_make_a_party_member(self):
        officer = make_user("cgz-officer", reload(self.t.township).officers_group)
        self.assertNotIn("cgz-officer", self.all_members())
        self.assertFalse(user_can_view(self.item, officer))

    def test_clearing_a_users_groups_removes_them(self):
        member = make_member(reload(self.t.township2), "sqz-member")
        member.groups.clear()
        self.assertNotIn("sqz-member", self.all_members())

    def test_deleting_a_unit_removes_its_members_unless_they_belong_elsewhere(self):
        only_here = make_member(reload(self.t.village2), "xgc-only")
        also_county = make_member(reload(self.t.village2), "xgc-and-county")
        also_county.groups.add(reload(self.t.county).members_group)
        reload(self.t.village2).delete()
        self.assertNotIn(only_here.username, self.all_members())
        self.assertIn(also_county.username, self.all_members())


def reload_user(user):
    return type(user).objects.get(pk=user.pk)
