"""Members-only content never reaches a reader the item is not disclosed to, by any route.

Every endpoint is asked by the public, by members of the right and of other units (by
their tokens), and by a named person, in both scripts; what comes back is compared with
the table in tests/api/county.py.
"""

from chinese.conversion import to_traditional
from tests.api.county import DRAFT, MEMBERS_ONLY, PUBLIC, SECRET_BYTES, SEES, UNIT, CountyTestCase

READERS = list(SEES)
LOCALES = ("zh-hans", "zh-hant")


def in_script(title, locale):
    return to_traditional(title, "s2tw") if locale == "zh-hant" else title


class VisibilityTestCase(CountyTestCase):
    def titles(self, data):
        return {item["title"] for item in data["items"]}

    def expected(self, reader, locale):
        return {in_script(title, locale) for title in SEES[reader]}

    def page_ids(self, locale):
        """Our items' ids in ``locale``, by (Simplified) title; the draft has no variant."""
        ids = {}
        for title, item in self.items.items():
            if locale == "zh-hans":
                ids[title] = item.pk
            elif title != DRAFT:
                ids[title] = self.variant(item).pk
        return ids


class DisclosureEndpointTests(VisibilityTestCase):
    def test_the_list_shows_each_reader_exactly_their_items_in_both_scripts(self):
        for reader in READERS:
            for locale in LOCALES:
                with self.subTest(reader=reader, locale=locale):
                    data = self.json("/api/v2/disclosures/", reader, locale=locale)
                    self.assertEqual(self.titles(data), self.expected(reader, locale))
                    self.assertEqual(data["meta"]["total_count"], len(SEES[reader]))

    def test_filters_and_sync_see_no_more(self):
        queries = [
            {"unit": self.t.township.pk},
            {"unit": self.t.county.pk, "descendants": "true"},
            {"entry": self.entry.pk},
            {"updated_since": "2000-01-01T00:00:00Z"},
            {"order": "title", "limit": 100},
        ]
        for reader in READERS:
            for query in queries:
                for locale in LOCALES:
                    with self.subTest(reader=reader, query=query, locale=locale):
                        data = self.json("/api/v2/disclosures/", reader, locale=locale, **query)
                        self.assertEqual(self.titles(data), self.expected(reader, locale))

    def test_guessed_ids_answer_404_and_reveal_nothing(self):
        for reader in READERS:
            for locale in LOCALES:
                for title, pk in self.page_ids(locale).items():
                    with self.subTest(reader=reader, title=title, locale=locale):
                        response = self.get(f"/api/v2/disclosures/{pk}/", reader)
                        if title in SEES[reader]:
                            self.assertEqual(response.status_code, 200)
                            self.assertEqual(response.json()["title"], in_script(title, locale))
                        else:
                            self.assertEqual(response.status_code, 404)
                            self.assertEqual(response.json()["code"], "disclosure_not_found")
                            self.assertLeaksNothing(response)

    def test_the_other_script_and_the_stage_chain_link_only_visible_items(self):
        data = self.json(f"/api/v2/disclosures/{self.items[UNIT].pk}/", "cgz")
        self.assertEqual(data["other_script"]["id"], self.variant(self.items[UNIT]).pk)
        self.assertEqual(data["scope"]["value"], "unit")


