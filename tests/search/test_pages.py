"""The search page and /api/v2/search/ as a reader and an app see them."""

from unittest import mock

from django.test import TestCase, override_settings

from tests.factories import make_member
from tests.search.support import build_indexed_county

ROSTER = "东关村党员名册（党务公开内部）"


class SearchPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def test_results_are_listed_with_marks_facets_and_metadata(self):
        response = self.client.get("/zh-hans/search/", {"q": "党务公开"})
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("找到 2 条与“党务公开”相关的公开事项", html)
        self.assertIn("关于2023年<mark>党务公开</mark>工作的通知", html)
        self.assertIn("发布单位", html)
        self.assertIn("城关镇党委", html)
        self.assertIn("2023-03-01", html)
        self.assertIn(self.items["notice"].url, html)
        self.assertNotIn(ROSTER, html)

    def test_the_traditional_page_lists_traditional_items_for_either_query(self):
        for query in ("党务公开", "黨務公開"):
            html = self.client.get("/zh-hant/search/", {"q": query}).content.decode()
            self.assertIn("關於2023年<mark>黨務公開</mark>工作的通知", html)
            self.assertIn("全文檢索", html)

    def test_facet_links_filter_and_keep_the_query(self):
        html = self.client.get("/zh-hans/search/", {"q": "公开"}).content.decode()
        self.assertIn('href="?q=%E5%85%AC%E5%BC%80&amp;unit=QX-CGZ"', html)
        filtered = self.client.get("/zh-hans/search/", {"q": "公开", "unit": "QX-CGZ"}).content.decode()
        self.assertIn("找到 2 条", filtered)
        self.assertIn("东关村党支部", filtered)
        self.assertIn("已选条件", filtered)

    def test_the_script_switch_keeps_the_search(self):
        html = self.client.get("/zh-hans/search/", {"q": "党费", "year": "2024"}).content.decode()
        self.assertIn("?next=/zh-hant/search/%3Fq%3D%25E5%2585%259A%25E8%25B4%25B9%26year%3D2024", html)

    def test_without_a_query_the_page_offers_examples(self):
        html = self.client.get("/zh-hans/search/").content.decode()
        self.assertIn("常用检索", html)
        self.assertIn("简体、繁体均可", html)

    def test_nothing_found_says_what_to_try(self):
        html = self.client.get("/zh-hans/search/", {"q": "不存在的词语", "year": "2023"}).content.decode()
        self.assertIn("没有找到符合条件的公开事项", html)
        self.assertIn("取消全部筛选条件后再检索", html)

    def test_bad_parameters_get_a_chinese_message_not_an_error_page(self):
        for params, message in (
            ({"q": "党务", "year": "二〇二三"}, "年份参数无效"),
            ({"q": "党务", "page": "0"}, "页码参数无效"),
            ({"q": "党务", "page": "999999"}, "页码不能超过"),
            ({"q": "党务", "stage": "x"}, "公开阶段参数无效"),
            ({"q": "党务", "area": "not-a-key"}, "板块参数无效"),
            ({"q": "党务", "unit": "NO-SUCH"}, "没有找到该单位"),
            ({"q": "党务", "unit": "<script>"}, "单位参数无效"),
        ):
            response = self.client.get("/zh-hans/search/", params)
            self.assertEqual(response.status_code, 400, params)
            self.assertIn(message, response.content.decode(), params)

    def test_long_queries_are_cut_with_a_note(self):
        response = self.client.get("/zh-hans/search/", {"q": "党务公开" * 40})
        self.assertEqual(response.status_code, 200)
        self.assertIn("检索词过长", response.content.decode())

    def test_members_see_their_items_after_signing_in(self):
        self.client.force_login(make_member(self.tree.village1, "page-member"))
        response = self.client.get("/zh-hans/search/", {"q": "党员名册"})
        self.assertIn("东关村<mark>党员名册</mark>（党务公开内部）", response.content.decode())
        self.assertIn("private", response["Cache-Control"])

    def test_suggestions_are_json(self):
        response = self.client.get("/zh-hans/search/suggest/", {"q": "党费"})
        self.assertEqual(response.json()["suggestions"][0]["title"], "石桥镇党费收缴情况公示")
        self.assertEqual(self.client.get("/zh-hans/search/suggest/", {"q": "党员名册"}).json(), {"suggestions": []})


class SearchApiTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree, cls.items = build_indexed_county()

    def test_results_count_and_facets(self):
        response = self.client.get("/api/v2/search/", {"q": "公开", "locale": "zh-hans"})
        body = response.json()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(body["count"], 3)
        self.assertEqual(len(body["results"]), 3)
        hit = next(r for r in body["results"] if r["id"] == self.items["notice"].pk)
        self.assertEqual(hit["unit"], {"code": "QX-CGZ-DGC", "name": "东关村党支部"})
        self.assertEqual(hit["date"], "2023-03-01")
        self.assertTrue(hit["url"].startswith("http://testserver/zh-hans/"))
        self.assertIn("<mark>公开</mark>", hit["snippet"])
        unit_facet = next(f for f in body["facets"] if f["name"] == "unit")
        self.assertEqual({o["value"]: o["count"] for o in unit_facet["options"]}, {"QX-CGZ": 2, "QX-CZJ": 1})

    def test_traditional_locale_and_filters(self):
        body = self.client.get("/api/v2/search/", {"q": "党务公开", "locale": "zh-hant", "unit": "QX-CGZ-DGC"}).json()
        self.assertEqual([r["title"] for r in body["results"]], ["關於2023年黨務公開工作的通知"])
        self.assertEqual(body["locale"], "zh-hant")

    def test_pages_of_results(self):
        first = self.client.get("/api/v2/search/", {"q": "公开", "page_size": 2}).json()
        second = self.client.get("/api/v2/search/", {"q": "公开", "page_size": 2, "page": 2}).json()
        self.assertEqual((first["num_pages"], len(first["results"]), len(second["results"])), (2, 2, 1))

    def test_invalid_parameters_are_400_json_with_codes(self):
        for params, parameter in (
            ({"q": "党务", "locale": "en"}, "locale"),
            ({"q": "党务", "page_size": "500"}, "page_size"),
            ({"q": "党务", "page_size": "x"}, "page_size"),
            ({"q": "党务", "year": "1800"}, "year"),
            ({"q": "党务", "stage": "x"}, "stage"),
            ({"q": ""}, "q"),
            ({}, "q"),
        ):
            response = self.client.get("/api/v2/search/", params)
            self.assertEqual(response.status_code, 400, params)
            body = response.json()
            self.assertEqual(body["code"], "invalid_parameter", params)
            self.assertIn(parameter, body["errors"], params)
        self.assertEqual(self.client.get("/api/v2/search/", {"q": "党务", "color": "red"}).json()["code"], "unknown_parameter")

    def test_unknown_units_are_404(self):
        response = self.client.get("/api/v2/search/", {"q": "党务", "unit": "NOPE"})
        self.assertEqual((response.status_code, response.json()["code"]), (404, "unknown_unit"))

    def test_a_unit_id_works_like_its_code(self):
        by_id = self.client.get("/api/v2/search/", {"q": "公开", "unit": self.tree.township.pk}).json()
        by_code = self.client.get("/api/v2/search/", {"q": "公开", "unit": "QX-CGZ"}).json()
        self.assertEqual(by_id["count"], by_code["count"])
        self.assertEqual(by_id["count"], 2)

    def test_syntax_characters_and_long_queries_are_answered(self):
        for q in ['"党务" OR *', "党务" * 400, "\\", "%00", "！？"]:
            response = self.client.get("/api/v2/search/", {"q": q})
            self.assertEqual(response.status_code, 200, q)

    def test_anonymous_clients_never_get_members_only_items(self):
        body = self.client.get("/api/v2/search/", {"q": "党务公开"}).json()
        self.assertNotIn(ROSTER, [r["title"] for r in body["results"]])
        self.assertEqual(body["count"], 2)
        self.assertEqual(sum(o["count"] for f in body["facets"] if f["name"] == "year" for o in f["options"]), 2)

    @override_settings(SUNSHINE_SEARCH_FALLBACK_BACKEND=None)
    def test_an_unavailable_engine_is_a_503_not_a_500(self):
        with mock.patch("search.backends.database.DatabaseItemStore.search", side_effect=ConnectionError("down")):
            api = self.client.get("/api/v2/search/", {"q": "党务"})
            page = self.client.get("/zh-hans/search/", {"q": "党务"})
        self.assertEqual((api.status_code, api.json()["code"]), (503, "search_unavailable"))
        self.assertEqual(page.status_code, 503)
        self.assertIn("检索服务暂时不可用", page.content.decode())
