from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .attachments import check_document_scope
from .models import Catalogue, CatalogueEntry, DisclosureItemPage

hooks.register("before_serve_document", check_document_scope)


@hooks.register("before_move_page")
def refuse_move_onto_a_taken_document_number(request, page, destination):
    """文号 are unique per unit and year: refuse a move that would give a unit a duplicate."""
    item = page.specific_deferred
    if not isinstance(item, DisclosureItemPage) or not item.document_number:
        return None
    clash = (
        DisclosureItemPage.objects.child_of(destination)
        .filter(document_year=item.document_year, document_number=item.document_number)
        .exclude(pk=item.pk)
        .first()
    )
    if clash is None:
        return None
    messages.error(
        request,
        f"无法移动：“{destination.title}”{item.document_year}年已有文号为“{item.document_number}”的事项“{clash.title}”。"
        "请先修改文号。",
    )
    return redirect("wagtailadmin_pages:move", page.pk)


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
