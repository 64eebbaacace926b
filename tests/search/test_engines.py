"""Search on OpenSearch and Elasticsearch finds what the database finds, for the same people.

The engine is osmem, an in-memory OpenSearch-compatible server (tests/search/conftest.py):
one process per session, an empty clone of it per test. A class's items are published once
with only the database backend configured, so the class data holds the database's index;
each test points the "default" backend at its own clone and builds the engine's index with
``update_index``, as a deployment does. Both engines are then asked the same ``ItemQuery``:
the engine must answer as the database does — ids, count and facet counts — and both as
expected, so that they cannot agree on a wrong answer.
"""

import io
from unittest import mock

import elasticsearch
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from modelsearch.backends import get_search_backend
from wagtail.models import Locale

from disclosure_pages.choices import Scope, Stage, Takedown, Validity
from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.visibility import user_audience_keys
from search import service
from search.backends.elasticsearch import PlainJSONTransport
from search.models import PendingIndexUpdate
from search.query import SORT_DATE, ItemQuery
from search.updates import apply_due_updates
from tests.factories import build_tree, d, edit_and_publish, make_item, make_member, make_user, reload

OPENSEARCH = "search.backends.opensearch"
ELASTICSEARCH = "search.backends.elasticsearch"
CLOSED_PORT = "http://127.0.0.1:9"
PAGE_INDEX = "test_wagtailcore_page"


def engine_settings(url, backend=OPENSEARCH, fallback="database", prefix="test_", **options):
    """The engine at ``url`` as the default backend, the database backend beside it."""
    engine = {"BACKEND": backend, "URLS": [url], "INDEX_PREFIX": prefix, "TIMEOUT": 5}
    if options:
        engine["OPTIONS"] = options
    return override_settings(
        WAGTAILSEARCH_BACKENDS={"default": engine, "database": {"BACKEND": "search.backends.database"}},
        SUNSHINE_SEARCH_FALLBACK_BACKEND=fallback,
    )


def rich(text):
    return [("rich_text", f"<p>{text}</p>")]


def ids(*pages):
    return {page.pk for page in pages}


class EngineChecks:
    """Indexing on the default backend (an engine) and asking it and the database backend."""

    def update_index(self):
        call_command("update_index", backend_name="default", stdout=io.StringIO())

    def apply_updates(self):
        """What the task does after a commit, then a refresh (osmem shows writes at once, real engines do not)."""
        result = apply_due_updates()
        get_search_backend("default").refresh_indexes()
        return result

    def pending(self, backend="default"):
        return PendingIndexUpdate.objects.filter(backend=backend)

    def query(self, text, user=None, locale="zh-hans", facet_root_path=None, limit=50, **options):
        """The ItemQuery the service builds for ``user`` (anonymous by default), with room for every hit.

        ``options`` are ItemQuery's (sort, offset) or facet filters by facet name."""
        county = self.t.county if locale == "zh-hans" else reload(self.t.county).get_translation(self.hant)
        audience = user_audience_keys(user or AnonymousUser())
        settings = {name: options.pop(name) for name in ("sort", "offset", "page_ids") if name in options}
        return ItemQuery(
            text=text, locale=locale, audience=audience, filters=options, facet_root_path=facet_root_path or county.path,
            limit=limit, **settings,
        )

    def assertSameAnswer(self, query, expected):
        """The engine answers ``query`` as the database does, finding the ``expected`` ids; returns its answer."""
        database = get_search_backend("database").search_items(query)
        engine = get_search_backend("default").search_items(query)
        self.assertEqual({hit.page_id for hit in database.hits}, expected, f"database: {query.text}")
        self.assertEqual({hit.page_id for hit in engine.hits}, expected, f"engine: {query.text}")
        self.assertEqual((engine.count, engine.facets), (database.count, database.facets), query.text)
        self.assertEqual(engine.count, len(expected), query.text)
        return engine

    def search(self, text, user=None, locale="zh-hans", **params):
        """The search service's page for ``user``, answered by the engine (not the fallback)."""
        page = service.search({"q": text, **params}, user or AnonymousUser(), locale)
        self.assertEqual((page.engine, page.degraded), ("default", False))
        return page

    def found(self, text, user=None, locale="zh-hans", **params):
        return {result.page_id for result in self.search(text, user, locale, **params).results}


