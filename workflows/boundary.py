"""No other unit's titles anywhere in the admin: one rule for every place that names a page.

A page's title may be read in the admin by those who may explore it (the page permission
policy's ``explorable_instances``: the sections of the units they work in, minus the
sub-unit sections ``policies.py`` hides) and, to navigate there, its ancestors (the portal,
the county, the township above a village). The county office and superusers explore every
unit. Everything else — another township's drafts, its members-only items, a village's items
for its township's officers without ``SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES`` — is not
there for them: choosers and bulk actions leave it out, and every admin route that takes a
page id refuses it with Wagtail's generic permission message before the view can name it
(``UnitBoundaryMiddleware``). Refusals name nothing (``NOT_YOURS``). Catalogue entries follow
the same rule: the county's shared entries and those of the units the user works in.

Wagtail's own listings (explorer, search, reports, the admin API, the audit log) already ask
the registered policy; the hooks below add the chooser and the explorer.
"""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm, LocaleFilterMixin
from wagtail.admin.ui.tables import LocaleColumn
from wagtail.admin.auth import permission_denied, require_admin_access
from wagtail.admin.views.chooser import BrowseView, PageTitleColumn, page_models_from_string
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page, get_page_models
from wagtail.permissions import policy_registry
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import HistoryView, UsageView
from wagtail.snippets.widgets import AdminSnippetChooser
from wagtail_localize.views.report import TranslationsReportView
from wagtail_localize.views.snippets_api import SnippetViewSet as LocalizeSnippetsAPIViewSet

from disclosure_pages.pages_compat import remember_parent
from disclosure_pages.params import is_id

from .units import _user_cache, reach_of

# What a refusal says when the user may not know what the page is: it names nothing.
NOT_YOURS = "该内容不存在，或不是您所在单位的内容，您无权访问。"


# -- the rule ----------------------------------------------------------------------------


def _sees_every_page(user):
    return user.is_active and user.is_superuser


def _ancestor_paths(path):
    step = Page.steplen
    return [path[:end] for end in range(step, len(path), step)]


def readable_pages(user):
    """The pages whose titles ``user`` may read in the admin (a queryset of ``Page``)."""
    if _sees_every_page(user):
        return Page.objects.all()
    policy = policy_registry.get_by_type(Page)
    explorable = policy.explorable_instances(user)
    ancestors = set()
    for permission in policy.get_cached_permissions_for_user(user):
        ancestors.update(_ancestor_paths(permission.page.path))
    if not ancestors:
        return explorable
    return explorable | Page.objects.filter(path__in=sorted(ancestors))


def may_read(user, page):
    """May ``user`` read the title of ``page`` (a page or its id) in the admin?"""
    if page is None:
        return False
    if _sees_every_page(user):
        return True
    page_id = page if isinstance(page, int) else page.pk
    cache = _user_cache(user, "readable")
    if page_id not in cache:
        cache[page_id] = readable_pages(user).filter(pk=page_id).exists()
    return cache[page_id]


def readable_ids(user, ids):
    """The ids among ``ids`` of pages ``user`` may read, in the given order."""
    # An id past the database's integers is no page (and would be a 500 here, in a middleware).
    ids = [int(pk) for pk in ids if is_id(str(pk))]
    if _sees_every_page(user):
        return ids
    readable = set(readable_pages(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [pk for pk in ids if pk in readable]


def visible_catalogue_entries(user, entries):
    """The county's shared entries, and the local entries of the units ``user`` works in (all for the county office)."""
    if _sees_every_page(user) or reach_of(user).sees_everything or user.has_perm("disclosure_pages.view_catalogueentry"):
        return entries
    return entries.filter(Q(unit__isnull=True) | Q(unit__in=list(reach_of(user).managed)))


# -- listings: the page chooser (browse and search) and the explorer -------------------------


@hooks.register("construct_page_chooser_queryset")
def readable_pages_in_the_chooser(pages, request):
    if _sees_every_page(request.user):
        return pages
    return pages & readable_pages(request.user)


@hooks.register("construct_explorer_page_queryset")
def readable_pages_in_the_explorer(parent_page, pages, request):
    if _sees_every_page(request.user):
        return pages
    return pages & readable_pages(request.user)


# -- admin routes that take a page id ------------------------------------------------------

# The URL keyword arguments that name a page in Wagtail's admin routes.
PAGE_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id")
# Routes whose ``pk`` is a page.
PAGE_PK_ROUTES = {"wagtailadmin_pages:revisions_compare", "wagtailadmin_api:pages:detail", "wagtailadmin_api:pages:action"}
# Views of ours that refuse on their own without naming the page, and say why: the workflow's
# (``guards.py``) and the headless preview token (a JSON answer, ``api/preview.py``).
SELF_GUARDED = {"workflows_takedown_request", "workflows_next_stage", "api_preview_token"}


def _with_ids(request, ids):
    """``request.GET`` with its ``id`` list replaced by ``ids``."""
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in ids])
    query.pop("childOf", None)
    request.GET = query


