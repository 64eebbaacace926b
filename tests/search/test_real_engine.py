"""The core engine checks against a real Elasticsearch 8 or OpenSearch 3, when one is given.

    ELASTICSEARCH_URL=http://127.0.0.1:9200 pytest tests/search/test_real_engine.py
    OPENSEARCH_URL=http://127.0.0.1:9200 pytest tests/search/test_real_engine.py

Each test works in indices of its own prefix and deletes them afterwards. Without the
variables the tests are skipped; test_engines.py runs the same checks, and more, against the
in-memory engine on every run.
"""

import os
import uuid

import pytest
from django.test import TestCase
from modelsearch.backends import get_search_backend

from disclosure_pages.choices import Scope
from tests.factories import edit_and_publish

from .test_engines import ELASTICSEARCH, OPENSEARCH, CountyData, EngineChecks, engine_settings, ids


class RealEngineChecks(CountyData, EngineChecks):
    variable = backend = None  # the environment variable with the engine's URL, the backend module

    def setUp(self):
        prefix = f"test_{uuid.uuid4().hex[:8]}_"
        self.page_index = prefix + "wagtailcore_page"
        settings = engine_settings(os.environ[self.variable], self.backend, prefix=prefix)
        settings.enable()
        self.addCleanup(settings.disable)
        self.addCleanup(self.delete_indices, prefix)  # cleanups run last first: before the settings go
        self.update_index()

    def delete_indices(self, prefix):
        es = get_search_backend("default").es
        # By name: Elasticsearch 8 refuses wildcard deletes by default.
        for name in es.indices.get_alias(index=f"{prefix}*"):
            es.indices.delete(index=name)

    def test_both_scripts_find_what_the_database_finds(self):
        variants = {self.variant(page).pk for page in (self.notice, self.plan, self.rules)}
        for text in ("党务公开", "黨務公開"):
            with self.subTest(text):
                self.assertSameAnswer(self.query(text), ids(self.notice, self.plan, self.rules))
                self.assertSameAnswer(self.query(text, locale="zh-hant"), variants)
        self.assertSameAnswer(self.query("〔2023〕5号"), ids(self.notice))
        self.assertSameAnswer(self.query("2023年"), ids(self.notice, self.plan))
        self.assertSameAnswer(self.query("党", year=2023), ids(self.notice, self.plan))

    def test_members_only_items_are_found_by_their_members_only(self):
        for user in (None, self.other_member):
            with self.subTest(user=user):
                self.assertSameAnswer(self.query("党务公开", user), ids(self.notice, self.plan, self.rules))
                self.assertEqual(self.found("党员名册", user), set())
                self.assertEqual(self.found("党员名册", user, "zh-hant"), set())
        self.assertSameAnswer(self.query("党务公开", self.member), ids(self.notice, self.plan, self.rules, self.members_only))
        self.assertEqual(self.found("党员名册", self.member, "zh-hant"), {self.variant(self.members_only).pk})
        self.assertEqual(self.found("草稿", self.superuser) | self.found("旧名单", self.superuser), set())

    def test_an_index_update_reaches_the_engine(self):
        edit_and_publish(self.plan, scope=Scope.UNIT_MEMBERS)
        self.assertEqual(self.apply_updates()[1], 0)
        self.assertSameAnswer(self.query("党务公开"), ids(self.notice, self.rules))

    def test_update_index_swaps_the_alias_to_a_new_index(self):
        es = get_search_backend("default").es
        [old] = es.indices.get_alias(name=self.page_index)
        self.update_index()
        [new] = es.indices.get_alias(name=self.page_index)
        self.assertNotEqual(new, old)
        self.assertFalse(es.indices.exists(index=old))
        self.assertEqual(self.found("党务公开"), ids(self.notice, self.plan, self.rules))


@pytest.mark.skipif(not os.environ.get("ELASTICSEARCH_URL"), reason="ELASTICSEARCH_URL is not set (an Elasticsearch 8 to test against)")
class ElasticsearchTests(RealEngineChecks, TestCase):
    variable, backend = "ELASTICSEARCH_URL", ELASTICSEARCH


@pytest.mark.skipif(not os.environ.get("OPENSEARCH_URL"), reason="OPENSEARCH_URL is not set (an OpenSearch 3 to test against)")
class OpenSearchTests(RealEngineChecks, TestCase):
    variable, backend = "OPENSEARCH_URL", OPENSEARCH
