"""``GET /api/v2/search/``: the search page's results as JSON, from the same query service.

The view lives with the API (token authentication, rate limits, JSON errors, the schema)
and asks ``search.service`` exactly as the search page does. Its answers are not kept in
the API's response cache: the search index follows the content through a background task,
so a cached answer could outlive a change of an item's scope.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from disclosure_pages.params import ID_MESSAGE, is_id, looks_numeric
from disclosure_pages.choices import Scope, Stage, Validity
from disclosure_pages.public_urls import public_url
from search.forms import MAX_QUERY_LENGTH, SORT_CHOICES
from search.schema import SCHEMA
from search.service import SearchUnavailable, UnknownUnit, search

from . import filters
from .conf import app_settings
from .errors import error_body, not_found
from .serializers import ErrorSerializer
from .views import ApiView, responses

MAX_PAGE_SIZE = 50


class SearchParams(filters.LocaleParams):
    q = serializers.CharField(min_length=1, max_length=1000, help_text="检索词，简体繁体均可；多个词用空格分开（须同时包含）。超过 100 字只取前 100 字。")
    unit = serializers.CharField(
        required=False, max_length=64, help_text="单位编码（如 YX-CGZ，见 facets）或单位 id：该单位及其下级组织的事项"
    )
    area = serializers.UUIDField(required=False, help_text="目录板块（facets 中 area 的 value）")
    entry = serializers.UUIDField(required=False, help_text="目录条目（facets 中 entry 的 value）")
    year = serializers.IntegerField(required=False, min_value=1949, max_value=2100, help_text="发布年份")
    stage = serializers.ChoiceField(required=False, choices=Stage.choices, help_text="公开阶段")
    validity = serializers.ChoiceField(required=False, choices=Validity.choices, help_text="截至今天的有效性")
    scope = serializers.ChoiceField(required=False, choices=Scope.choices, help_text="公开范围（党员令牌可用）")
    sort = serializers.ChoiceField(required=False, choices=SORT_CHOICES, default="relevance", help_text="相关度或日期（新在前）")
    page = serializers.IntegerField(required=False, min_value=1, max_value=500, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=10)

    def validate_unit(self, value):
        # ASCII digits are an id, as the other endpoints take (checked before any query);
        # anything else is a unit code (digits of other scripts included).
        if looks_numeric(value) and not is_id(value):
            raise serializers.ValidationError(f"单位 id {ID_MESSAGE}")
        return value


class SearchUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="page_id")
    title = serializers.CharField()
    title_html = serializers.CharField(help_text="标题，命中的词以 <mark> 标出（已转义）")
    url = serializers.URLField(help_text="事项页面的完整网址")
    unit = SearchUnitSerializer()
    date = serializers.DateField(source="publish_date", allow_null=True)
    index_number = serializers.CharField()
    document_number = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    validity = serializers.ChoiceField(choices=Validity.choices)
    withdrawn = serializers.BooleanField()
    snippet = serializers.CharField(source="snippet_html", help_text="命中处前后的正文，命中的词以 <mark> 标出（已转义）")


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="作为同名参数的值进行筛选")
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=[facet.name for facet in SCHEMA.facets])
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="找到的事项总数（仅您可见的）")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    locale = serializers.CharField()
    results = SearchHitSerializer(many=True)
    facets = FacetSerializer(many=True)


@extend_schema_view(get=extend_schema(
    operation_id="search",
    summary="全文检索",
    description="检索全县各单位公开事项的标题、摘要、正文和文号，返回总数、高亮的结果和分面统计。"
    "检索词可用简体或繁体，结果使用 locale 指定的文字。",
    parameters=[SearchParams],
    responses={
        **{status: body for status, body in responses(SearchResponseSerializer, 404).items() if status != 304},
        503: OpenApiResponse(ErrorSerializer, description="检索服务暂时不可用（code: search_unavailable），Retry-After 头给出建议等待秒数"),
    },
    tags=["search"],
))
class SearchView(ApiView):
    params_class = SearchParams

    def get(self, request):
        params = filters.parse(self.params_class, request)
        try:
            data = self.build(request, params)
        except SearchUnavailable:
            return Response(
                error_body("search_unavailable", "检索服务暂时不可用，请稍后再试。"),
                status=503, headers={"Retry-After": "30", "Cache-Control": "no-store"},
            )
        private = request.user.is_authenticated
        return Response(data, headers={
            "Cache-Control": "private, no-cache" if private else f"public, max-age={app_settings.SUNSHINE_API_CACHE_MAX_AGE}",
            "Vary": "Authorization",
        })

    def build(self, request, params):
        locale = params["locale"]
        names = [*(facet.name for facet in SCHEMA.facets), "sort", "page"]
        query = {name: params[name] for name in names if name in params}
        query["q"] = params["q"].replace("\x00", "")[:MAX_QUERY_LENGTH]
        if is_id(query.get("unit")):  # a unit id, as the other endpoints take
            query["unit"] = filters.unit_in(filters.visible_unit(int(query["unit"]), request.user), locale).code
        try:
            results = search(query, request.user, locale, page_size=params["page_size"])
        except UnknownUnit:
            raise not_found("没有该编码的单位。", code="unknown_unit") from None
        return SearchResponseSerializer({
            "count": results.count,
            "page": results.page,
            "page_size": results.page_size,
            "num_pages": results.num_pages,
            "locale": locale,
            "results": [
                {**vars(hit), "url": public_url(hit.url), "unit": {"code": hit.unit_code, "name": hit.unit_name}}
                for hit in results.results
            ],
            "facets": results.facets,
        }).data
