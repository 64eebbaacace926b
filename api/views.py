"""The project's own endpoints under /api/v2/: disclosures, units, catalogue, feeds, attachments.

Every query goes through ``disclosure_pages.visibility.visible_pages`` (directly or through
``disclosure_pages.listings``) with the reader: the token's member, or the public.
"""

from datetime import timedelta

from django.conf import settings
from django.http import FileResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.http import urlencode
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.documents import get_document_model

from disclosure_pages.params import is_id
from disclosure_pages.attachments import ALLOW, document_access
from disclosure_pages.feeds import feed_items
from disclosure_pages.listings import catalogues_for, unit_tree, visible_items
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, PortalPage
from disclosure_pages.public_urls import public_url
from disclosure_pages.visibility import ANONYMOUS, visible_pages

from . import filters, serializers
from .auth import MemberTokenAuthentication
from .caching import conditional_response, listed_page
from .conf import app_settings
from .errors import exception_handler, keep_404s, not_found
from .models import Tombstone
from .preview import previewed_documents, read_token
from .throttling import ClientRateThrottle

# How far back ``next_updated_since`` reaches: an item published in a transaction that was
# still open when the list was read carries an earlier time, and must not be skipped.
SYNC_OVERLAP = timedelta(minutes=1)

ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="参数有误（code: invalid_parameter、unknown_parameter）"),
    401: OpenApiResponse(serializers.ErrorSerializer, description="访问令牌无效或已过期（code: invalid_token）"),
    404: OpenApiResponse(serializers.ErrorSerializer, description="没有该资源，或您无权查看（code: not_found 等）"),
    429: OpenApiResponse(serializers.ErrorSerializer, description="请求过于频繁（code: throttled），Retry-After 头给出等待秒数"),
}
NOT_MODIFIED = {304: OpenApiResponse(description="内容未变（If-None-Match / If-Modified-Since）")}


def responses(ok, *statuses):
    return {200: ok, **NOT_MODIFIED, **{status: ERRORS[status] for status in (400, 401, 429, *statuses)}}


class ApiView(APIView):
    """Token authentication, rate limiting, JSON errors, the requested script and cached,
    conditional GETs. Subclasses declare ``params_class`` and implement ``build``."""

    authentication_classes = [MemberTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [JSONRenderer]
    params_class = filters.LocaleParams

    def get_exception_handler(self):
        return exception_handler

    def initial(self, request, *args, **kwargs):
        keep_404s(request._request)
        # The script of the answer, errors included, from the first step on.
        language = request.GET.get("locale")
        translation.activate(language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)
        super().initial(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        params = filters.parse(self.params_class, request)
        return conditional_response(request, lambda: self.build(request, params, *args, **kwargs))

    def build(self, request, params, *args, **kwargs):
        raise NotImplementedError

    def portal(self, language_code):
        return PortalPage.objects.live().filter(locale__language_code=language_code).first()


@extend_schema_view(get=extend_schema(
    operation_id="disclosures_list",
    summary="公开事项列表",
    description=(
        "按单位（默认含下级组织）、目录、阶段、类别、有效性、年份和日期筛选的公开事项，分页，附总数。"
        "传 updated_since 做增量同步：items 为此后发布或更新的事项（含已撤回的，takedown 标明），"
        "tombstones 为此后应从离线副本中删除的事项。"
    ),
    parameters=[filters.ItemListParams],
    responses=responses(serializers.ItemListSerializer, 404),
    tags=["disclosures"],
))
class DisclosureListView(ApiView):
    params_class = filters.ItemListParams

    def build(self, request, params):
        reader = request.user
        # Units come with the serializer, as plain rows: not a page instance with every item.
        items = visible_items(reader, filters.item_filters(params, reader)).select_related(None).select_related("locale", "catalogue_entry__area")
        items = items.order_by(*filters.ORDERINGS[params["order"]])
        offset, limit = params["offset"], params["limit"]
        page, total = listed_page(request, items, offset, limit)
        since = params.get("updated_since")
        data = {
            "meta": {
                "total_count": total,
                "limit": limit,
                "offset": offset,
                "locale": params["locale"],
                "next": self._page_url(request, offset + limit) if offset + limit < total else None,
                "previous": self._page_url(request, max(offset - limit, 0)) if offset > 0 else None,
                "next_updated_since": timezone.now() - SYNC_OVERLAP,
                "full_resync_required": since is not None and since < filters.tombstone_horizon(),
            },
            "items": page,
            "tombstones": self._tombstones(reader, since, params["locale"]) if since is not None else [],
        }
        return serializers.ItemListSerializer(data, context={"request": request}).data

    def _page_url(self, request, offset):
        query = request.GET.copy()
        query["offset"] = offset
        return public_url(f"{request.path}?{query.urlencode()}")

    def _tombstones(self, reader, since, language_code):
        # Only of items the reader could read just before they left (the public, a member of
        # another unit, a named person alike): nobody learns even the id of any other.
        tombstones = Tombstone.for_reader(reader).filter(at__gt=since, language_code=language_code).order_by("at", "pk")
        # What the reader can still see is not gone for them (e.g. a member, after a scope change).
        still_visible = visible_pages(DisclosureItemPage.objects.filter(pk__in=tombstones.values("page_id")), reader)
        return tombstones.exclude(page_id__in=still_visible.values("pk"))


@extend_schema_view(get=extend_schema(
    operation_id="disclosures_retrieve",
    summary="公开事项详情",
    description="全部元数据；正文既有结构化的块（body），也有渲染好的 HTML（body_html）；附件含大小、类型和下载地址；"
    "各阶段（stage_chain）、更新说明，以及另一种文字的同一事项（other_script）。内容使用事项本身的文字。",
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="事项 id")],
    responses=responses(serializers.ItemDetailSerializer, 404),
    tags=["disclosures"],
))
class DisclosureDetailView(ApiView):
    params_class = filters.NoParams

    def build(self, request, params, pk):
        if not is_id(pk):  # beyond any row (and beyond what SQLite's driver can hold)
            raise not_found("没有这个公开事项，或您无权查看。", "disclosure_not_found")
        item = (
            visible_pages(DisclosureItemPage.objects.filter(pk=pk), request.user)
            .select_related("locale", "unit", "catalogue_entry__area")
            .first()
        )
        if item is None:
            raise not_found("没有这个公开事项，或您无权查看。", "disclosure_not_found")
        with translation.override(item.locale.language_code):
            return serializers.ItemDetailSerializer(item, context={"request": request, "reader": request.user}).data