class UnitBoundaryMiddleware:
    """Refuse, before Wagtail's view runs, an admin route about a page the user may not read."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or _sees_every_page(user):
            return None
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(self.admin_prefix) or match.view_name in SELF_GUARDED:
            return None

        page_ids = [view_kwargs[name] for name in PAGE_KWARGS if name in view_kwargs]
        if match.view_name in PAGE_PK_ROUTES:
            page_ids.append(view_kwargs.get("pk"))
        for page_id in page_ids:
            try:
                page_id = int(page_id)
            except (TypeError, ValueError):
                continue
            if not may_read(user, page_id) and Page.objects.filter(pk=page_id).exists():
                return permission_denied(request)

        if match.view_name == "wagtailadmin_choose_page_chosen_multiple":
            _with_ids(request, readable_ids(user, request.GET.getlist("id")))
        elif match.view_name == "wagtail_bulk_action":
            model = (view_kwargs.get("app_label"), view_kwargs.get("model_name"))
            if model == ("wagtailcore", "page"):
                self._filter_bulk_pages(request, user, view_kwargs)
            elif model == ("disclosure_pages", "catalogueentry"):
                self._filter_bulk_entries(request, user)
        substitute = substitutes().get(match.view_name)
        if substitute is not None:
            return substitute(request, *view_args, **view_kwargs)
        return None

    def _filter_bulk_pages(self, request, user, view_kwargs):
        from wagtail.admin.views.bulk_action.registry import bulk_action_registry

        ids = request.GET.getlist("id")
        if "all" in ids:
            action_class = bulk_action_registry.get_bulk_action_class("wagtailcore", "page", view_kwargs.get("action"))
            if action_class is None:
                return
            try:
                ids = list(action_class(request, Page).get_all_objects_in_listing_query(request.GET.get("childOf")))
            except ObjectDoesNotExist:
                ids = []
        _with_ids(request, readable_ids(user, ids))

    def _filter_bulk_entries(self, request, user):
        from disclosure_pages.models import CatalogueEntry

        entries = CatalogueEntry.objects.all()
        ids = request.GET.getlist("id")
        if "all" not in ids:
            entries = entries.filter(pk__in=[pk for pk in ids if pk.isdigit()])
        _with_ids(request, list(visible_catalogue_entries(user, entries).values_list("pk", flat=True)))


def substitutes():
    """Wagtail's views that name pages of every unit, and ours in their place (behind the same admin check)."""
    global _SUBSTITUTES
    if _SUBSTITUTES is None:
        _SUBSTITUTES = {
            name: require_admin_access(view)
            for name, view in {
                "wagtailadmin_choose_page": UnitPageBrowseView.as_view(),
                "wagtailadmin_choose_page_child": UnitPageBrowseView.as_view(),
                "wagtailadmin_reports:page_types_usage": UnitPageTypesUsageReportView.as_view(),
                "wagtailadmin_reports:page_types_usage_results": UnitPageTypesUsageReportView.as_view(results_only=True),
                "wagtail_localize:translations_report": UnitTranslationsReportView.as_view(),
                "wagtail_localize:translations_report_results": UnitTranslationsReportView.as_view(results_only=True),
                "wagtail_localize:snippets_api_listing": VisibleSnippetsAPIViewSet.as_view({"get": "list"}),
                "wagtail_localize:snippets_api_detail": VisibleSnippetsAPIViewSet.as_view({"get": "retrieve"}),
            }.items()
        }
    return _SUBSTITUTES


