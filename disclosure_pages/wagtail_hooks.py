from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .attachments import check_document_scope
from .models import Catalogue, CatalogueEntry

hooks.register("before_serve_document", check_document_scope)


class CatalogueViewSet(SnippetViewSet):
    model = Catalogue
    icon = "list-ul"
    menu_label = "目录大纲"
    list_display = ["name", "shape", "locale"]


class CatalogueEntryViewSet(SnippetViewSet):
    model = CatalogueEntry
    icon = "tag"
    menu_label = "目录条目"
    list_display = ["code", "name", "area", "timing_display", "default_scope", "mandatory", "unit"]
    list_filter = ["area__catalogue", "timing", "default_scope", "mandatory"]
    search_fields = ["name", "code"]


class CatalogueGroup(SnippetViewSetGroup):
    """The catalogue, edited by the county office."""

    items = (CatalogueViewSet, CatalogueEntryViewSet)
    menu_icon = "list-ul"
    menu_label = "公开目录"
    menu_name = "catalogue"


register_snippet(CatalogueGroup)
