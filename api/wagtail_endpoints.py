"""Wagtail's API v2 endpoints (pages, images, documents), held to the portal's visibility rule.

Stock, they list what Wagtail's own check lets through, which knows nothing of removed
items (撤除) and — for images and documents — nothing of the items that show them: every
file of every draft and members-only item would be listed. Here:

- pages: ``visible_pages`` for the reader, within the site's tree in either script; so
  ``child_of``/``descendant_of`` a page the reader cannot see answer 404, like its id;
- images: only those the live version of a visible page shows (``PublishedImage``);
- documents: only those attached to a visible live item (``PublishedAttachment``), the
  same rule the file download checks.

Searching is the search endpoint's (/api/v2/search/), so the ``search`` parameter is gone.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from drf_spectacular.drainage import isolate_view_method
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import (
    AncestorOfFilter,
    ChildOfFilter,
    DescendantOfFilter,
    FieldsFilter,
    LocaleFilter,
    OrderingFilter,
    TranslationOfFilter,
)
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, get_page_models

from disclosure_pages.params import is_id
from disclosure_pages.models import DisclosureItemPage, PublishedAttachment
from disclosure_pages.visibility import visible_pages

from . import filters
from .auth import MemberTokenAuthentication
from .caching import conditional_response
from .conf import app_settings
from .errors import ApiError, exception_handler, keep_404s, not_found
from .models import PublishedImage
from .throttling import ClientRateThrottle
from .views import ERRORS, responses


# -- parameters, for validation and the schema --------------------------------------------

PAGE_FIELDS = ["id", "type", "detail_url", "html_url", "slug", "title", "first_published_at", "locale",
               "show_in_menus", "seo_title", "search_description", "alias_of"]
FILE_FIELDS = ["id", "type", "detail_url", "title", "tags", "download_url"]
IMAGE_FIELDS = [*FILE_FIELDS, "width", "height"]


def fields_pattern(names):
    """Wagtail's ``fields``: names to add to the defaults or, with ``-``, to remove; or ``*``
    (all) followed by names to remove, or ``_`` (none) followed by names to add."""
    name = f"({'|'.join(names)})"
    return rf"^(\*(,-{name})*|_(,{name})*|-?{name}(,-?{name})*)$"


def ordering_choices(names):
    return [prefix + name for name in names for prefix in ("", "-")]


class WagtailListParams(serializers.Serializer):
    limit = serializers.IntegerField(min_value=0, max_value=app_settings.WAGTAILAPI_LIMIT_MAX, required=False, help_text="每页条数，默认 20")
    offset = serializers.IntegerField(min_value=0, max_value=filters.MAX_OFFSET, required=False)


def page_reference(help_text):
    return serializers.RegexField(r"^(root|[1-9][0-9]{0,9})$", required=False, help_text=help_text)


class PageListParams(WagtailListParams):
    type = serializers.ChoiceField(
        choices=sorted(model._meta.label for model in get_page_models()), required=False, help_text="页面类型"
    )
    child_of = page_reference("某页面（id，或门户首页 root）的直接下级")
    descendant_of = page_reference("某页面（id，或 root）之下的所有页面")
    ancestor_of = serializers.IntegerField(min_value=1, max_value=filters.MAX_ID, required=False, help_text="某页面的上级页面")
    translation_of = serializers.IntegerField(min_value=1, max_value=filters.MAX_ID, required=False, help_text="某页面在其他文字中的页面")
    locale = serializers.ChoiceField(choices=[code for code, _ in settings.LANGUAGES], required=False)
    fields = serializers.RegexField(fields_pattern(PAGE_FIELDS), required=False, help_text="返回的字段，例如 *、_,title、-slug")
    order = serializers.ChoiceField(choices=ordering_choices(["id", "title", "slug", "first_published_at"]), required=False)


class PageDetailParams(serializers.Serializer):
    fields = serializers.RegexField(fields_pattern([*PAGE_FIELDS, "parent"]), required=False, help_text="返回的字段")


class FileListParams(WagtailListParams):
    fields = serializers.RegexField(fields_pattern(FILE_FIELDS), required=False)
    order = serializers.ChoiceField(choices=ordering_choices(["id", "title"]), required=False)


class ImageListParams(FileListParams):
    fields = serializers.RegexField(fields_pattern(IMAGE_FIELDS), required=False)
    order = serializers.ChoiceField(choices=ordering_choices(["id", "title", "width", "height"]), required=False)


class FindParams(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=filters.MAX_ID, required=False)


class PageFindParams(FindParams):
    html_path = serializers.CharField(max_length=2000, required=False, help_text="门户网站上的网址路径，例如 /zh-hans/qxxw/cgz/2024-0001/（扫描公告上的二维码所得）")


class FileDetailParams(serializers.Serializer):
    fields = serializers.RegexField(fields_pattern(FILE_FIELDS), required=False)


class ImageDetailParams(serializers.Serializer):
    fields = serializers.RegexField(fields_pattern(IMAGE_FIELDS), required=False)


# -- response shapes (Wagtail's; fields can be chosen, so none is required) ---------------


class PageMetaSerializer(serializers.Serializer):
    type = serializers.CharField(required=False)
    detail_url = serializers.URLField(required=False)
    html_url = serializers.URLField(required=False, allow_null=True)
    slug = serializers.CharField(required=False)
    first_published_at = serializers.DateTimeField(required=False, allow_null=True)
    locale = serializers.CharField(required=False)
    show_in_menus = serializers.BooleanField(required=False)
    seo_title = serializers.CharField(required=False)
    search_description = serializers.CharField(required=False)
    alias_of = serializers.DictField(required=False, allow_null=True)
    parent = serializers.DictField(required=False, allow_null=True)


class WagtailPageSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    meta = PageMetaSerializer(required=False)
    title = serializers.CharField(required=False)


class FileMetaSerializer(serializers.Serializer):
    type = serializers.CharField(required=False)
    detail_url = serializers.URLField(required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    download_url = serializers.CharField(required=False)


class WagtailDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    meta = FileMetaSerializer(required=False)
    title = serializers.CharField(required=False)


class WagtailImageSerializer(WagtailDocumentSerializer):
    width = serializers.IntegerField(required=False)
    height = serializers.IntegerField(required=False)


class WagtailListMetaSerializer(serializers.Serializer):
    total_count = serializers.IntegerField()


def listing_of(item_serializer, name):
    return type(name, (serializers.Serializer,), {"meta": WagtailListMetaSerializer(), "items": item_serializer(many=True)})


def documented(kind, item, what):
    """Describe a Wagtail endpoint's actions from its parameter classes. (They are named
    listing_view, detail_view and find_view, which drf-spectacular's ``extend_schema_view``
    does not recognise as actions.)"""

    def decorate(endpoint):
        schemas = {
            "listing_view": extend_schema(
                operation_id=f"{kind}_list", summary=f"{what}列表（Wagtail API v2）", parameters=[endpoint.list_params_class],
                responses=responses(listing_of(item, f"Wagtail{kind.title()}Listing"), 404), tags=[kind],
            ),
            "detail_view": extend_schema(
                operation_id=f"{kind}_retrieve", summary=f"{what}详情（Wagtail API v2）", parameters=[endpoint.detail_params_class],
                responses=responses(item, 404), tags=[kind],
            ),
            "find_view": extend_schema(
                operation_id=f"{kind}_find", summary=f"按 id{'或网址路径' if kind == 'pages' else ''}查找{what}",
                description="302 重定向到该资源的详情地址。", parameters=[endpoint.find_params_class],
                responses={302: OpenApiResponse(description="跳转到详情"), **{s: ERRORS[s] for s in (400, 401, 404, 429)}},
                tags=[kind],
            ),
        }
        for name, schema in schemas.items():
            schema(isolate_view_method(endpoint, name))
        return endpoint

    return decorate


class HeldToVisibility:
    """What every API endpoint shares, for Wagtail's viewsets (see ``api.views.ApiView``)."""

    authentication_classes = [MemberTokenAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [JSONRenderer]
    # Serializers of each action's documented parameters.
    list_params_class = detail_params_class = None
    find_params_class = FindParams

    def get_exception_handler(self):
        return exception_handler

    def get_renderer_context(self):
        return super(BaseAPIViewSet, self).get_renderer_context()  # compact, like every other answer

    def initial(self, request, *args, **kwargs):
        keep_404s(request._request)
        translation.activate(settings.LANGUAGE_CODE)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        # Wagtail's answers are English sentences under "message"; the API's have a code.
        if isinstance(exc, BadRequestError):
            message = str(exc)
            if message.endswith("doesn't exist"):  # child_of, descendant_of … a page not visible
                exc = not_found(f"没有该页面，或您无权查看（{message}）。", "page_not_found")
            else:
                exc = ApiError("invalid_parameter", f"参数有误：{message}")
        elif isinstance(exc, Http404):
            exc = not_found()
        return super().handle_exception(exc)

    def listing_view(self, request):
        filters.check_declared(self.list_params_class, request)
        return conditional_response(request, lambda: super(HeldToVisibility, self).listing_view(request))

    def detail_view(self, request, pk):
        filters.check_declared(self.detail_params_class, request)
        if not is_id(pk):  # beyond any row (and beyond what SQLite's driver can hold)
            raise not_found()
        return conditional_response(request, lambda: super(HeldToVisibility, self).detail_view(request, pk))

    def find_view(self, request):
        filters.check_declared(self.find_params_class, request)
        return super().find_view(request)



# -- the endpoints -------------------------------------------------------------------------


@documented("pages", WagtailPageSerializer, "页面")
class PagesEndpoint(HeldToVisibility, PagesAPIViewSet):
    filter_backends = [FieldsFilter, ChildOfFilter, AncestorOfFilter, DescendantOfFilter, OrderingFilter, TranslationOfFilter, LocaleFilter]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"search", "search_operator", "format"}
    list_params_class = PageListParams
    detail_params_class = PageDetailParams
    find_params_class = PageFindParams

    def get_base_queryset(self):
        """Pages the reader may view in the requested site's tree, in every script."""
        site = SiteFilterValidator(site=self.request.GET.get("site"), request=self.request).site_obj
        if site is None:
            return Page.objects.none()
        paths = Page.objects.filter(translation_key=site.root_page.translation_key).values_list("path", flat=True)
        trees = reduce(or_, (Q(path__startswith=path) for path in paths), Q(pk__in=[]))
        return visible_pages(Page.objects.filter(trees), self.request.user)


