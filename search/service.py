"""The one query service behind the search page, the JSON endpoint and autocomplete.

It turns validated parameters into an ``ItemQuery`` for the user's audience, asks the
configured engine, falls back to the database engine when Elasticsearch/OpenSearch does not
answer (the database index is kept in step with it for that reason), and dresses the raw
answer: highlighted titles and snippets, facet labels in the page's script, pagination.
"""

import json
import logging
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _
from modelsearch.backends import get_search_backend
from wagtail.models import Page

from disclosure_pages.fragments import content_version
from disclosure_pages.models import PortalPage, UnitPage
from disclosure_pages.visibility import user_audience_keys

from . import schema
from .backends.columns import outside_transactions
from .conf import app_settings
from .highlight import highlight, snippet
from .models import IndexGeneration
from .query import SORT_DATE, SORT_RELEVANCE, ItemQuery, filter_values

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
SUGGESTIONS = 8


class SearchUnavailable(Exception):
    """No engine could answer."""


class UnknownUnit(Exception):
    """The ``unit`` parameter names no unit of this locale."""


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    query_string: str = ""  # set by the page: the link that toggles this option


@dataclass
class Facet:
    name: str
    label: str
    options: list


@dataclass
class ResultItem:
    page_id: int
    title: str
    title_html: str
    url: str
    snippet_html: str
    unit_name: str
    unit_code: str
    publish_date: object
    index_number: str
    document_number: str
    stage: str
    stage_label: str
    validity: str
    validity_label: str
    withdrawn: bool


@dataclass
class SearchPage:
    query: str
    count: int
    results: list
    facets: list
    page: int
    page_size: int
    sort: str
    engine: str
    degraded: bool = False  # answered by the fallback engine
    truncated: bool = False
    selected: dict = field(default_factory=dict)
    engine_ms: float = 0.0
    unit_label: str = ""  # the selected unit's name

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def first_number(self):
        return (self.page - 1) * self.page_size + 1


def configured_backends():
    """(primary, fallback) backend names: the fallback only when the primary is not the database."""
    primary = app_settings.SUNSHINE_SEARCH_BACKEND
    fallback = app_settings.SUNSHINE_SEARCH_FALLBACK_BACKEND
    return primary, (fallback if fallback != primary else None)


@lru_cache(maxsize=8)
def _cached_backend(name, config):
    return get_search_backend(name)


def backend(name):
    """The search backend ``name``, built once per configuration: an engine's client keeps its connections."""
    config = json.dumps(settings.WAGTAILSEARCH_BACKENDS.get(name), sort_keys=True, default=repr)
    return _cached_backend(name, config)


def _engine_search(query):
    primary, fallback = configured_backends()
    try:
        return backend(primary).search_items(query), primary, False
    except Exception as error:  # an unreachable or failing engine must not take the page down
        if fallback is None:
            logger.exception("Search backend %r failed", primary)
            raise SearchUnavailable from error
        logger.warning("Search backend %r failed (%s); answering from %r", primary, error, fallback)
    try:
        return backend(fallback).search_items(query), fallback, True
    except Exception as error:
        logger.exception("Fallback search backend %r failed too", fallback)
        raise SearchUnavailable from error


def warm_up():
    """Read what a process's first search would otherwise wait for: the answering engine's
    in-memory state of every locale with documents (the database engine's facet columns) and
    the unit facet's top unit. A web server process calls it as it starts, before it takes
    requests (deploy/gunicorn.conf.py); a failure is logged and left to the first search.
    """
    try:
        engine = backend(configured_backends()[0])
        for locale in IndexGeneration.objects.values_list("locale", flat=True):
            if hasattr(engine, "warm_up"):
                engine.warm_up(locale)
            _top_unit_path(locale)
    except Exception:  # a database not reachable yet must not keep the server from starting
        logger.exception("Warming up the search failed; the first search will do it")


def resolve_unit(code, locale):
    """The unit with ``code`` in the tree of ``locale``."""
    unit = UnitPage.objects.filter(code=code, locale__language_code=locale).only("path", "code", "title").first()
    if unit is None:
        raise UnknownUnit(code)
    return unit


def portal_path(locale):
    portal = PortalPage.objects.filter(locale__language_code=locale).only("path").first()
    return portal.path if portal else ""


