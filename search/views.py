"""The public search page and its title suggestions."""

from django.apps import apps
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from wagtail.models import Site

from disclosure_pages.templatetags.portal_tags import in_script

from . import schema
from .forms import MAX_QUERY_LENGTH, SearchParametersForm
from .service import SearchUnavailable, UnknownUnit, search, suggest

EXAMPLES = ["党费", "民主评议", "发展党员", "三会一课", "2024年"]


def current_locale():
    return "zh-hant" if get_language() == "zh-hant" else "zh-hans"


def _portal(request, locale):
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    if root is not None and root.locale.language_code != locale:
        translation = root.get_translations().filter(locale__language_code=locale).first()
        root = translation.specific if translation else root
    return root


@require_GET
def search_page(request):
    locale = current_locale()
    form = SearchParametersForm(request.GET)
    context = {
        "page": _portal(request, locale),
        "page_heading": "全文检索",
        "form": form,
        "query": request.GET.get("q", "")[:MAX_QUERY_LENGTH],
        "examples": EXAMPLES,
        # The query string means the same in both scripts: the switch keeps it.
        "keep_query_on_switch": True,
    }
    status = 200
    if not form.is_valid():
        context["errors"] = [in_script(message) for _name, _code, message in form.error_list()]
        status = 400
    elif form.cleaned_data["q"]:
        try:
            results = search(form.cleaned_data, request.user, locale)
        except UnknownUnit:
            context["errors"] = [in_script("没有找到该单位，请从左侧选择单位。")]
            status = 400
        except SearchUnavailable:
            context["unavailable"] = True
            status = 503
        else:
            if results.count and not results.results and results.page > results.num_pages:
                # A page past the last (an old link, a hand-typed number): the last page, at its own URL.
                query = request.GET.copy()
                query["page"] = results.num_pages
                return redirect(f"{request.path}?{query.urlencode()}")
            context["results"] = results
            context["truncated"] = form.truncated
            link_filters(request.GET, results)
            context["active_filters"] = active_filters(request.GET, results)
            context["links"] = page_links(request.GET, results)
            context["subscribe_url"] = subscribe_url(request.GET)
    response = TemplateResponse(request, "search/search_page.html", context, status=status)
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _without(params, *names):
    query = params.copy()
    for name in ("page", *names):
        query.pop(name, None)
    return query


def link_filters(params, results):
    """Give each facet option the query string that selects it, or clears it when selected."""
    for facet in results.facets:
        for option in facet.options:
            query = _without(params, facet.name)
            if not option.selected:
                query[facet.name] = option.value
            option.query_string = query.urlencode()


def page_links(params, results):
    """Query strings for the sort order and the previous and next pages."""

    def with_value(name, value):
        query = _without(params, name)
        query[name] = value
        return query.urlencode()

    return {
        "relevance": with_value("sort", "relevance"),
        "date": with_value("sort", "date"),
        "previous": with_value("page", results.page - 1) if results.page > 1 else "",
        "next": with_value("page", results.page + 1) if results.page < results.num_pages else "",
    }


def active_filters(params, results):
    """The selected filters with their labels and the query string that removes each."""
    labels = {(facet.name, option.value): option.label for facet in results.facets for option in facet.options}
    # A selected option may stand for several values (same-named catalogue entries).
    labels.update({(facet.name, params.get(facet.name)): option.label for facet in results.facets for option in facet.options if option.selected})
    active = []
    for name in (facet.name for facet in schema.SCHEMA.facets):
        value = params.get(name)
        if value:
            label = labels.get((name, value)) or (results.unit_label if name == "unit" else value)
            active.append({"name": name, "label": label, "query_string": _without(params, name).urlencode()})
    return active


def subscribe_url(params):
    """The alerts' subscribe page for this search (「订阅此检索」): its query and facets, not its
    page or order; empty when the alerts app is not installed (or its pages not routed)."""
    if not apps.is_installed("alerts"):
        return ""
    try:
        page = reverse("alerts:subscribe")
    except NoReverseMatch:
        return ""
    query = QueryDict(mutable=True)
    for name in ("q", *(facet.name for facet in schema.SCHEMA.facets if not facet.members_only)):
        if params.get(name):
            query[name] = params[name]
    return f"{page}?{query.urlencode()}"


@require_GET
def suggestions(request):
    """Titles containing the typed text, for the search box (JSON)."""
    text = request.GET.get("q", "")[:MAX_QUERY_LENGTH]
    try:
        found = suggest(text, request.user, current_locale()) if text.strip() else []
    except SearchUnavailable:
        found = []
    response = JsonResponse({"suggestions": found}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
    response["Vary"] = "Cookie, Accept-Language"
    return response