_SUBSTITUTES = None


class ChildTitleColumn(PageTitleColumn):
    """The chooser's title cell, which names each row's parent: the page browsed, already at hand."""

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent

    def get_cell_context_data(self, instance, parent_context):
        if self.parent is not None and instance.depth == self.parent.depth + 1 and instance.path.startswith(self.parent.path):
            remember_parent(instance, self.parent)
        return super().get_cell_context_data(instance, parent_context)


class UnitPageBrowseView(BrowseView):
    """The page chooser opened for a page type starts where the user's pages of that type are.

    Wagtail starts at the common ancestor of every page of the type, which may be a page of
    another unit (one township's only item, say). Its rows read their status (scheduled, in
    review) and parent in the listing's queries, not a few queries a row.
    """

    def get_object_list(self):
        return super().get_object_list().annotate_approved_schedule().prefetch_workflow_states()

    @property
    def columns(self):
        return [
            ChildTitleColumn(column.name, label=column.label, is_multiple_choice=column.is_multiple_choice, parent=self.parent_page)
            if type(column) is PageTitleColumn else column
            for column in super().columns
        ]

    def get(self, request, parent_page_id=None):
        if parent_page_id is None and request.GET.get("page_type"):
            try:
                classes = page_models_from_string(request.GET["page_type"])
            except (ValueError, LookupError):
                classes = None
            if classes:
                pages = Page.objects.type(*classes) & readable_pages(request.user)
                parent = pages.first_common_ancestor() if pages.exists() else None
                if parent is None or not may_read(request.user, parent):
                    parent = Page.get_first_root_node()
                parent_page_id = parent.pk
        return super().get(request, parent_page_id)


class UnitPageTypesUsageReportView(PageTypesUsageReportView):
    """The page types report's "last edited" page is the last the user may read, not another unit's."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        user = self.request.user
        for page_type in page_types:
            page = page_type.last_edited_page
            if page is not None and not may_read(user, page):
                page_type.last_edited_page = self.last_readable(page_type)
        return page_types

    def last_readable(self, content_type):
        pages = readable_pages(self.request.user).filter(content_type=content_type)
        data = self.filters.form.cleaned_data if self.filters is not None and self.filters.is_valid() else {}
        if data.get("page_locale"):
            pages = pages.filter(locale__language_code=data["page_locale"])
        if data.get("site"):
            pages = pages.filter(path__startswith=data["site"])
        page = pages.order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk").first()
        return page.specific if page is not None else None


class UnitTranslationsReportView(TranslationsReportView):
    """wagtail-localize's translations report lists the translations of pages and entries the user may read."""

    def get_queryset(self):
        from disclosure_pages.models import CatalogueEntry

        translations = super().get_queryset()
        user = self.request.user
        if _sees_every_page(user):
            return translations
        page_types = list(ContentType.objects.get_for_models(*get_page_models()).values())
        entry_type = ContentType.objects.get_for_model(CatalogueEntry)
        readable = readable_pages(user).values("translation_key")
        entries = visible_catalogue_entries(user, CatalogueEntry.objects.all()).values("translation_key")
        return translations.exclude(
            Q(source__specific_content_type__in=page_types) & ~Q(source__object_id__in=readable)
        ).exclude(Q(source__specific_content_type=entry_type) & ~Q(source__object_id__in=entries))


class VisibleSnippetsAPIViewSet(LocalizeSnippetsAPIViewSet):
    """wagtail-localize's snippet API (its snippet chooser) offers the catalogue entries the user may see."""

    def get_queryset(self):
        from disclosure_pages.models import CatalogueEntry

        entries = super().get_queryset()
        if entries.model is CatalogueEntry:
            return visible_catalogue_entries(self.request.user, entries)
        return entries


