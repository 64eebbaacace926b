"""StreamField blocks of disclosure items and power lists."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]

TABLE_OPTIONS = {"startRows": 3, "startCols": 3, "colHeaders": False, "rowHeaders": False, "language": "zh-CN"}


class DataTableBlock(TableBlock):
    """A table whose cells and caption are translatable (wagtail-localize's block protocol),
    so the other-script variant converts them like any other text."""

    def get_translatable_segments(self, value):
        from wagtail_localize.segments import StringSegmentValue
        from wagtail_localize.strings import StringValue

        segments = []
        if value and value.get("table_caption"):
            segments.append(StringSegmentValue("caption", StringValue.from_plaintext(value["table_caption"])))
        for row_number, row in enumerate((value or {}).get("data") or []):
            for column_number, cell in enumerate(row):
                if isinstance(cell, str) and cell.strip():
                    segments.append(StringSegmentValue(f"{row_number}.{column_number}", StringValue.from_plaintext(cell)))
        return segments

    def restore_translated_segments(self, value, segments):
        value = {**value, "data": [list(row) for row in value.get("data") or []]}
        for segment in segments:
            text = segment.render_text()
            if segment.path == "caption":
                value["table_caption"] = text
            else:
                row_number, column_number = (int(part) for part in segment.path.split("."))
                value["data"][row_number][column_number] = text
        return value


class AttachmentBlock(blocks.StructBlock):
    """An attached document; it is served only to those who may see the item."""

    document = DocumentChooserBlock(label=_("文件"))
    title = blocks.CharBlock(label=_("显示名称"), required=False, help_text=_("留空则使用文件标题"))

    class Meta:
        icon = "doc-full"
        label = _("附件")
        template = "blocks/attachment_block.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(label=_("替代文字"), help_text=_("为读屏软件描述图片内容"))
    caption = blocks.CharBlock(label=_("图片说明"), required=False)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "blocks/figure_block.html"


class ItemBodyBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(label=_("正文"), features=RICH_TEXT_FEATURES, template="blocks/rich_text_block.html")
    table = DataTableBlock(label=_("表格"), table_options=TABLE_OPTIONS, template="blocks/table_block.html")
    attachment = AttachmentBlock()
    image = FigureBlock()


class PowerValue(blocks.StructValue):
    def category_label(self):
        return dict(self.block.child_blocks["category"].field.choices).get(self.get("category"), "")


class PowerBlock(blocks.StructBlock):
    """One power of a 权力清单: its basis, who holds it, how it is exercised, what results."""

    name = blocks.CharBlock(label=_("权力名称"))
    category = blocks.ChoiceBlock(
        label=_("权力类别"),
        choices=[
            ("decision", "决策权"),
            ("personnel", "人事权"),
            ("finance", "财务权"),
            ("asset", "资产资源管理权"),
            ("project", "工程项目管理权"),
            ("supervision", "监督权"),
            ("other", "其他"),
        ],
    )
    basis = blocks.TextBlock(label=_("行使依据"))
    responsible_post = blocks.CharBlock(label=_("责任岗位"))
    steps = blocks.ListBlock(blocks.CharBlock(label=_("步骤")), label=_("运行流程"))
    results = blocks.TextBlock(label=_("结果公开"), help_text=_("行使结果如何公开、向谁公开"))
    flowchart = ImageChooserBlock(label=_("流程图"), required=False)

    class Meta:
        icon = "list-ol"
        label = _("权力事项")
        template = "blocks/power_block.html"
        value_class = PowerValue
