"""Query parameters: declared once, validated (400 with a code) and documented from the same classes.

The disclosure list turns its parameters into ``disclosure_pages.listings.ItemFilters`` —
the query service the portal's own listings use — after resolving ids to the units and
catalogue entries the reader may see (unknown ones: 404).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from disclosure_pages import params as bounds
from disclosure_pages.choices import Importance, Stage, Validity
from disclosure_pages.listings import ItemFilters
from disclosure_pages.models import CatalogueArea, CatalogueEntry, UnitPage
from disclosure_pages.visibility import visible_pages

from .conf import app_settings
from .errors import ApiError, not_found

MAX_ID = bounds.MAX_ID
MAX_OFFSET = 10_000_000
ORDERINGS = {
    "-publish_date": ("-publish_date", "-pk"),
    "publish_date": ("publish_date", "pk"),
    "-updated": ("-last_published_at", "-pk"),
    "updated": ("last_published_at", "pk"),
    "-document_date": ("-document_date", "-pk"),
    "document_date": ("document_date", "pk"),
    "title": ("title", "pk"),
}
# Parameters any endpoint tolerates: the cache-buster jQuery and kiosks' browsers add.
TOLERATED = {"_"}


def IdField(help_text, **kwargs):  # noqa: N802 (a field factory, used like a field class)
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, help_text=help_text, **kwargs)


# The schema says the bounds too: a date (or time) whose year is 1900–2100.
YEAR_PATTERN = r"^(19[0-9]{2}|20[0-9]{2}|2100)-"


@extend_schema_field({"type": "string", "format": "date", "pattern": YEAR_PATTERN})
class SaneDateField(serializers.DateField):
    """A date within ``disclosure_pages.params``' bounds (1900–2100)."""

    default_error_messages = {**serializers.DateField.default_error_messages, "out_of_range": bounds.DATE_MESSAGE}

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not bounds.sane_date(parsed):
            self.fail("out_of_range")
        return parsed


@extend_schema_field({"type": "string", "format": "date-time", "pattern": YEAR_PATTERN})
class SaneDateTimeField(serializers.DateTimeField):
    """A time within ``disclosure_pages.params``' bounds: year 1 overflows the time-zone arithmetic of a query."""

    default_error_messages = {**serializers.DateTimeField.default_error_messages, "out_of_range": bounds.DATE_MESSAGE}

    def enforce_timezone(self, value):
        # Before any time-zone arithmetic, which is what overflows.
        if not bounds.sane_date(value):
            self.fail("out_of_range")
        return super().enforce_timezone(value)


class NoParams(serializers.Serializer):
    """An endpoint that takes no query parameters (any given is refused)."""


class LocaleParams(serializers.Serializer):
    locale = serializers.ChoiceField(
        choices=[code for code, _ in settings.LANGUAGES],
        default=settings.LANGUAGE_CODE,
        help_text="文字：简体 zh-hans（默认）或繁體 zh-hant。内容和标签都使用该文字。",
    )


class ItemListParams(LocaleParams):
    unit = IdField("单位 id（任一文字下的 id 均可）：该单位发布的事项，默认含其下级组织")
    descendants = serializers.BooleanField(default=True, help_text="false 时只列该单位本级的事项")
    area = IdField("目录板块 id")
    entry = IdField("目录条目 id")
    stage = serializers.ChoiceField(choices=Stage.choices, required=False, help_text="公开阶段")
    importance = serializers.ChoiceField(choices=Importance.choices, required=False, help_text="事项类别")
    validity = serializers.ChoiceField(choices=Validity.choices, required=False, help_text="截至今天的有效性")
    year = serializers.IntegerField(min_value=1949, max_value=2100, required=False, help_text="发布年份")
    date_from = SaneDateField(required=False, help_text="发布日期不早于（含）")
    date_to = SaneDateField(required=False, help_text="发布日期不晚于（含）")
    updated_since = SaneDateTimeField(
        required=False,
        help_text="增量同步：只列此时间之后发布或更新的事项，并在 tombstones 中列出此后被删除、撤除、"
        "取消发布或收窄公开范围的事项。ISO 8601，例如 2024-06-01T08:00:00+08:00；"
        "传回上次响应 meta.next_updated_since 的值。",
    )
    order = serializers.ChoiceField(
        choices=list(ORDERINGS), default="-publish_date",
        help_text="排序：publish_date 发布日期，updated 最近更新，document_date 成文日期，title 标题；前加 - 为倒序",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=app_settings.SUNSHINE_API_MAX_PAGE_SIZE, default=20, help_text="每页条数"
    )
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0, help_text="跳过的条数")


