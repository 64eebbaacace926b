"""The items' written-out representation is exactly what DRF makes of the declared fields,
which are what the OpenAPI schema documents."""

from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers as drf

from api.serializers import ItemDetailSerializer, ItemListSerializer, ItemSerializer
from disclosure_pages.models import DisclosureItemPage
from tests.api.test_disclosures import DisclosureTestCase
from tests.factories import d, edit_and_publish


class WrittenOutRepresentationTests(DisclosureTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        edit_and_publish(cls.village_item, takedown="withdrawn", takedown_reason="数据有误", takedown_date=d("2024-05-01"),
                         catalogue_entry=None)

    def setUp(self):
        self.context = {"request": RequestFactory().get("/api/v2/disclosures/"), "reader": self.users["cgz"]}
        # Every published item of both scripts: stages, an expired one, a withdrawn one
        # without a catalogue entry, members-only ones.
        self.items = list(DisclosureItemPage.objects.live().select_related("locale", "unit", "catalogue_entry__area").order_by("pk"))
        self.assertEqual(len(self.items), 18)

    def declared(self, serializer_class, item):
        serializer = serializer_class(context=self.context)
        return drf.Serializer.to_representation(serializer, item)

    def test_an_item_in_a_list_and_in_detail_in_both_scripts(self):
        for language in ("zh-hans", "zh-hant"):
            with translation.override(language):
                for item in self.items:
                    with self.subTest(item=item.title, language=language):
                        self.assertEqual(ItemSerializer(context=self.context).to_representation(item), self.declared(ItemSerializer, item))
                        self.assertEqual(ItemDetailSerializer(item, context=self.context).data, self.declared(ItemDetailSerializer, item))

    def test_a_list_reads_its_units_as_rows_with_the_same_result(self):
        data = {"meta": {"total_count": 18, "limit": 20, "offset": 0, "locale": "zh-hans", "next": None, "previous": None,
                         "next_updated_since": None, "full_resync_required": False}, "items": self.items, "tombstones": []}
        listed = ItemListSerializer(data, context=self.context).data
        self.assertEqual(listed["items"], [self.declared(ItemSerializer, item) for item in self.items])
        self.assertEqual(listed["items"][0]["unit"]["unit_type"]["value"], self.items[0].unit.unit_type)