@documented("images", WagtailImageSerializer, "图片")
class ImagesEndpoint(HeldToVisibility, ImagesAPIViewSet):
    filter_backends = [FieldsFilter, OrderingFilter]
    known_query_parameters = ImagesAPIViewSet.known_query_parameters - {"search", "search_operator", "format"}
    list_params_class = ImageListParams
    detail_params_class = ImageDetailParams

    def get_queryset(self):
        pages = visible_pages(Page.objects.all(), self.request.user)
        shown = PublishedImage.objects.filter(page__in=pages.values("pk")).values("image_id")
        return self.model.objects.filter(pk__in=shown).order_by("id")


@documented("documents", WagtailDocumentSerializer, "文档")
class DocumentsEndpoint(HeldToVisibility, DocumentsAPIViewSet):
    filter_backends = [FieldsFilter, OrderingFilter]
    known_query_parameters = DocumentsAPIViewSet.known_query_parameters - {"search", "search_operator", "format"}
    list_params_class = FileListParams
    detail_params_class = FileDetailParams

    def get_queryset(self):
        items = visible_pages(DisclosureItemPage.objects.all(), self.request.user)
        attached = PublishedAttachment.objects.filter(item__in=items.values("pk")).values("document_id")
        return self.model.objects.filter(pk__in=attached).order_by("id")


router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", PagesEndpoint)
router.register_endpoint("images", ImagesEndpoint)
router.register_endpoint("documents", DocumentsEndpoint)