class CatalogueParams(LocaleParams):
    unit = IdField("单位 id：只列该单位采用的目录，含其自设条目")


class FeedParams(LocaleParams):
    unit = IdField("单位 id：该单位及下级组织的事项；不传为全县")
    entry = IdField("目录条目 id：该条目下的事项")


class AttachmentParams(serializers.Serializer):
    preview = serializers.CharField(max_length=1000, required=False, help_text="预览令牌：下载所预览草稿的附件")


class PreviewParams(serializers.Serializer):
    token = serializers.CharField(max_length=1000, help_text="编辑在后台获取的预览令牌")


def parse(params_class, request):
    """The validated parameters, or a 400 naming what is wrong (unknown ones included)."""
    unknown = sorted(set(request.GET) - set(params_class().fields) - TOLERATED)
    if unknown:
        raise ApiError("unknown_parameter", f"不支持的参数：{', '.join(unknown)}。", errors={name: ["不支持该参数。"] for name in unknown})
    return _validated(params_class(data=request.GET))


def check_declared(params_class, request):
    """Validate the parameters ``params_class`` declares, leave the others (Wagtail's endpoints
    check those themselves); text with NUL characters is refused whatever the parameter."""
    if any("\x00" in value for _, values in request.GET.lists() for value in values):
        raise ApiError("invalid_parameter", "参数中不能含有空字符。")
    _validated(params_class(data=request.GET, partial=True))


def _validated(serializer):
    # DRF reads query strings as HTML forms, where an empty field means "not given";
    # here ``?unit=`` is a mistake to point out, not a filter to drop silently.
    empty = [name for name in serializer.fields if serializer.initial_data.get(name, None) == ""]
    if empty or not serializer.is_valid():
        errors = {name: ["不能为空。"] for name in empty}
        if not empty:
            errors = {name: [str(message) for message in messages] for name, messages in serializer.errors.items()}
        raise ApiError("invalid_parameter", "参数有误：" + "；".join(errors), errors=errors)
    return serializer.validated_data


def visible_unit(unit_id, reader):
    unit = visible_pages(UnitPage.objects.filter(pk=unit_id), reader).first()
    if unit is None:
        raise not_found("没有这个单位。", "unit_not_found")
    return unit


def unit_in(unit, language_code):
    """The unit's page in the script of ``language_code`` where there is one."""
    return UnitPage.objects.filter(translation_key=unit.translation_key, locale__language_code=language_code).live().first() or unit


def item_filters(params, reader):
    """``ItemFilters`` for validated list parameters; ids the reader cannot see are 404."""
    unit = visible_unit(params["unit"], reader) if "unit" in params else None
    area = entry = None
    if "area" in params:
        area = CatalogueArea.objects.filter(pk=params["area"]).first()
        if area is None:
            raise not_found("没有这个目录板块。", "area_not_found")
    if "entry" in params:
        entry = CatalogueEntry.objects.filter(pk=params["entry"]).first()
        if entry is None:
            raise not_found("没有这个目录条目。", "entry_not_found")
    return ItemFilters(
        unit=unit,
        descendants=params["descendants"],
        area=area,
        entry=entry,
        stage=params.get("stage"),
        importance=params.get("importance"),
        validity=params.get("validity"),
        year=params.get("year"),
        date_from=params.get("date_from"),
        date_to=params.get("date_to"),
        language_code=params["locale"],
        updated_since=params.get("updated_since"),
    )


def tombstone_horizon():
    """Tombstones older than this are pruned: a sync from before it must start over."""
    return timezone.now() - timedelta(days=app_settings.SUNSHINE_API_TOMBSTONE_DAYS)