def search(params, user, locale, page_size=PAGE_SIZE):
    """One page of search results for validated ``params`` (``SearchParametersForm.cleaned_data``).

    Labels are in the script of ``locale``, whatever language the caller has active.
    """
    with translation.override(locale):
        return _search(params, user, locale, page_size)


def _search(params, user, locale, page_size):
    text = params.get("q") or ""
    unit = resolve_unit(params["unit"], locale) if params.get("unit") else None
    page = params.get("page") or 1
    sort = params.get("sort") or SORT_RELEVANCE
    facets = _facets_for(user)
    query = _item_query(params, user, locale, unit, sort=sort, offset=(page - 1) * page_size, limit=page_size)
    selected = {facet.name: params[facet.name] for facet in schema.SCHEMA.facets if params.get(facet.name) not in (None, "")}
    if not query.phrases:
        return SearchPage(text, 0, [], [], page, page_size, sort, engine="", selected=selected)
    answer, engine, degraded = _engine_search(query)
    return SearchPage(
        query=text,
        count=answer.count,
        results=[_result_item(hit, text) for hit in answer.hits],
        facets=_facets(answer.facets, facets, query, locale, unit, params),
        page=page,
        page_size=page_size,
        sort=sort,
        engine=engine,
        degraded=degraded,
        selected=selected,
        engine_ms=answer.engine_ms,
        unit_label=unit.display_name if unit else "",
    )


def _facets_for(user):
    return [facet for facet in schema.SCHEMA.facets if user.is_authenticated or not facet.members_only]


def _item_query(params, user, locale, unit, **options):
    """The ``ItemQuery`` of validated ``params`` for ``user``'s audience (``options``: ItemQuery's own)."""
    return ItemQuery(
        text=params.get("q") or "",
        locale=locale,
        audience=user_audience_keys(user),
        filters={facet.name: _filter(facet, params.get(facet.name), unit, locale) for facet in _facets_for(user)},
        facet_root_path=unit.path if unit else _top_unit_path(locale),
        **options,
    )


def found_among(params, locale, page_ids):
    """Which of ``page_ids`` (documents of ``locale``) the search page finds for validated
    ``params`` when anyone (not signed in) searches: a saved search's new items (alerts).

    Asked of the engine that answers the search page (its fallback when it is down), limited to
    those documents; an unknown unit finds nothing. Raises ``SearchUnavailable``.
    """
    try:
        unit = resolve_unit(params["unit"], locale) if params.get("unit") else None
    except UnknownUnit:
        return set()
    query = _item_query(params, AnonymousUser(), locale, unit, limit=len(page_ids), facets=False, page_ids=tuple(page_ids))
    if not query.phrases or not page_ids:
        return set()
    answer, _engine, _degraded = _engine_search(query)
    return {hit.page_id for hit in answer.hits}


def suggest(text, user, locale, limit=SUGGESTIONS):
    """Titles that contain ``text`` (autocomplete), newest first, for ``user``'s audience."""
    query = ItemQuery(
        text=text, locale=locale, audience=user_audience_keys(user), sort=SORT_DATE, limit=limit, facets=False, title_only=True
    )
    if not query.phrases:
        return []
    answer, _engine, _degraded = _engine_search(query)
    return [{"title": hit.title, "url": hit.url, "title_html": str(highlight(hit.title, text))} for hit in answer.hits]


_top_unit_paths = {}