# -- the catalogue entry chooser and views ---------------------------------------------------


class EntryFilterForm(LocaleFilterMixin, BaseFilterForm):
    """Finds an entry by any part of its name or number, typed in either script.

    A catalogue is a few dozen entries and Chinese names are not split into words, so a
    substring match serves better than the search index (光伏 finds 东关村自设光伏收益分配).
    """

    q = forms.CharField(
        label=gettext_lazy("Search term"),
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Search")}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "locale" in self.fields:
            if self.data.get("unit"):
                # Opened for a unit: its entries are in its script, there is nothing to choose.
                del self.fields["locale"]
            else:
                self.fields["locale"].label = gettext_lazy("语言区域")

    def filter(self, objects):
        from chinese.conversion import convert

        objects = super().filter(objects)
        query = self.cleaned_data.get("q", "").strip()
        if query:
            match = Q()
            for text in {query, convert(query, "s2tw"), convert(query, "t2s")}:
                match |= Q(name__icontains=text) | Q(code__icontains=text)
            objects = objects.filter(match)
            self.is_searching, self.search_query = True, query
        return objects


class VisibleEntriesMixin:
    """The entries the user may see; with ``?unit=<id>`` (the item editor's chooser) only those that unit discloses under.

    A unit's entries are its catalogue's county entries and its own, in its script: what the
    item model accepts (``DisclosureItemPage._clean_catalogue_entry``), so every row offered
    can be chosen.
    """

    def get_object_list(self):
        entries = visible_catalogue_entries(self.request.user, super().get_object_list())
        unit = self.chosen_for_unit
        if unit is None:
            return entries
        valid = unit.catalogue_entries().filter(locale_id=unit.locale_id).values_list("pk", flat=True)
        return entries.filter(pk__in=valid)

    @property
    def columns(self):
        columns = super().columns
        if self.chosen_for_unit is not None:
            # All in the unit's script: a column saying so on every row says nothing.
            columns = [column for column in columns if not isinstance(column, LocaleColumn)]
        return columns

    @cached_property
    def chosen_for_unit(self):
        from disclosure_pages.models import UnitPage

        unit_id = self.request.GET.get("unit", "")
        if not unit_id.isdigit() or not may_read(self.request.user, int(unit_id)):
            return None
        return UnitPage.objects.filter(pk=int(unit_id)).first()


class EntryChooseView(VisibleEntriesMixin, ChooseView):
    filter_form_class = EntryFilterForm


class EntryChooseResultsView(VisibleEntriesMixin, ChooseResultsView):
    filter_form_class = EntryFilterForm


class EntryChosenView(SnippetChosenView):
    def get_object(self, pk):
        return visible_catalogue_entries(self.request.user, self.model_class.objects.all()).get(pk=pk)


class EntryChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_catalogue_entries(self.request.user, super().get_objects(pks))


class UnitCatalogueEntryChooser(AdminSnippetChooser):
    """The item editor's entry chooser: opened for the item's unit (set ``unit``), whose entries are in its script."""

    unit = None

    def get_chooser_modal_url(self):
        url = super().get_chooser_modal_url()
        if self.unit is None:
            return url
        return f"{url}?unit={self.unit.pk}"


class CatalogueEntryChooserViewSet(SnippetChooserViewSet):
    """The catalogue entry chooser offers the county's shared entries and the user's units' own."""

    base_widget_class = UnitCatalogueEntryChooser
    preserve_url_parameters = ["multiple", "unit"]
    choose_view_class = EntryChooseView
    choose_results_view_class = EntryChooseResultsView
    chosen_view_class = EntryChosenView
    chosen_multiple_view_class = EntryChosenMultipleView


class VisibleEntryObjectMixin:
    def get_base_object_queryset(self):
        return visible_catalogue_entries(self.request.user, super().get_base_object_queryset())


class CatalogueEntryHistoryView(VisibleEntryObjectMixin, HistoryView):
    pass


class CatalogueEntryUsageView(VisibleEntryObjectMixin, UsageView):
    pass
