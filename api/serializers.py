"""The shapes of the API's answers; drf-spectacular documents them from these classes.

Labels come out in the active language (the view activates the requested script), so
``{"value": "pre", "label": "預公開"}`` in Traditional. Field names and values are stable
English identifiers; everything a person reads is Chinese.
"""

from functools import lru_cache

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html

from disclosure_pages.choices import CatalogueShape, Importance, Scope, Stage, Takedown, TimingKind, UnitType, Validity
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.public_urls import public_url
from disclosure_pages.templatetags.portal_tags import in_script
from disclosure_pages.visibility import visible_pages

FIGURE_RENDITION = "max-960x720"  # as the item page shows figures


def absolute(request, name, *args, query=""):
    """An API link at PUBLIC_BASE_URL (never the request's Host header)."""
    return public_url(reverse(name, args=args) + query)


@lru_cache(maxsize=512)
def _choice_label(language, choices, value):
    return str(choices(value).label)


def choice_label(choices, value):
    """The label of ``value`` in the active language. Remembered: a label missing from the
    first catalogues is looked for through Django's whole chain of fallbacks (a list of 20
    items asked for 120 labels, 5 ms of a request)."""
    return _choice_label(get_language(), choices, value)


def labelled(choices):
    """A field for one value of ``choices``: ``{"value": …, "label": …}``.

    A plain field rather than a serializer with a ChoiceField: DRF copies a serializer's
    fields for every use, and a ChoiceField translates all its labels each time."""
    schema = {
        "type": "object",
        "description": f"{choices.__doc__ or choices.__name__}（value 为稳定的英文代码，label 为所请求文字的名称）".strip(),
        "properties": {"value": {"type": "string", "enum": list(choices.values)}, "label": {"type": "string"}},
        "required": ["value", "label"],
    }

    @extend_schema_field(schema)
    class LabelledChoice(serializers.Field):
        def to_representation(self, value):
            return {"value": value, "label": choice_label(choices, value)}

    LabelledChoice.__name__ = f"{choices.__name__}Choice"
    return LabelledChoice


StageChoice = labelled(Stage)
ImportanceChoice = labelled(Importance)
ScopeChoice = labelled(Scope)
ValidityChoice = labelled(Validity)
TakedownChoice = labelled(Takedown)
UnitTypeChoice = labelled(UnitType)
TimingChoice = labelled(TimingKind)
ShapeChoice = labelled(CatalogueShape)


# -- units and the catalogue --------------------------------------------------------------


class UnitSummarySerializer(serializers.Serializer):
    """发布机构: the unit that publishes an item."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    short_name = serializers.CharField()
    code = serializers.CharField(help_text="单位编码，两种字体下相同")
    unit_type = UnitTypeChoice()

    FIELDS = ("id", "title", "short_name", "code", "unit_type")

    @classmethod
    def summaries(cls, unit_ids):
        """The summaries of these units by id, read as plain rows (no page instances)."""
        rows = UnitPage.objects.filter(pk__in=unit_ids).values(*cls.FIELDS)
        return {row["id"]: cls.summary(row) for row in rows}

    @staticmethod
    def summary(row):
        return {**row, "unit_type": {"value": row["unit_type"], "label": choice_label(UnitType, row["unit_type"])}}


class UnitNodeSerializer(UnitSummarySerializer):
    """A unit of the county's tree with the units under it."""

    html_url = serializers.SerializerMethodField()
    items_url = serializers.SerializerMethodField(help_text="本单位及下级组织的公开事项")

    def get_fields(self):
        fields = super().get_fields()
        fields["children"] = UnitNodeSerializer(many=True, source="child_nodes")
        return fields

    def get_html_url(self, unit) -> str:
        return public_url(unit)

    def get_items_url(self, unit) -> str:
        return absolute(self.context["request"], "api-disclosure-list", query=f"?unit={unit.pk}&locale={self.context['language_code']}")


class AreaSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EntrySummarySerializer(serializers.Serializer):
    """目录条目: the catalogue entry an item is disclosed under."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    area = AreaSummarySerializer()


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    default_scope = ScopeChoice()
    timing = TimingChoice()
    timing_display = serializers.CharField(help_text="公开时限，例如“定期公开（每季度）”")
    mandatory = serializers.BooleanField()
    unit = serializers.IntegerField(source="unit_id", allow_null=True, help_text="本单位自设条目所属单位；县级目录条目为 null")


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    entries = EntrySerializer(many=True)


class CatalogueSerializer(serializers.Serializer):
    """党务公开目录: areas and their entries."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    shape = ShapeChoice()
    description = serializers.CharField()
    areas = AreaSerializer(many=True)


# -- items --------------------------------------------------------------------------------


class ValiditySerializer(serializers.Serializer):
    """有效性 as of today: a valid item past its expiry date has expired."""

    value = serializers.ChoiceField(choices=Validity.choices)
    label = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    expiry_date = serializers.DateField(allow_null=True)

    def to_representation(self, item):
        current = item.current_validity
        return {
            "value": current.value,
            "label": choice_label(Validity, current.value),
            "effective_date": item.effective_date,
            "expiry_date": item.expiry_date,
        }


class TakedownSerializer(serializers.Serializer):
    """撤回/撤除: withdrawn items stay readable, marked; removed ones are gone (tombstones)."""

    status = TakedownChoice(source="takedown")
    reason = serializers.CharField(source="takedown_reason")
    date = serializers.DateField(source="takedown_date", allow_null=True)


class ItemSerializer(serializers.Serializer):
    """公开事项 in a list: its metadata, without the body.

    ``to_representation`` is written out: DRF copies a serializer's declared fields for each
    use and walks them field by field for every item, most of a cold list's time. The declared
    fields still give the schema; a test holds the written-out form to DRF's output for them.
    The context may carry ``units`` (``UnitSummarySerializer.summaries``) so that a list reads
    its units as plain rows instead of with every item.
    """

    id = serializers.IntegerField()
    locale = serializers.CharField(source="locale.language_code")
    title = serializers.CharField()
    summary = serializers.CharField()
    index_number = serializers.CharField(help_text="索引号")
    document_number = serializers.CharField(help_text="文号")
    document_date = serializers.DateField(allow_null=True, help_text="成文日期")
    publish_date = serializers.DateField(allow_null=True, help_text="发布日期")
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True, help_text="最近一次发布（更新）的时间；updated_since 据此筛选")
    unit = UnitSummarySerializer(allow_null=True)
    catalogue_entry = EntrySummarySerializer(allow_null=True)
    stage = StageChoice()
    importance = ImportanceChoice()
    scope = ScopeChoice()
    validity = ValiditySerializer(source="*")
    takedown = TakedownSerializer(source="*")
    comment_deadline = serializers.DateField(allow_null=True, help_text="预公开事项的意见征集截止日期")
    detail_url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField(help_text="门户网站上的页面")

    def get_detail_url(self, item) -> str:
        return absolute(self.context["request"], "api-disclosure-detail", item.pk)

    def get_html_url(self, item) -> str:
        return public_url(item)

    def to_representation(self, item):
        entry = item.catalogue_entry
        return {
            "id": item.pk,
            "locale": item.locale.language_code,
            "title": item.title,
            "summary": item.summary,
            "index_number": item.index_number,
            "document_number": item.document_number,
            "document_date": _date(item.document_date),
            "publish_date": _date(item.publish_date),
            "first_published_at": _datetime(item.first_published_at),
            "last_published_at": _datetime(item.last_published_at),
            "unit": self._unit(item),
            "catalogue_entry": None if entry is None else {
                "id": entry.pk,
                "code": entry.code,
                "name": entry.name,
                "area": {"id": entry.area.pk, "name": entry.area.name},
            },
            "stage": _labelled(Stage, item.stage),
            "importance": _labelled(Importance, item.importance),
            "scope": _labelled(Scope, item.scope),
            "validity": ValiditySerializer().to_representation(item),
            "takedown": {
                "status": _labelled(Takedown, item.takedown),
                "reason": item.takedown_reason,
                "date": _date(item.takedown_date),
            },
            "comment_deadline": _date(item.comment_deadline),
            "detail_url": self.get_detail_url(item),
            "html_url": self.get_html_url(item),
        }

    def _unit(self, item):
        units = self.context.get("units") or {}
        if item.unit_id is None or item.unit_id in units:
            return units.get(item.unit_id)
        return UnitSummarySerializer.summary({name: getattr(item.unit, name) for name in UnitSummarySerializer.FIELDS})


