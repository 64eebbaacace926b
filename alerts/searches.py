"""Saved searches (保存的检索): a search page's query and facets, subscribed to like a unit.

The subscribe page is reached from the search results (「订阅此检索」) with the search's own
parameters; they are validated by the search form (``search.forms.SearchParametersForm``:
the same limits and Chinese errors as the search page) and kept as the query and its facet
parameters (``search.forms.saved_facets``: page and sort left out, members-only facets too,
as alerts send only what anyone may read). A newly published item matches when the search
page, asked by someone not signed in, finds it: see ``alerts.search_matching``.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from disclosure_pages.models import UnitPage
from script_variants.machine_translator import convert_for
from search import schema
from search.forms import SearchParametersForm, saved_facets
from search.service import UnknownUnit, resolve_unit


class BadSearch(Exception):
    """Search parameters that cannot be subscribed to; ``messages`` say why, in Chinese."""

    def __init__(self, messages):
        super().__init__(*messages)
        self.messages = messages


@dataclass(frozen=True)
class SavedSearch:
    query: str
    filters: dict = field(default_factory=dict)  # facet name → value, in the schema's order

    def parameters(self):
        """The search parameters, as a query string carries them."""
        return {"q": self.query, **self.filters}


def saved_search_of(params, locale):
    """The saved search of query-string ``params`` (a search page's); raises ``BadSearch``."""
    form = SearchParametersForm(params)
    if not form.is_valid():
        raise BadSearch([message for _name, _code, message in form.error_list()])
    query = form.cleaned_data["q"].strip()
    if not query:
        raise BadSearch([_("请先输入检索词，再订阅检索结果。")])
    saved = SavedSearch(query, saved_facets(form.cleaned_data))
    if saved.filters.get("unit"):
        try:
            resolve_unit(saved.filters["unit"], locale)
        except UnknownUnit:
            raise BadSearch([_("没有找到该单位，请从检索页面左侧选择单位。")]) from None
    return saved


def validated(query, filters):
    """The search service's parameters of a stored saved search, or None if they are no longer valid."""
    form = SearchParametersForm({"q": query, **filters})
    return form.cleaned_data if form.is_valid() and form.cleaned_data["q"] else None


def describe_search(query, filters):
    """A saved search in words of the active script: its query and its facets with their labels."""
    script = translation.get_language()
    chosen = [
        _("%(facet)s：%(value)s") % {"facet": facet.label, "value": _facet_value(facet, filters[facet.name], script)}
        for facet in schema.SCHEMA.facets if facet.name in filters
    ]
    if chosen:
        return _("检索“%(query)s”（%(filters)s）的新公开信息") % {"query": query, "filters": "；".join(chosen)}
    return _("检索“%(query)s”的新公开信息") % {"query": query}


def _facet_value(facet, value, script):
    if facet.filter == schema.SUBTREE:
        unit = _in_locale(UnitPage.objects.filter(code=value), script)
        return convert_for(unit.display_name, script) if unit else value
    if facet.named_by:
        named = _in_locale(facet.named_by.objects.filter(translation_key=value), script)
        return convert_for(named.name, script) if named else value
    if facet.choices:
        return str(facet.label_of(value))
    if facet.name == "year":
        return _("%(year)s年") % {"year": value}
    return str(value)


def _in_locale(queryset, script):
    """The row of ``queryset`` in the ``script``'s locale, else in the default one, else any."""
    return (
        queryset.filter(locale__language_code=script).first()
        or queryset.filter(locale=Locale.get_default()).first()
        or queryset.first()
    )