@extend_schema_view(get=extend_schema(
    operation_id="units_tree",
    summary="单位树",
    description="全县的单位：县委 → 乡镇、县直部门 → 村、社区，逐级嵌套（children）。",
    parameters=[filters.LocaleParams],
    responses=responses(serializers.UnitTreeSerializer),
    tags=["units"],
))
class UnitTreeView(ApiView):
    def build(self, request, params):
        portal = self.portal(params["locale"])

        def nodes(branches):
            units = []
            for branch in branches:
                branch["unit"].child_nodes = nodes(branch["children"])
                units.append(branch["unit"])
            return units

        units = nodes(unit_tree(portal)) if portal else []
        context = {"request": request, "language_code": params["locale"]}
        return {"locale": params["locale"], "units": serializers.UnitNodeSerializer(units, many=True, context=context).data}


@extend_schema_view(get=extend_schema(
    operation_id="catalogue_list",
    summary="公开目录",
    description="县级公开目录的板块和条目；传 unit 时为该单位采用的目录，含其自设条目（7+X 中的 X）。",
    parameters=[filters.CatalogueParams],
    responses=responses(serializers.CatalogueListSerializer, 404),
    tags=["catalogue"],
))
class CatalogueView(ApiView):
    params_class = filters.CatalogueParams

    def build(self, request, params):
        language_code = params["locale"]
        if "unit" in params:
            catalogues = self._unit_catalogue(filters.unit_in(filters.visible_unit(params["unit"], request.user), language_code))
        else:
            portal = self.portal(language_code)
            catalogues = [self._shape(group["catalogue"], group["areas"]) for group in catalogues_for(portal)] if portal else []
        return {"locale": language_code, "catalogues": serializers.CatalogueSerializer(catalogues, many=True).data}

    def _unit_catalogue(self, unit):
        if unit.catalogue is None:
            return []
        areas = {}
        for entry in unit.catalogue_entries().order_by("area__sort_order", "sort_order", "pk"):
            areas.setdefault(entry.area_id, {"area": entry.area, "entries": []})["entries"].append(entry)
        return [self._shape(unit.catalogue, areas.values())]

    @staticmethod
    def _shape(catalogue, areas):
        return {
            "id": catalogue.pk,
            "name": catalogue.name,
            "shape": catalogue.shape,
            "description": catalogue.description,
            "areas": [{"id": group["area"].pk, "name": group["area"].name, "entries": group["entries"]} for group in areas],
        }


