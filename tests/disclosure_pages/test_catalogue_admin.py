"""The catalogue in the admin: the county office edits it all, a unit adds its own local entries."""

from django.test import TestCase
from django.urls import reverse

from disclosure_pages.models import CatalogueEntry
from tests.factories import build_tree, make_user, reload

LIST_URL = reverse("wagtailsnippets_disclosure_pages_catalogueentry:list")
ADD_URL = reverse("wagtailsnippets_disclosure_pages_catalogueentry:add")


def edit_url(entry):
    return reverse("wagtailsnippets_disclosure_pages_catalogueentry:edit", args=[entry.pk])


def entry_form(area, unit=None, name="村级光伏电站收益分配", **fields):
    data = {"area": area.pk, "code": "X01", "name": name, "description": "", "default_scope": "public",
            "timing": "periodic", "period": "year", "deadline_days": "", "responsible": "村委会", "sort_order": "0",
            "unit": unit.pk if unit else ""}
    data.update(fields)
    return data


class CatalogueAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.county_officer = make_user("county-officer", reload(cls.t.county).officers_group)
        cls.officer = make_user("cgz-officer", reload(cls.t.township).officers_group)
        cls.other_officer = make_user("sqz-officer", reload(cls.t.township2).officers_group)
        cls.area = cls.t.areas["组织建设"]
        cls.local_entry = CatalogueEntry.objects.create(
            area=cls.area, unit=cls.t.township2, name="石桥镇集体林权流转", timing="stage"
        )

    def test_county_office_edits_a_county_entry(self):
        self.client.force_login(self.county_officer)
        entry = self.t.entries["发展党员"]
        response = self.client.post(edit_url(entry), entry_form(self.area, name="发展党员工作", timing="adhoc", period="", deadline_days="7"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CatalogueEntry.objects.get(pk=entry.pk).name, "发展党员工作")

    def test_unit_officer_adds_a_local_entry_for_their_own_unit(self):
        self.client.force_login(self.officer)
        response = self.client.post(ADD_URL, entry_form(self.area, unit=self.t.township))
        self.assertEqual(response.status_code, 302)
        entry = CatalogueEntry.objects.get(name="村级光伏电站收益分配")
        self.assertEqual(entry.unit_id, self.t.township.pk)
        self.assertIn(entry, reload(self.t.township).catalogue_entries())
        self.assertNotIn(entry, reload(self.t.township2).catalogue_entries())

    def test_unit_officer_cannot_add_a_county_entry_or_one_for_another_unit(self):
        self.client.force_login(self.officer)
        for unit in (None, self.t.township2):
            response = self.client.post(ADD_URL, entry_form(self.area, unit=unit, name="越权条目"))
            self.assertEqual(response.status_code, 200)
        self.assertFalse(CatalogueEntry.objects.filter(name="越权条目").exists())

    def test_unit_officer_sees_only_their_units_local_entries_and_cannot_edit_others(self):
        mine = CatalogueEntry.objects.create(area=self.area, unit=self.t.township, name="城关镇农贸市场摊位招租", timing="stage")
        self.client.force_login(self.officer)
        listing = self.client.get(LIST_URL)
        self.assertContains(listing, mine.name)
        self.assertNotContains(listing, self.local_entry.name)
        self.assertNotContains(listing, "述职述廉报告")
        for entry in (self.local_entry, self.t.entries["发展党员"]):
            response = self.client.post(edit_url(entry), entry_form(self.area, unit=self.t.township, name="被改写"))
            self.assertNotEqual(response.status_code, 200)
        self.assertFalse(CatalogueEntry.objects.filter(name="被改写").exists())

    def test_a_plain_member_has_no_catalogue_access(self):
        member = make_user("member", reload(self.t.township).members_group)
        self.client.force_login(member)
        self.assertNotEqual(self.client.get(LIST_URL).status_code, 200)