class EngineTestCase(EngineChecks, TestCase):
    """Each test runs with the default backend on its own empty osmem clone."""

    @pytest.fixture(autouse=True)
    def _engine(self, osmem_clone):
        self.engine_url = osmem_clone.url
        with engine_settings(osmem_clone.url):
            yield


class CountyData:
    """Seven items of the small county that exercise the analysis, the facets and the access rule.

    Anonymous readers may find notice, plan, dues and rules (each with a Traditional variant);
    members_only only members of 东关村; draft and removed nobody.
    """

    @classmethod
    def setUpTestData(cls):
        cls.t = t = build_tree()
        cls.hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        cls.notice = make_item(
            t.village1, "关于2023年党务公开工作的通知", document_number="〔2023〕5号", document_date=d("2023-02-28"),
            body=rich("各党支部要做好党务公开工作，按〔2023〕5号文件要求收缴党费，将Excel台账报镇党委。"),
            publish_date=d("2023-03-01"), catalogue_entry=t.entries["重大决策部署"],
        )
        cls.plan = make_item(
            t.township, "城关镇2023年党务公开目录", publish_date=d("2023-05-10"), stage=Stage.DECISION,
            catalogue_entry=t.entries["任期目标和年度计划"],
        )
        cls.dues = make_item(
            t.township2, "石桥镇党费收缴情况公示", body=rich("2024年第一季度党费收缴明细见excel附件。"),
            publish_date=d("2024-01-15"), catalogue_entry=t.entries["党费收缴使用"],
        )
        cls.rules = make_item(
            t.department, "县财政局党务公开工作制度", publish_date=d("2022-06-01"), expiry_date=d("2023-12-31"),
        )
        cls.members_only = make_item(
            t.village1, "东关村党员名册", scope=Scope.UNIT_MEMBERS, publish_date=d("2023-04-01"),
            body=rich("党务公开内部名单：2023年本村党员名册，仅限本村党员查阅。"),
        )
        cls.draft = make_item(t.township, "城关镇党务公开草稿", publish=False, body=rich("2023年党费 Excel"))
        cls.removed = edit_and_publish(
            make_item(t.township2, "石桥镇党务公开旧名单", body=rich("2023年党员身份证号码 Excel")),
            takedown=Takedown.REMOVED, takedown_reason="含有个人身份证号码，须撤除",
        )
        cls.member = make_member(t.village1, "dongguan-member")
        cls.other_member = make_member(t.township2, "shiqiao-member")
        cls.superuser = make_user("root", is_superuser=True)
        applied, failed = apply_due_updates()  # "default" is the database backend here
        assert applied and not failed

    def variant(self, page):
        return reload(page).get_translation(self.hant)