class AttachmentTests(VisibilityTestCase):
    def test_a_members_only_file_downloads_only_with_a_token_of_its_audience(self):
        url = f"/api/v2/attachments/{self.secret_doc.pk}/"
        for reader in READERS:
            with self.subTest(reader=reader):
                response = self.get(url, reader)
                if UNIT in SEES[reader]:
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(self.body(response), SECRET_BYTES)
                    self.assertEqual(response["Cache-Control"], "private, no-cache")
                else:
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(SECRET_BYTES, self.body(response))

    def test_a_drafts_file_is_served_to_nobody(self):
        for reader in READERS:
            with self.subTest(reader=reader):
                self.assertEqual(self.get(f"/api/v2/attachments/{self.draft_doc.pk}/", reader).status_code, 404)

    def test_a_public_file_is_served_to_anyone_and_may_be_cached_by_proxies(self):
        response = self.get(f"/api/v2/attachments/{self.public_doc.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("public", response["Cache-Control"])
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertRegex(response["Content-Disposition"], r'^attachment; filename="zhuti[^"]*\.pdf"$')


class WagtailEndpointTests(VisibilityTestCase):
    """pages, images, documents: Wagtail's endpoints, held to the same rule."""

    def test_pages_list_and_fields_star_show_only_visible_items(self):
        simplified = set(self.page_ids("zh-hans").values())
        titles = {pk: title for locale in LOCALES for title, pk in self.page_ids(locale).items()}
        queries = [
            ({}, set(titles)),
            ({"fields": "*"}, set(titles)),
            ({"type": "disclosure_pages.DisclosureItemPage", "fields": "*"}, set(titles)),
            ({"child_of": self.t.township.pk}, simplified),
            ({"descendant_of": self.t.county.pk}, simplified),
        ]
        for reader in READERS:
            visible = {pk for pk, title in titles.items() if title in SEES[reader]}
            for query, among in queries:
                with self.subTest(reader=reader, query=query):
                    data = self.json("/api/v2/pages/", reader, limit=100, **query)
                    self.assertEqual({page["id"] for page in data["items"]} & set(titles), visible & among)

    def test_page_ids_of_hidden_items_answer_404_also_as_parents(self):
        for reader in READERS:
            for locale in LOCALES:
                for title, pk in self.page_ids(locale).items():
                    if title in SEES[reader]:
                        continue
                    with self.subTest(reader=reader, title=title, locale=locale):
                        for path, query in ((f"/api/v2/pages/{pk}/", {"fields": "*"}), ("/api/v2/pages/", {"child_of": pk}),
                                            ("/api/v2/pages/", {"descendant_of": pk}), ("/api/v2/pages/", {"ancestor_of": pk})):
                            response = self.get(path, reader, **query)
                            self.assertEqual(response.status_code, 404, (path, query))
                            self.assertLeaksNothing(response)

    def test_documents_lists_only_files_of_visible_live_items(self):
        for reader in READERS:
            with self.subTest(reader=reader):
                data = self.json("/api/v2/documents/", reader)
                expected = {self.public_doc.pk} | ({self.secret_doc.pk} if UNIT in SEES[reader] else set())
                self.assertEqual({document["id"] for document in data["items"]}, expected)
                self.assertEqual(self.get(f"/api/v2/documents/{self.draft_doc.pk}/", reader).status_code, 404)
                secret = self.get(f"/api/v2/documents/{self.secret_doc.pk}/", reader)
                self.assertEqual(secret.status_code, 200 if UNIT in SEES[reader] else 404)

    def test_images_lists_only_images_of_visible_live_pages(self):
        for reader in READERS:
            with self.subTest(reader=reader):
                data = self.json("/api/v2/images/", reader)
                expected = {self.public_image.pk} | ({self.secret_image.pk} if UNIT in SEES[reader] else set())
                self.assertEqual({image["id"] for image in data["items"]}, expected)
                secret = self.get(f"/api/v2/images/{self.secret_image.pk}/", reader)
                self.assertEqual(secret.status_code, 200 if UNIT in SEES[reader] else 404)


class FeedAndTreeTests(VisibilityTestCase):
    def test_feeds_list_public_items_only_whoever_asks(self):
        for reader in READERS:
            for locale in LOCALES:
                for query in ({}, {"unit": self.t.township.pk}, {"entry": self.entry.pk}):
                    with self.subTest(reader=reader, locale=locale, query=query):
                        response = self.get("/api/v2/feeds/", reader, locale=locale, **query)
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual([item["title"] for item in response.json()["items"]], [in_script(PUBLIC, locale)])
                        self.assertLeaksNothing(response)

    def test_catalogue_and_units_carry_no_items(self):
        for path in ("/api/v2/units/", "/api/v2/catalogue/"):
            for locale in LOCALES:
                self.assertLeaksNothing(self.get(path, "cgz", locale=locale), titles=(*MEMBERS_ONLY, DRAFT, PUBLIC))