@extend_schema_view(get=extend_schema(
    operation_id="feeds_retrieve",
    summary="最新公开事项（JSON Feed）",
    description="与门户网站的 RSS/Atom 订阅相同的事项：只含向社会公开、未撤回的最新 50 条，无论谁来读取。"
    "不传参数为全县；unit 为该单位及下级组织；entry 为某目录条目（同时传 unit 时限于该单位及下级组织）。"
    "格式为 JSON Feed 1.1；_rss_url、_atom_url 为同一订阅的 RSS 和 Atom 地址（门户没有的为 null）。",
    parameters=[filters.FeedParams],
    responses=responses(serializers.FeedSerializer, 404),
    tags=["feeds"],
))
class FeedView(ApiView):
    params_class = filters.FeedParams

    def build(self, request, params):
        language_code = params["locale"]
        portal = self.portal(language_code)
        if portal is None:
            raise not_found("该文字的门户尚未建立。", "portal_not_found")
        unit = filters.unit_in(filters.visible_unit(params["unit"], ANONYMOUS), language_code) if "unit" in params else None
        if "entry" in params:
            entry = CatalogueEntry.objects.filter(pk=params["entry"]).first()
            if entry is None:
                raise not_found("没有这个目录条目。", "entry_not_found")
            entry = CatalogueEntry.objects.filter(translation_key=entry.translation_key, locale=portal.locale).first() or entry
            within = unit or portal
            title = f"{within.title} · {entry.name}"
            home = public_url(portal) + portal.reverse_subpage("catalogue_entry", args=[entry.translation_key])
            # The portal publishes an entry's feeds county-wide only.
            rss = None if unit else home + "feed/rss/"
            home += f"?unit={unit.code}" if unit else ""
            items = feed_items(entry, within)
        else:
            within = unit or portal
            title, home = within.title, public_url(within)
            rss = home + within.reverse_subpage("rss")
            items = feed_items(within)
        return {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "description": f"{title} 最新公开事项",
            "language": language_code,
            "home_page_url": home,
            "feed_url": public_url(request.get_full_path()),
            "_rss_url": rss,
            "_atom_url": rss and rss.removesuffix("rss/") + "atom/",
            "items": [self._item(request, item) for item in items],
        }

    @staticmethod
    def _item(request, item):
        url = public_url(item)
        return {
            "id": item.index_number or url,
            "url": url,
            "title": item.title,
            "summary": item.summary,
            "date_published": item.first_published_at,
            "date_modified": item.last_published_at,
            "authors": [{"name": item.unit.title}] if item.unit else [],
            "tags": [str(item.get_stage_display())],
            "_disclosure": serializers.absolute(request, "api-disclosure-detail", item.pk),
        }


@extend_schema_view(get=extend_schema(
    operation_id="attachments_download",
    summary="下载附件",
    description="事项附件的文件。仅向可以查看引用该文件的已发布事项的读者提供：会员专属事项的附件须带访问令牌。",
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="附件（文档）id")],
    responses={
        (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="文件内容，Content-Type 为文件的类型"),
        304: NOT_MODIFIED[304],
        **{status: ERRORS[status] for status in (400, 401, 404, 429)},
    },
    tags=["disclosures"],
))
class AttachmentView(ApiView):
    params_class = filters.AttachmentParams

    def get(self, request, pk):
        params = filters.parse(self.params_class, request)
        document = get_document_model().objects.filter(pk=pk).first() if is_id(pk) else None
        if document is None or not self.may_download(document, request.user, params.get("preview")):
            raise not_found("没有这个附件，或您无权下载。", "attachment_not_found")
        public = document_access(document, ANONYMOUS) == ALLOW
        headers = {
            "Cache-Control": f"public, max-age={app_settings.SUNSHINE_API_CACHE_MAX_AGE}" if public else "private, no-cache",
            "Vary": "Authorization",
        }
        if document.file_hash:
            headers["ETag"] = f'"{document.file_hash}"'
            if headers["ETag"] in request.headers.get("If-None-Match", ""):
                return HttpResponseNotModified(headers=headers)
        try:
            handle = document.file.open("rb")
        except OSError:
            raise not_found("附件文件已丢失。", "attachment_not_found") from None
        response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type=document.content_type)
        for name, value in headers.items():
            response[name] = value
        return response

    @staticmethod
    def may_download(document, reader, preview_token):
        if document_access(document, reader) == ALLOW:
            return True
        return bool(preview_token) and document.pk in previewed_documents(read_token(preview_token)[1])


@extend_schema_view(get=extend_schema(
    operation_id="preview_retrieve",
    summary="草稿预览",
    description="编辑在后台获取的预览令牌所指的那一个草稿版本，形状与公开事项详情相同。令牌短时有效，只能预览这一版本。",
    parameters=[filters.PreviewParams],
    responses={
        200: serializers.ItemDetailSerializer,
        **{status: ERRORS[status] for status in (400, 401, 404, 429)},
    },
    tags=["preview"],
))
class PreviewView(ApiView):
    params_class = filters.PreviewParams

    def get(self, request):
        params = filters.parse(self.params_class, request)
        _, item = read_token(params["token"])
        # The draft's own files are served to whoever holds the token, and to no one else.
        context = {"request": request, "reader": request.user, "attachment_query": "?" + urlencode({"preview": params["token"]})}
        with translation.override(item.locale.language_code):
            data = serializers.ItemDetailSerializer(item, context=context).data
        # A draft is nobody's to keep: no cache may store it.
        return Response(data, headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