_DATE, _DATETIME = serializers.DateField(), serializers.DateTimeField()


def _date(value):
    return _DATE.to_representation(value)


def _datetime(value):
    return _DATETIME.to_representation(value)


def _labelled(choices, value):
    return None if value is None else {"value": value, "label": choice_label(choices, value)}


class AttachmentSerializer(serializers.Serializer):
    """附件: download ``url`` with the same token as the request (members-only files need it)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    file_name = serializers.CharField()
    extension = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="字节数")
    url = serializers.URLField()

    def to_representation(self, value):
        document, title = value["document"], value.get("title")
        return {
            "id": document.pk,
            "title": title or in_script(document.title),
            "file_name": document.filename,
            "extension": document.file_extension.lower(),
            "content_type": document.content_type,
            "size": _file_size(document),
            "url": absolute(self.context["request"], "api-attachment", document.pk, query=self.context.get("attachment_query", "")),
        }


def _file_size(document):
    """The stored size; else the file's, without writing it back (a read must not write)."""
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except OSError:
        return None


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt = serializers.CharField()
    caption = serializers.CharField()


# The body's blocks, one shape per block type (``type`` tells which).
class RichTextBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["rich_text"])
    id = serializers.CharField()
    html = serializers.CharField(help_text="正文 HTML，内部链接已展开")


class TableBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["table"])
    id = serializers.CharField()
    caption = serializers.CharField()
    first_row_is_header = serializers.BooleanField()
    first_col_is_header = serializers.BooleanField()
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField(allow_null=True)))


class AttachmentBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["attachment"])
    id = serializers.CharField()
    attachment = AttachmentSerializer()


class ImageBlockSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["image"])
    id = serializers.CharField()
    image = ImageSerializer()


# A list of blocks, ``type`` telling which; the mapping is spelled out because
# drf-spectacular cannot read a block's type from its ChoiceField.
BODY_BLOCKS = PolymorphicProxySerializer(
    component_name="BodyBlock",
    serializers={
        "rich_text": RichTextBlockSerializer,
        "table": TableBlockSerializer,
        "attachment": AttachmentBlockSerializer,
        "image": ImageBlockSerializer,
    },
    resource_type_field_name="type",
    many=True,
)


