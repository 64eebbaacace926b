"""The county's conversion phrases in the admin (设置 → 简繁转换词语)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ConversionOverride


class ConversionOverrideViewSet(SnippetViewSet):
    model = ConversionOverride
    icon = "doc-full"
    menu_label = "简繁转换词语"
    add_to_settings_menu = True
    list_display = ["source", "converted", "direction", "note", "updated_at"]
    list_filter = ["direction"]


register_snippet(ConversionOverrideViewSet)