class EngineSearchTests(CountyData, EngineTestCase):
    def setUp(self):
        self.update_index()

    def text_cases(self):
        public = ids(self.notice, self.plan, self.dues, self.rules)
        return [
            ("党务公开", ids(self.notice, self.plan, self.rules)),
            ("黨務公開", ids(self.notice, self.plan, self.rules)),  # a Traditional query finds Simplified items
            ("2023年", ids(self.notice, self.plan)),
            ("〔2023〕5号", ids(self.notice)),
            ("（2023）5號", ids(self.notice)),  # other brackets, full-width, Traditional 號
            ("EXCEL", ids(self.notice, self.dues)),
            ("党", public),
            ("党务公开 2023年", ids(self.notice, self.plan)),
            ("公开 党费", ids(self.notice)),
            ("财政局制度", set()),  # one word is one phrase
        ]

    def facet_cases(self):
        township = self.t.township.path
        return [
            ({"unit": township, "facet_root_path": township}, ids(self.notice, self.plan)),  # with its villages
            ({"year": 2023}, ids(self.notice, self.plan)),
            ({"stage": Stage.DECISION}, ids(self.plan)),
            ({"validity": Validity.EXPIRED}, ids(self.rules)),
            ({"validity": Validity.VALID}, ids(self.notice, self.plan, self.dues)),
            ({"area": str(self.t.areas["组织建设"].translation_key)}, ids(self.dues)),
            ({"entry": str(self.t.entries["重大决策部署"].translation_key), "year": 2023}, ids(self.notice)),
            ({"year": 2023, "validity": Validity.EXPIRED}, set()),
        ]

    def assertSameAnswers(self):
        for text, expected in self.text_cases():
            with self.subTest(text):
                self.assertSameAnswer(self.query(text), expected)
        for filters, expected in self.facet_cases():
            with self.subTest(filters):
                self.assertSameAnswer(self.query("党", **filters), expected)

    def test_queries_find_on_the_engine_what_they_find_in_the_database(self):
        self.assertSameAnswers()

    def test_a_facet_counts_every_other_filter_but_not_its_own(self):
        answer = self.assertSameAnswer(self.query("党", year=2023, stage=Stage.OTHER), ids(self.notice))
        self.assertEqual(answer.facets["year"], {2022: 1, 2023: 1, 2024: 1})
        self.assertEqual(answer.facets["stage"], {Stage.OTHER: 1, Stage.DECISION: 1})
        self.assertEqual(answer.facets["validity"], {Validity.VALID: 1})
        answer = self.assertSameAnswer(self.query("党务公开"), ids(self.notice, self.plan, self.rules))
        self.assertEqual(answer.facets["unit"], {self.t.township.path: 2, self.t.department.path: 1})
        self.assertEqual(answer.facets["validity"], {Validity.VALID: 2, Validity.EXPIRED: 1})

    def test_the_search_page_data_is_the_same_on_both_engines(self):
        params = {"q": "党", "unit": self.t.township.code, "year": 2023}
        on_engine = service.search(params, AnonymousUser(), "zh-hans")
        self.assertEqual(on_engine.engine, "default")
        with override_settings(SUNSHINE_SEARCH_BACKEND="database"):
            on_database = service.search(params, AnonymousUser(), "zh-hans")
        self.assertEqual(on_database.engine, "database")
        options = {(f.name, o.value, o.label, o.count) for f in on_engine.facets for o in f.options}
        self.assertEqual(options, {(f.name, o.value, o.label, o.count) for f in on_database.facets for o in f.options})
        self.assertIn(("unit", self.t.village1.code, "东关村党支部", 1), options)
        self.assertIn(("unit", self.t.township.code, "城关镇党委（本级）", 1), options)
        self.assertEqual(
            {(r.page_id, r.title_html, r.snippet_html) for r in on_engine.results},
            {(r.page_id, r.title_html, r.snippet_html) for r in on_database.results},
        )
        self.assertEqual(on_engine.count, 2)

    def test_a_search_limited_to_some_items_finds_only_those_it_would_find(self):
        """``page_ids``: whether new items match a saved search (alerts), on every engine alike."""
        some = (self.notice.pk, self.dues.pk, self.members_only.pk, self.draft.pk, self.variant(self.plan).pk)
        cases = [
            (self.query("党", page_ids=some), ids(self.notice, self.dues)),  # not members-only, a draft, another script's
            (self.query("党费", page_ids=some), ids(self.notice, self.dues)),
            (self.query("党", unit=self.t.township.path, page_ids=some), ids(self.notice)),
            (self.query("党", page_ids=(self.plan.pk,)), ids(self.plan)),
            (self.query("党", page_ids=()), set()),
        ]
        for query, expected in cases:
            with self.subTest(query.page_ids):
                self.assertSameAnswer(query, expected)
        found = service.found_among({"q": "黨費", "unit": self.t.township.code}, "zh-hans", some)
        self.assertEqual(found, ids(self.notice))

    def test_date_order_and_pages_agree(self):
        for offset, expected in ((0, [self.dues, self.plan]), (2, [self.notice, self.rules])):
            query = self.query("党", sort=SORT_DATE, offset=offset, limit=2)
            database = get_search_backend("database").search_items(query)
            engine = get_search_backend("default").search_items(query)
            self.assertEqual([hit.page_id for hit in engine.hits], [page.pk for page in expected])
            self.assertEqual([hit.page_id for hit in database.hits], [page.pk for page in expected])
            self.assertEqual((engine.count, database.count), (4, 4))

    def test_title_matches_rank_first_and_hits_carry_what_results_show(self):
        for backend in ("default", "database"):
            hits = get_search_backend(backend).search_items(self.query("党费")).hits
            self.assertEqual([hit.page_id for hit in hits], [self.dues.pk, self.notice.pk], backend)
        page = self.search("excel")
        notice = next(result for result in page.results if result.page_id == self.notice.pk)
        self.assertEqual(
            (notice.unit_name, notice.document_number, notice.publish_date, notice.url, notice.index_number),
            ("东关村党支部", "〔2023〕5号", d("2023-03-01"), self.notice.url, self.notice.index_number),
        )
        self.assertIn("<mark>Excel</mark>", notice.snippet_html)
        rules = self.search("财政局")
        self.assertEqual([(r.page_id, r.validity) for r in rules.results], [(self.rules.pk, Validity.EXPIRED)])

    # -- the access rule ---------------------------------------------------------------------

    def unit_counts(self, page):
        return {option.value: option.count for facet in page.facets if facet.name == "unit" for option in facet.options}

    def test_members_only_items_are_found_by_their_members_only(self):
        for user in (None, self.other_member):
            with self.subTest(user=user):
                page = self.search("党务公开", user)
                self.assertEqual({r.page_id for r in page.results}, ids(self.notice, self.plan, self.rules))
                self.assertEqual(page.count, 3)
                self.assertEqual(self.unit_counts(page), {self.t.township.code: 2, self.t.department.code: 1})
                html = "".join(r.title_html + r.snippet_html for r in page.results)
                for text in ("东关村党员名册", "仅限本村党员查阅", "内部名单"):
                    self.assertNotIn(text, html)
                self.assertEqual(self.found("党员名册", user), set())
                self.assertEqual(service.suggest("党员", user or AnonymousUser(), "zh-hans"), [])
                self.assertSameAnswer(self.query("仅限本村党员", user), set())
        page = self.search("党务公开", self.member)
        self.assertEqual({r.page_id for r in page.results}, ids(self.notice, self.plan, self.rules, self.members_only))
        self.assertEqual(self.unit_counts(page), {self.t.township.code: 3, self.t.department.code: 1})
        snippet = next(r.snippet_html for r in page.results if r.page_id == self.members_only.pk)
        self.assertIn("仅限本村党员查阅", snippet)
        self.assertEqual([s["title"] for s in service.suggest("党员", self.member, "zh-hans")], ["东关村党员名册"])
        self.assertSameAnswer(self.query("仅限本村党员", self.member), ids(self.members_only))

    def test_drafts_and_removed_items_are_never_found(self):
        for user in (None, self.member, self.superuser):
            for text in ("草稿", "旧名单", "身份证号码"):
                with self.subTest(user=user, text=text):
                    self.assertEqual(self.found(text, user), set())
                    self.assertEqual(self.found(text, user, "zh-hant"), set())
                    self.assertEqual(service.suggest(text, user or AnonymousUser(), "zh-hans"), [])
        self.assertSameAnswer(self.query("excel", self.superuser), ids(self.notice, self.dues))
        self.assertEqual(self.found("党员名册", self.superuser), ids(self.members_only))

    def test_removal_takes_an_item_out_and_withdrawal_keeps_it_marked(self):
        edit_and_publish(self.dues, takedown=Takedown.REMOVED, takedown_reason="含有个人信息，须撤除")
        edit_and_publish(self.rules, takedown=Takedown.WITHDRAWN, takedown_reason="已被新制度代替")
        self.assertEqual(self.apply_updates()[1], 0)
        for user in (None, self.superuser):
            with self.subTest(user=user):
                self.assertEqual(self.found("党费收缴", user), set())
                self.assertEqual(self.found("黨費收繳", user, "zh-hant"), set())
                self.assertSameAnswer(self.query("excel", user), ids(self.notice))
        [rules] = self.search("财政局").results
        self.assertEqual((rules.page_id, rules.withdrawn), (self.rules.pk, True))
        [variant] = self.search("财政局", locale="zh-hant").results
        self.assertEqual((variant.page_id, variant.withdrawn), (self.variant(self.rules).pk, True))

    def test_unpublishing_takes_an_item_out(self):
        reload(self.plan).unpublish()
        self.assertEqual(self.apply_updates()[1], 0)
        self.assertEqual(self.found("党务公开"), ids(self.notice, self.rules))
        self.assertEqual(self.found("黨務公開", locale="zh-hant"), ids(self.variant(self.notice), self.variant(self.rules)))
        self.assertSameAnswer(self.query("2023年"), ids(self.notice))

    def test_a_scope_change_to_members_takes_an_item_out_for_everyone_else(self):
        township_member = make_member(self.t.township, "chengguan-member")
        edit_and_publish(self.plan, scope=Scope.UNIT_MEMBERS)
        self.assertEqual(self.apply_updates()[1], 0)
        for user in (None, self.other_member):
            with self.subTest(user=user):
                self.assertEqual(self.found("目录", user), set())
                self.assertEqual(self.found("目錄", user, "zh-hant"), set())
                self.assertEqual(service.suggest("目录", user or AnonymousUser(), "zh-hans"), [])
                self.assertSameAnswer(self.query("党务公开", user), ids(self.notice, self.rules))
        self.assertEqual(self.found("目录", township_member), ids(self.plan))
        self.assertEqual(self.found("目錄", township_member, "zh-hant"), ids(self.variant(self.plan)))

    # -- the Traditional site ----------------------------------------------------------------

    def test_traditional_variants_are_found_by_either_script(self):
        variants = ids(self.variant(self.notice), self.variant(self.plan), self.variant(self.rules))
        for text in ("党务公开", "黨務公開"):
            with self.subTest(text):
                self.assertEqual(self.found(text, locale="zh-hant"), variants)
                self.assertSameAnswer(self.query(text, locale="zh-hant"), variants)
        self.assertSameAnswer(self.query("〔2023〕5號", locale="zh-hant"), ids(self.variant(self.notice)))
        page = self.search("党务公开", locale="zh-hant")
        self.assertTrue(all("<mark>黨務公開</mark>" in result.title_html for result in page.results))

    def test_traditional_variants_follow_the_access_rule(self):
        hidden = self.variant(self.members_only)
        for user in (None, self.other_member):
            with self.subTest(user=user):
                self.assertNotIn(hidden.pk, self.found("黨務公開", user, "zh-hant"))
                self.assertEqual(service.suggest("黨員", user or AnonymousUser(), "zh-hant"), [])
                self.assertSameAnswer(self.query("仅限本村党员", user, "zh-hant"), set())
        self.assertIn(hidden.pk, self.found("党务公开", self.member, "zh-hant"))
        self.assertEqual([s["url"] for s in service.suggest("党员", self.member, "zh-hant")], [hidden.url])

    # -- the Elasticsearch 8 client ------------------------------------------------------------

    def test_without_plain_json_the_engine_refuses_the_elasticsearch_client(self):
        with engine_settings(self.engine_url, ELASTICSEARCH):
            with self.assertRaises(elasticsearch.ApiError) as refused:
                get_search_backend("default").search_items(self.query("党务公开"))
        self.assertEqual(refused.exception.meta.status, 406)

    def test_the_elasticsearch_client_indexes_and_finds_the_same(self):
        with engine_settings(self.engine_url, ELASTICSEARCH, transport_class=PlainJSONTransport):
            self.update_index()
            self.assertSameAnswers()
            edit_and_publish(self.plan, scope=Scope.UNIT_MEMBERS)
            self.assertEqual(self.apply_updates()[1], 0)
            self.assertSameAnswer(self.query("党务公开"), ids(self.notice, self.rules))