@extend_schema_field(BODY_BLOCKS)
class BodyField(serializers.Field):
    """The StreamField body as a list of typed blocks."""

    def to_representation(self, body):
        return [block for block in (self._block(child) for child in body) if block is not None]

    def _block(self, child):
        kind, value, block_id = child.block_type, child.value, child.id or ""
        if kind == "rich_text":
            return {"type": kind, "id": block_id, "html": expand_db_html(value.source)}
        if kind == "table":
            value = value or {}
            return {
                "type": kind,
                "id": block_id,
                "caption": value.get("table_caption") or "",
                "first_row_is_header": bool(value.get("first_row_is_table_header")),
                "first_col_is_header": bool(value.get("first_col_is_header")),
                "rows": [[None if cell is None else str(cell) for cell in row] for row in value.get("data") or []],
            }
        if kind == "attachment":
            if not value.get("document"):
                return None  # the file was deleted
            return {"type": kind, "id": block_id, "attachment": AttachmentSerializer(value, context=self.context).data}
        if kind == "image":
            if not value.get("image"):
                return None
            rendition = value["image"].get_rendition(FIGURE_RENDITION)
            image = {
                "url": public_url(rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "alt": value.get("alt") or "",
                "caption": value.get("caption") or "",
            }
            return {"type": kind, "id": block_id, "image": image}
        return None


class ChangeNoteSerializer(serializers.Serializer):
    """更新说明: what changed when the item was republished (kept once, shown in the item's script)."""

    date = serializers.DateField()
    note = serializers.SerializerMethodField()

    def get_note(self, change_note) -> str:
        return in_script(change_note.note)


class StageSerializer(serializers.Serializer):
    """One stage of the item's matter (预公开 → 决策公开 → 结果公开)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    stage = StageChoice()
    publish_date = serializers.DateField(allow_null=True)
    detail_url = serializers.SerializerMethodField()

    def get_detail_url(self, item) -> str:
        return absolute(self.context["request"], "api-disclosure-detail", item.pk)


class OtherScriptSerializer(serializers.Serializer):
    """The same item in the other script (简/繁)."""

    id = serializers.IntegerField()
    locale = serializers.CharField(source="locale.language_code")
    detail_url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    def get_detail_url(self, item) -> str:
        return absolute(self.context["request"], "api-disclosure-detail", item.pk)

    def get_html_url(self, item) -> str:
        return public_url(item)


class ItemDetailSerializer(ItemSerializer):
    """公开事项 with everything: body as blocks and as HTML, attachments, stages, notes."""

    previous_stage = serializers.SerializerMethodField(help_text="上一阶段事项的 id（本事项的文字）；没有或您无权查看时为 null")
    body = BodyField()
    body_html = serializers.SerializerMethodField(help_text="正文按门户网站的样式渲染的 HTML")
    attachments = serializers.SerializerMethodField()
    stage_chain = serializers.SerializerMethodField(help_text="同一事项的各阶段，含本事项；只有一个阶段时为空")
    change_notes = serializers.SerializerMethodField()
    other_script = serializers.SerializerMethodField()

    def get_body_html(self, item) -> str:
        return str(item.body)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, item):
        return AttachmentSerializer(item.attachments, many=True, context=self.context).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_previous_stage(self, item):
        """Only an item the reader may see: a public decision must not give away the id of a
        members-only pre-disclosure (the page's HTML shows it to its readers only, too). In
        the item's script where the reader may see it there."""
        if not item.previous_stage_id:
            return None
        linked = DisclosureItemPage.objects.filter(pk=item.previous_stage_id).values("translation_key")
        steps = visible_pages(DisclosureItemPage.objects.filter(translation_key__in=linked), self.context["reader"])
        ids = dict(steps.values_list("locale_id", "pk"))
        return ids.get(item.locale_id) or ids.get(self._locale_of(item.previous_stage_id)) or next(iter(ids.values()), None)

    @staticmethod
    def _locale_of(page_id):
        return DisclosureItemPage.objects.filter(pk=page_id).values_list("locale_id", flat=True).first()

    @extend_schema_field(StageSerializer(many=True))
    def get_stage_chain(self, item):
        chain = item.stage_chain()
        if len(chain) < 2:
            return []
        visible = set(visible_pages(DisclosureItemPage.objects.filter(pk__in=[step.pk for step in chain]), self.context["reader"]).values_list("pk", flat=True))
        visible.add(item.pk)
        steps = [step for step in chain if step.pk in visible]
        # The item alone is no chain: an empty one says nothing of stages the reader may not see.
        return StageSerializer(steps, many=True, context=self.context).data if len(steps) > 1 else []

    @extend_schema_field(ChangeNoteSerializer(many=True))
    def get_change_notes(self, item):
        return ChangeNoteSerializer(item.change_notes.order_by("-date", "-pk"), many=True).data

    @extend_schema_field(OtherScriptSerializer(allow_null=True))
    def get_other_script(self, item):
        others = DisclosureItemPage.objects.filter(translation_key=item.translation_key).exclude(locale_id=item.locale_id)
        other = visible_pages(others, self.context["reader"]).select_related("locale").first()
        return OtherScriptSerializer(other, context=self.context).data if other is not None else None

    def to_representation(self, item):
        data = super().to_representation(item)  # the list's fields, then the detail's own by DRF
        for name, field in self.fields.items():
            if name not in data:
                attribute = field.get_attribute(item)
                data[name] = None if attribute is None else field.to_representation(attribute)
        return data


class TombstoneSerializer(serializers.Serializer):
    """An item to drop from an offline copy; nothing of its content is kept."""

    id = serializers.IntegerField(source="page_id")
    locale = serializers.CharField(source="language_code")
    reason = serializers.ChoiceField(choices=["deleted", "unpublished", "removed", "restricted"])
    at = serializers.DateTimeField()


class ListMetaSerializer(serializers.Serializer):
    total_count = serializers.IntegerField(help_text="符合条件的事项总数")
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    locale = serializers.CharField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    next_updated_since = serializers.DateTimeField(
        help_text="下次增量同步时作为 updated_since 传回（比服务器时间早一分钟，以免漏掉正在发布的事项；重复的事项按 id 覆盖即可）"
    )
    full_resync_required = serializers.BooleanField(
        help_text="updated_since 早于删除记录的保留期：删除记录可能不全，请重新完整同步"
    )


class ItemListSerializer(serializers.Serializer):
    meta = ListMetaSerializer()
    items = ItemSerializer(many=True)
    tombstones = TombstoneSerializer(many=True, help_text="仅在传入 updated_since 时返回：此后离开您可见范围的事项")

    def to_representation(self, data):
        """The page's units are read once, as rows (the items need not carry them)."""
        items = data["items"]
        units = UnitSummarySerializer.summaries({item.unit_id for item in items if item.unit_id is not None})
        item = ItemSerializer(context={**self.context, "units": units})
        return {
            "meta": ListMetaSerializer(data["meta"]).data,
            "items": [item.to_representation(each) for each in items],
            "tombstones": TombstoneSerializer(data["tombstones"], many=True).data,
        }


class UnitTreeSerializer(serializers.Serializer):
    locale = serializers.CharField()
    units = UnitNodeSerializer(many=True)


class CatalogueListSerializer(serializers.Serializer):
    locale = serializers.CharField()
    catalogues = CatalogueSerializer(many=True)


# -- JSON Feed (https://www.jsonfeed.org/version/1.1/) ------------------------------------


class FeedAuthorSerializer(serializers.Serializer):
    name = serializers.CharField()


class FeedItemSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="索引号，或无索引号时的网址")
    url = serializers.URLField()
    title = serializers.CharField()
    summary = serializers.CharField()
    date_published = serializers.DateTimeField(allow_null=True)
    date_modified = serializers.DateTimeField(allow_null=True)
    authors = FeedAuthorSerializer(many=True)
    tags = serializers.ListField(child=serializers.CharField())
    _disclosure = serializers.URLField(help_text="该事项在本接口中的详情地址")


class FeedSerializer(serializers.Serializer):
    version = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    language = serializers.CharField()
    home_page_url = serializers.URLField()
    feed_url = serializers.URLField()
    _rss_url = serializers.URLField(allow_null=True)
    _atom_url = serializers.URLField(allow_null=True)
    items = FeedItemSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    """Every error: a stable ``code`` for programs, a Chinese ``message`` for people."""

    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False, help_text="各参数的具体问题"
    )
    retry_after = serializers.IntegerField(required=False, help_text="仅 429：多少秒后可以重试")