def _top_unit_path(locale):
    """The unit facet starts at the county: the one unit directly under the portal, if there is one.

    Finding it scans the locale's pages (nothing indexes depth), so it is kept per index
    generation: a unit tree change that matters to the facet moves items, and so the index.
    """
    generation = IndexGeneration.current(locale)
    key = (connection.settings_dict["NAME"], locale)
    cached = _top_unit_paths.get(key)
    if generation and cached is not None and cached[0] == generation:
        return cached[1]
    root = portal_path(locale)
    tops = list(UnitPage.objects.filter(path__startswith=root, depth=len(root) // Page.steplen + 1).values_list("path", flat=True)[:2])
    path = tops[0] if len(tops) == 1 else root
    _top_unit_paths[key] = (generation, path)
    return path


def _result_item(hit, text):
    return ResultItem(
        page_id=hit.page_id,
        title=hit.title,
        title_html=str(highlight(hit.title, text)),
        url=hit.url,
        snippet_html=str(snippet(hit.text, text)),
        unit_name=hit.unit_name,
        unit_code=hit.unit_code,
        publish_date=hit.publish_date,
        index_number=hit.index_number,
        document_number=hit.document_number,
        stage=hit.stage,
        stage_label=str(schema.SCHEMA.facet("stage").label_of(hit.stage)),
        validity=hit.validity,
        validity_label=str(schema.SCHEMA.facet("validity").label_of(hit.validity)),
        withdrawn=hit.withdrawn,
    )


def _filter(facet, value, unit, locale):
    """The engines' filter value of a facet parameter: a unit's path, or the keys of a named option."""
    if facet.filter == schema.SUBTREE:
        return unit.path if unit else None
    if facet.named_by:
        return _same_named(facet.named_by, value, locale)
    return value if value not in (None, "") else None


def _facets(raw, facets, query, locale, unit, params):
    """Labelled facets in sidebar order; the unit facet lists the children of the selected unit."""
    labelled = []
    for facet in facets:
        counts, label, selected = raw.get(facet.name, {}), facet.label, params.get(facet.name)
        if facet.filter == schema.SUBTREE:
            label, options = (unit.display_name if unit else label), _unit_options(counts, query)
        elif facet.named_by:
            options = _named_options(facet, counts, query, locale)
        elif facet.choices:
            options = [FacetOption(v, str(l), counts[v], selected == v) for v, l in facet.choices if counts.get(v)]
        else:  # the values themselves, largest first (years: newest)
            options = [FacetOption(str(v), f"{v}", c, selected == v) for v, c in sorted(counts.items(), reverse=True) if v]
        if options:
            labelled.append(Facet(facet.name, str(label), options))
    return labelled


def _unit_options(counts, query):
    units = {u.path: u for u in UnitPage.objects.filter(path__in=list(counts)).only("path", "code", "title", "short_name")}
    options = []
    for path, count in counts.items():
        if path in units:
            label = units[path].display_name + (_("（本级）") if path == query.facet_root_path else "")
            options.append(FacetOption(units[path].code, label, count, False))
    return sorted(options, key=lambda option: (-option.count, option.label))


def _named_options(facet, counts, query, locale):
    """One option per name: the county catalogues and units' own entries may share a name
    (主题党日活动安排 is in the five-area catalogue and in 7+X; villages add the same local
    entries). Selecting it selects every entry of that name (``_same_named``)."""
    names = _names_by_key(facet.named_by, locale)
    chosen = query.filters.get(facet.name)
    selected = set(filter_values(chosen)) if chosen else set()
    keys_of, totals = defaultdict(list), Counter()
    for key, count in counts.items():
        label = names.get(str(key))
        if label:
            keys_of[label].append(str(key))
            totals[label] += count
    options = [FacetOption(min(keys), label, totals[label], bool(selected.intersection(keys))) for label, keys in keys_of.items()]
    return sorted(options, key=lambda option: (-option.count, option.label))


_names = {}


def _names_by_key(model, locale):
    """Every name of ``model``'s rows in ``locale`` by translation key (text).

    A common word's facets name thousands of catalogue entries at a province's county: asking
    for them by key each search cost 60–130 ms. They are kept per content version
    (``disclosure_pages.fragments``: catalogues' saves move it) when read outside a transaction,
    whose rows may yet be rolled back and the version number taken again by another write.
    """
    version = content_version()
    key = (connection.settings_dict["NAME"], model._meta.label, locale)
    cached = _names.get(key)
    if version is not None and cached is not None and cached[0] == version:
        return cached[1]
    rows = model.objects.filter(locale__language_code=locale).order_by().values_list("translation_key", "name")
    names = {str(translation_key): name for translation_key, name in rows}
    if version is not None and outside_transactions():
        _names[key] = (version, names)
    return names


def _same_named(model, key, locale):
    """The filter for the catalogue area or entry ``key``: its key, or the keys of every one of
    ``locale`` with its name (the facet shows them as one option)."""
    if not key:
        return None
    key = str(key)
    name = model.objects.filter(translation_key=key, locale__language_code=locale).values_list("name", flat=True).first()
    if name is None:
        return key
    keys = sorted(
        {str(k) for k in model.objects.filter(name=name, locale__language_code=locale).values_list("translation_key", flat=True)}
    )
    return tuple(keys) if len(keys) > 1 else key

