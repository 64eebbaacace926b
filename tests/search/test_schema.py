"""A facet is one line of the search schema (plus a migration when its column is new).

A test-only schema adds one ``Field`` line: 重要程度 (importance), a column every document
already has, becomes a facet. With nothing else changed, the search page takes it as a
parameter and refuses a wrong value, labels and counts it, and the database engine and the
OpenSearch-compatible engine filter and count it alike. A field the documents do not have
yet reaches the engine from its line alone.
"""

from unittest import mock

from django.contrib.auth.models import AnonymousUser
from django.test import TestCase
from modelsearch.backends import get_search_backend

from disclosure_pages.choices import Importance, Takedown
from search import schema
from search.schema import SCHEMA, Facet, Field, Schema, keyword
from search.updates import apply_due_updates
from tests.factories import edit_and_publish, make_item
from tests.search import test_engines
from tests.search.support import build_indexed_county, facet_counts, found_titles, search

# The one line.
IMPORTANCE = Field("importance", keyword(10), Facet("importance", "重要程度", choices=tuple(Importance.choices)))


def importance_facet():
    """The schema with the line above in place of the plain importance field."""
    fields = [IMPORTANCE if field.name == IMPORTANCE.name else field for field in SCHEMA.fields]
    return mock.patch.object(schema, "SCHEMA", Schema(fields))


class DatabaseEngineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()
        make_item(cls.tree.township, "城关镇重大事项公开", importance=Importance.IMPORTANT)
        apply_due_updates()

    def test_the_declared_facet_filters_counts_and_is_labelled(self):
        with importance_facet():
            results = search("公开")
            self.assertEqual(facet_counts(results, "importance"), {"一般事项": 3, "重要事项": 1})
            self.assertEqual(found_titles("公开", importance=Importance.IMPORTANT), {"城关镇重大事项公开"})
            narrowed = search("公开", importance=Importance.IMPORTANT)
            # The other facets count within the selection; this one still offers both options.
            self.assertEqual(sum(facet_counts(narrowed, "unit").values()), 1)
            self.assertEqual(facet_counts(narrowed, "importance"), {"一般事项": 3, "重要事项": 1})

    def test_the_page_takes_the_parameter_and_refuses_a_wrong_value(self):
        with importance_facet():
            page = self.client.get("/zh-hans/search/", {"q": "公开", "importance": Importance.IMPORTANT})
            wrong = self.client.get("/zh-hans/search/", {"q": "公开", "importance": "x"})
        html = page.content.decode()
        self.assertIn("<h2>重要程度</h2>", html)
        self.assertIn("找到 1 条", html)
        self.assertIn("城关镇重大事项<mark>公开</mark>", html)
        self.assertEqual(wrong.status_code, 400)
        self.assertIn("重要程度参数无效", wrong.content.decode())

    def test_without_the_line_there_is_no_such_facet(self):
        self.assertEqual(facet_counts(search("公开"), "importance"), {})
        self.assertEqual(self.client.get("/zh-hans/search/", {"q": "公开", "importance": "x"}).status_code, 200)


class EngineTests(test_engines.CountyData, test_engines.EngineTestCase):
    def test_the_engine_answers_the_declared_facet_as_the_database_does(self):
        self.important = make_item(self.t.township, "城关镇党务公开重大事项", importance=Importance.IMPORTANT)
        with importance_facet():
            self.update_index()
            self.apply_updates()
            answer = self.assertSameAnswer(
                self.query("党务公开"), test_engines.ids(self.notice, self.plan, self.rules, self.important)
            )
            self.assertEqual(answer.facets["importance"], {Importance.GENERAL: 3, Importance.IMPORTANT: 1})
            self.assertSameAnswer(self.query("党务公开", importance=Importance.IMPORTANT), {self.important.pk})
            page = self.search("党务公开", AnonymousUser(), importance=Importance.GENERAL)
        self.assertEqual(page.count, 3)
        self.assertEqual(
            [(o.label, o.count, o.selected) for f in page.facets if f.name == "importance" for o in f.options],
            [("一般事项", 3, True), ("重要事项", 1, False)],
        )

    def test_a_new_field_reaches_the_engine_from_its_line_alone(self):
        # 撤回状态 (takedown) is no field of the documents: its line adds it to the engine's
        # documents and mapping, filters and aggregations (the database would need its column).
        withdrawn = edit_and_publish(self.plan, takedown=Takedown.WITHDRAWN, takedown_reason="已被新目录替代")
        line = Field("takedown", keyword(10), Facet("takedown", "撤回状态", choices=tuple(Takedown.choices)))
        with mock.patch.object(schema, "SCHEMA", Schema([*SCHEMA.fields, line])):
            self.update_index()
            engine = get_search_backend("default")
            answer = engine.search_items(self.query("党务公开"))
            only_withdrawn = engine.search_items(self.query("党务公开", takedown=Takedown.WITHDRAWN))
        self.assertEqual(answer.facets["takedown"], {Takedown.NONE: 2, Takedown.WITHDRAWN: 1})
        self.assertEqual([hit.page_id for hit in only_withdrawn.hits], [withdrawn.pk])
