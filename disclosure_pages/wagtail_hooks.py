from django.utils.translation import gettext_lazy as _
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import DeleteView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from .attachments import check_document_scope
from .models import Catalogue, CatalogueEntry, DisclosureItemPage
from .permissions import CatalogueEntryPermissionPolicy
from workflows.boundary import CatalogueEntryChooserViewSet, CatalogueEntryHistoryView, CatalogueEntryUsageView

hooks.register("before_serve_document", check_document_scope)


class FilesTheUserMayUse:
    """Wagtail's admin API lists every document and image to anyone in the admin; these list
    only those the collection permission policy lets the user choose or change (their unit's,
    the county's shared ones), as the choosers and listings do."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        allowed = policy.instances_user_has_any_permission_for(self.request.user, ["choose", "change"])
        return super().get_queryset().filter(pk__in=allowed.values("pk"))


class UnitDocumentsAdminAPIViewSet(FilesTheUserMayUse, DocumentsAdminAPIViewSet):
    pass


class UnitImagesAdminAPIViewSet(FilesTheUserMayUse, ImagesAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=100)  # after Wagtail's own registrations, which it replaces
def files_of_the_users_units_in_the_admin_api(router):
    router.register_endpoint("documents", UnitDocumentsAdminAPIViewSet)
    router.register_endpoint("images", UnitImagesAdminAPIViewSet)


register_permission_policy(CatalogueEntry, CatalogueEntryPermissionPolicy(CatalogueEntry))


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
    menu_label = _("目录大纲")
    list_display = ["name", "shape", "locale"]


class CatalogueEntryIndexView(IndexView):
    """Lists only the entries the user may manage (a unit sees its own local entries)."""

    def get_base_queryset(self):
        allowed = self.permission_policy.instances_user_has_any_permission_for(self.request.user, ["change", "delete", "view"])
        return super().get_base_queryset().filter(pk__in=allowed.values("pk"))


class InstancePermissionMixin:
    """Wagtail checks model-level permission only; a unit may touch its own entries alone."""

    instance_action = "change"

    def get_object(self, queryset=None):
        entry = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, self.instance_action, entry):
            raise PermissionDenied
        return entry


class CatalogueEntryEditView(InstancePermissionMixin, EditView):
    pass


class CatalogueEntryDeleteView(InstancePermissionMixin, DeleteView):
    instance_action = "delete"


class CatalogueEntryViewSet(SnippetViewSet):
    model = CatalogueEntry
    icon = "tag"
    menu_label = _("目录条目")
    index_view_class = CatalogueEntryIndexView
    edit_view_class = CatalogueEntryEditView
    delete_view_class = CatalogueEntryDeleteView
    # Other units' local entries are not there for a unit: not in the chooser, their history or usage.
    chooser_viewset_class = CatalogueEntryChooserViewSet
    history_view_class = CatalogueEntryHistoryView
    usage_view_class = CatalogueEntryUsageView
    list_display = [
        "name",
        "code",
        "area",
        Column("timing_display", label=_("公开时限")),
        "default_scope",
        BooleanColumn("mandatory", label=_("必须公开")),
        "unit",
    ]
    list_filter = ["area__catalogue", "timing", "default_scope", "mandatory"]
    search_fields = ["name", "code"]
    # Matched in the database (part of a name, a code): "code" is not in the search index, whose search failed.
    search_backend_name = None


class CatalogueGroup(SnippetViewSetGroup):
    """The catalogue, edited by the county office."""

    items = (CatalogueViewSet, CatalogueEntryViewSet)
    menu_icon = "list-ul"
    menu_label = _("公开目录")
    menu_name = "catalogue"


register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_audience_search_urls():
    from .audience import urlpatterns

    return urlpatterns
