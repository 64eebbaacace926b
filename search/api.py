"""``GET /api/v2/search/``: the search page's results as JSON, from the same query service."""

from django.utils import translation
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from disclosure_pages.templatetags.portal_tags import in_script

from .forms import SearchParametersForm
from .service import SearchUnavailable, UnknownUnit, search

LOCALES = ("zh-hans", "zh-hant")
MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 10


class SearchUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="page_id")
    title = serializers.CharField()
    title_html = serializers.CharField(help_text="The title with the matched words in <mark>.")
    url = serializers.CharField(help_text="Absolute URL of the item page.")
    unit = SearchUnitSerializer()
    date = serializers.DateField(source="publish_date", allow_null=True)
    index_number = serializers.CharField()
    document_number = serializers.CharField()
    stage = serializers.CharField()
    validity = serializers.CharField()
    withdrawn = serializers.BooleanField()
    snippet = serializers.CharField(source="snippet_html", help_text="Escaped text around the first match, matches in <mark>.")


class FacetOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    options = FacetOptionSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Exact number of items found for this client.")
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    locale = serializers.CharField()
    results = SearchResultSerializer(many=True)
    facets = FacetSerializer(many=True)


def error_response(status, code, message, errors=None):
    body = {"code": code, "message": in_script(message)}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class SearchAPIView(APIView):
    """Full-text search over every unit's disclosure items visible to the client.

    Parameters: ``q`` (required), ``locale`` (zh-hans or zh-hant), ``unit`` (unit code: the
    unit and the units below it), ``area`` and ``entry`` (catalogue keys from ``facets``),
    ``year``, ``stage``, ``validity``, ``scope`` (members), ``sort`` (relevance or date),
    ``page`` and ``page_size`` (at most 50).
    """

    def get(self, request):
        locale = request.GET.get("locale", "zh-hans")
        if locale not in LOCALES:
            return error_response(400, "invalid_locale", "locale 只能是 zh-hans 或 zh-hant。")
        page_size = request.GET.get("page_size", str(DEFAULT_PAGE_SIZE))
        if not page_size.isdigit() or not 1 <= int(page_size) <= MAX_PAGE_SIZE:
            return error_response(400, "invalid_page_size", f"page_size 须为 1 到 {MAX_PAGE_SIZE} 之间的整数。")
        with translation.override(locale):
            form = SearchParametersForm(request.GET)
            if not form.is_valid():
                errors = [{"parameter": name, "code": code, "message": in_script(message)} for name, code, message in form.error_list()]
                return error_response(400, "invalid_parameter", "请求参数有误。", errors)
            if not form.cleaned_data["q"].strip():
                return error_response(400, "missing_query", "请提供检索词 q。")
            try:
                results = search(form.cleaned_data, request.user, locale, page_size=int(page_size))
            except UnknownUnit:
                return error_response(400, "unknown_unit", "没有该编码的单位。")
            except SearchUnavailable:
                response = error_response(503, "search_unavailable", "检索服务暂时不可用，请稍后再试。")
                response["Retry-After"] = "30"
                return response
            body = SearchResponseSerializer(
                {
                    "count": results.count,
                    "page": results.page,
                    "page_size": results.page_size,
                    "num_pages": results.num_pages,
                    "locale": locale,
                    "results": [
                        {**vars(hit), "url": request.build_absolute_uri(hit.url), "unit": {"code": hit.unit_code, "name": hit.unit_name}}
                        for hit in results.results
                    ],
                    "facets": results.facets,
                }
            ).data
        response = Response(body)
        response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
        response["Vary"] = "Authorization, Cookie"
        return response