class EngineOperationsTests(EngineTestCase):
    """An engine that is down, new, or rebuilt: edits go on, search answers, no update is lost."""

    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()
        cls.hant = Locale.objects.get_or_create(language_code="zh-hant")[0]
        cls.notice = make_item(cls.t.village1, "关于2023年党务公开工作的通知", body=rich("〔2023〕5号文件已印发。"))
        applied, failed = apply_due_updates()  # "default" is the database backend here
        assert applied and not failed

    def publish(self, title="石桥镇党费收缴情况公示", **fields):
        """Publish an item and run what its commit schedules: the index update task."""
        with self.captureOnCommitCallbacks(execute=True):
            return make_item(self.t.township2, title, **fields)

    def es(self):
        return get_search_backend("default").es

    def test_an_unreachable_engine_delays_updates_and_search_answers_from_the_database(self):
        self.update_index()
        with engine_settings(CLOSED_PORT):
            before = timezone.now()
            dues = self.publish()
            self.assertTrue(dues.live)
            rows = list(self.pending())
            self.assertIn(dues.pk, {row.page_id for row in rows})
            for row in rows:
                self.assertEqual(row.attempts, 1)
                self.assertGreater(row.next_attempt_at, before)
                self.assertIn("Connection", row.last_error)
            self.assertFalse(self.pending("database").exists())
            page = service.search({"q": "党费"}, AnonymousUser(), "zh-hans")
            self.assertEqual((page.engine, page.degraded), ("database", True))
            self.assertEqual([result.page_id for result in page.results], [dues.pk])
            response = self.client.get("/zh-hans/search/", {"q": "党费"})
            self.assertContains(response, "当前结果由备用检索提供")
            self.assertContains(response, "石桥镇<mark>党费</mark>收缴情况公示")
            self.assertEqual(self.client.get("/api/v2/search/", {"q": "党费"}).json()["count"], 1)
        self.assertEqual(self.found("党费"), set(), "the engine has not taken the update yet")
        self.pending().update(next_attempt_at=None)
        self.assertEqual(self.apply_updates(), (len(rows), 0))
        self.assertFalse(PendingIndexUpdate.objects.exists())
        self.assertEqual(self.found("党费"), ids(dues))
        self.assertEqual(self.found("黨費", locale="zh-hant"), ids(reload(dues).get_translation(self.hant)))

    def test_without_a_fallback_the_page_and_the_api_answer_503(self):
        with engine_settings(CLOSED_PORT, fallback=None):
            response = self.client.get("/zh-hans/search/", {"q": "党务公开"})
            self.assertContains(response, "检索服务暂时不可用", status_code=503)
            response = self.client.get("/api/v2/search/", {"q": "党务公开"})
            self.assertEqual(response.status_code, 503)
            self.assertEqual(response.json()["code"], "search_unavailable")
            self.assertIn("检索服务暂时不可用", response.json()["message"])
            self.assertEqual(response["Retry-After"], "30")
            response = self.client.get("/zh-hans/search/suggest/", {"q": "党务"})
            self.assertEqual(response.json(), {"suggestions": []})

    def test_a_new_engine_takes_updates_once_update_index_made_its_index(self):
        dues = self.publish()
        self.assertFalse(self.es().indices.exists(index=PAGE_INDEX), "an update must not create the index")
        rows = list(self.pending())
        self.assertTrue(rows)
        self.assertIn("update_index", rows[0].last_error)
        page = service.search({"q": "党费"}, AnonymousUser(), "zh-hans")
        self.assertEqual(([result.page_id for result in page.results], page.degraded), ([dues.pk], True))
        self.update_index()
        self.assertEqual(self.found("党费"), ids(dues))
        self.pending().update(next_attempt_at=None)
        self.assertEqual(self.apply_updates(), (len(rows), 0))
        self.assertFalse(PendingIndexUpdate.objects.exists())
        self.assertEqual(self.found("党务公开"), ids(self.notice))

    def aliased(self):
        return set(self.es().indices.get_alias(name=PAGE_INDEX))

    def wrapped(self, owner, name, wrapper):
        """Patch method ``name`` of the default backend's ``owner`` ("index_class", …) with ``wrapper(original, self, …)``."""
        owner = getattr(get_search_backend("default"), owner)
        original = getattr(owner, name)
        return mock.patch.object(owner, name, lambda this, *args: wrapper(original, this, *args))

    def test_update_index_fills_a_new_index_and_swaps_the_alias_while_search_answers(self):
        self.update_index()
        [old] = self.aliased()
        self.assertEqual(self.found("党务公开"), ids(self.notice))
        filled, swapped = [], []

        def search_then_finish(finish, rebuilder):
            if rebuilder.alias.name == PAGE_INDEX:
                filled.append((rebuilder.index.name, self.aliased(), self.found("党务公开")))
            finish(rebuilder)

        def search_then_delete(delete, index):
            if index.name == old:
                swapped.append((self.aliased(), self.search("党务公开").count))
            delete(index)

        with self.wrapped("atomic_rebuilder_class", "finish", search_then_finish):
            with self.wrapped("index_class", "delete", search_then_delete):
                self.update_index()
        [(new, aliased, found)] = filled
        self.assertNotEqual(new, old)
        self.assertEqual((aliased, found), ({old}, ids(self.notice)), "the old index answers while the new one fills")
        # One request moved the alias: it never pointed at both indices (every item found twice).
        self.assertEqual(swapped, [({new}, 1)])
        self.assertEqual(self.aliased(), {new})
        self.assertFalse(self.es().indices.exists(index=old))
        self.assertEqual(self.found("党务公开"), ids(self.notice))

    def narrow_and_unpublish(self, dues):
        """Changes indexed (in the old index) while a rebuild runs."""
        edit_and_publish(self.notice, scope=Scope.UNIT_MEMBERS)
        reload(dues).unpublish()
        self.assertEqual(self.apply_updates()[1], 0)
        self.assertEqual(self.found("党"), set())

    def test_changes_indexed_after_the_rebuild_loaded_its_index_survive_the_swap(self):
        self.update_index()
        dues = self.publish()

        def change_then_finish(finish, rebuilder):
            if rebuilder.alias.name == PAGE_INDEX:
                self.narrow_and_unpublish(dues)
            finish(rebuilder)

        with self.wrapped("atomic_rebuilder_class", "finish", change_then_finish):
            self.update_index()
        self.assertEqual(self.found("党"), set())
        self.assertEqual(self.found("党", locale="zh-hant"), set())
        self.assertEqual(self.found("党", make_member(self.t.village1, "member")), ids(self.notice))

    def test_a_rebuild_does_not_bring_back_what_it_read_before_a_change(self):
        self.update_index()
        dues = self.publish()
        changed = []

        def change_then_load(add_items, index, model, items):
            if index.loading and issubclass(model, DisclosureItemPage) and not changed:
                changed.append(model)
                self.narrow_and_unpublish(dues)  # the rebuild read these items before
            add_items(index, model, items)

        with self.wrapped("index_class", "add_items", change_then_load):
            self.update_index()
        self.assertTrue(changed)
        self.assertEqual(self.found("党"), set())
        self.assertEqual(self.found("党", locale="zh-hant"), set())
