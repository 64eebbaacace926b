"""The adversarial matrix: every route of the URL resolver, filled with the secrets' ids, requested
as every principal that must not see them; every answer checked for the secrets' markers.

Routes come from ``get_resolver()`` (recursively, with the ``i18n_patterns`` prefix of both
scripts and the admin URLs Wagtail's hooks register) and from the ``RoutablePageMixin``
page types' sub-routes (served through ``wagtail_serve``). A route is *exercised* when its
parameters can be filled (``fill``); otherwise it must be listed in ``EXCLUDED`` with the
reason — a new route whose parameter has no rule fails the coverage test until it gets one.
"""

import json
import re
import time
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlencode, urlsafe_base64_encode
from wagtail.models import Page

from .county import SEARCH_WORD, SECRETS, WORDS

LANGUAGES = ("zh-hans", "zh-hant")

# -- routes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the pattern, e.g. "admin/pages/<int:page_id>/edit/"; "<lang>/" for the i18n prefix
    name: str | None  # namespaced URL name, for reverse()
    params: tuple  # named parameters
    positional: int  # unnamed groups (regex patterns without names)
    i18n: bool = False
    routable: tuple | None = None  # (page model label, sub-route name) for RoutablePageMixin routes

    @property
    def label(self):
        return f"{self.name or '(unnamed)'} [{self.key}]"


def _pattern_parts(pattern):
    regex = pattern.regex
    names = tuple(regex.groupindex)
    return names, regex.groups - len(names)


def resolver_routes(resolver=None, prefix="", namespaces=(), params=(), positional=0, i18n=False):
    """Every URLPattern of the project's resolver as a Route (recursively)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            piece, names, unnamed, is_i18n = "<lang>/", (), 0, True
        else:
            piece = str(pattern)
            names, unnamed = _pattern_parts(pattern)
            is_i18n = False
        if isinstance(entry, URLResolver):
            ns = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from resolver_routes(entry, prefix + piece, ns, params + names, positional + unnamed, i18n or is_i18n)
        elif isinstance(entry, URLPattern):
            name = ":".join(namespaces + (entry.name,)) if entry.name else None
            yield Route(prefix + piece, name, params + names, positional + unnamed, i18n or is_i18n)


def routable_routes():
    """The sub-routes of every RoutablePageMixin page type (served by wagtail_serve)."""
    from wagtail.contrib.routable_page.models import RoutablePageMixin

    for model in apps.get_models():
        if issubclass(model, RoutablePageMixin) and issubclass(model, Page) and not model._meta.abstract:
            for entry in model.get_subpage_urls():
                if not entry.name:
                    continue
                names, unnamed = _pattern_parts(entry.pattern)
                label = model._meta.label
                yield Route(f"<page:{label}>/{entry.pattern}", entry.name, names, unnamed, True, (label, entry.name))


def all_routes():
    return list(resolver_routes()) + list(routable_routes())


# Routes not requested, with the reason. A stale entry (no such route any more) fails the coverage test.
EXCLUDED = {
    "admin/failwhale/": "Wagtail's deliberate error view (wagtailadmin_error_test raises to test error reporting); no data",
}

# POST is not exercised (the matrix is GET only, so it never changes what it checks); these
# routes change data on POST and are covered for reading only. Listed for the record.
POST_NOT_EXERCISED = (
    "every route: the matrix sends GET only. Mutating on POST: page add/edit/delete/copy/move/unpublish/"
    "lock/unlock/revert/unschedule/convert_alias/set_privacy/workflow actions and cancellation, bulk actions, "
    "the admin API page actions, collections/workflows/tasks/redirects/snippets/locales/sites/users/groups "
    "add/edit/delete/copy/enable/disable, document and image uploads/edits/deletes, settings, account, "
    "dismissibles, editing sessions, wagtail-localize submit/update/translate/upload/machine_translate/disable/"
    "convert_to_alias, takedown requests, next-stage, review outcome, API preview tokens, logout, password reset, "
    "page password forms, elder mode and the script switch, the second factor's enrolment, code, new recovery "
    "codes and removal (each POST asks the user's own current code)"
)

# Routes whose params are not filled by name but built by hand (unnamed patterns).
MANUAL_PATHS = {
    "admin/^.*/$": "/admin/no-such-admin-view/",
    "api/^.*$": "/api/v3/disclosures/",
}

# -- filling parameters with secrets ------------------------------------------------------


class Unfillable(Exception):
    pass


@dataclass
class Bundle:
    """One sampled secret object and what belongs to it (its revision, its file ...)."""

    label: str
    page: object
    revision: object
    document: object


def bundles(c):
    return [
        Bundle("draft", c.draft, c.draft_revision, c.draft_doc),
        Bundle("members", c.members, c.members_revision, c.doc),
        Bundle("pending", c.pending, c.pending_revision, c.doc),
        Bundle("members(zh-hant)", c.members_hant, c.members_hant_revision, c.doc),
    ]


# The object a ``pk`` means, by the route's name (first matching prefix/substring wins).
PK_KINDS = [
    ("wagtailapi:pages:", "page"),
    ("wagtailadmin_api:pages:", "page"),
    ("api-disclosure-detail", "page"),
    ("wagtailadmin_pages:revisions_compare", "page"),
    ("wagtailapi:images:", "image"),
    ("wagtailadmin_api:images:", "image"),
    ("wagtailimages_chooser:", "image"),
    ("wagtailapi:documents:", "document"),
    ("wagtailadmin_api:documents:", "document"),
    ("wagtaildocs_chooser:", "document"),
    ("api-attachment", "document"),
    ("wagtailadmin_collections:", "collection"),
    ("wagtailadmin_workflows:edit_task", "task"),
    ("wagtailadmin_workflows:disable_task", "task"),
    ("wagtailadmin_workflows:enable_task", "task"),
    ("wagtailadmin_workflows:", "workflow"),
    ("catalogueentry", "entry"),
    ("conversionoverride", "conversion override"),
    ("_disclosure_pages_catalogue:", "catalogue"),
    ("wagtaillocales:", "locale"),
    ("wagtailsites:", "site"),
    ("wagtailusers_users:", "user"),
    ("wagtailusers_groups:", "group"),
    ("wagtailsettings:", "settings"),
    ("wagtail_localize:snippets_api_detail", "entry"),
    ("wagtail_localize:submit_snippet_translation", "entry"),
    ("opinion_catalogue_entries:", "opinion catalogue entry"),
    ("opinion_calendar_days:", "calendar day"),
    ("supervision_findings:", "finding"),
    ("evaluation_questionnaires:", "questionnaire"),
]

# (app label, model name) a route's model parameters name, by route name.
MODEL_PARAMS = [
    ("wagtail_bulk_action", ("wagtailcore", "page")),
    ("wagtailadmin_pages:", ("disclosure_pages", "disclosureitempage")),
    ("wagtailadmin_tag_model_autocomplete", ("wagtaildocs", "document")),
    ("wagtailadmin_editing_sessions:", ("wagtailcore", "page")),
    ("wagtailadmin_workflows:add_task", ("disclosure_workflows", "unitapprovaltask")),
    ("wagtail_localize:", ("disclosure_pages", "catalogueentry")),
    ("wagtailsettings:", ("disclosure_pages", "portalsettings")),
]


def _starts(route, table):
    for prefix, value in table:
        if route.name and prefix in route.name:
            return value
    raise Unfillable(f"no rule for {route.label}")


def _object_id(c, kind, bundle):
    from disclosure_pages.models import PortalSettings
    from wagtail.models import Locale, Site, Workflow

    if kind == "page":
        return bundle.page.pk
    if kind == "image":
        return c.image.pk
    if kind == "document":
        return bundle.document.pk
    if kind == "collection":
        return c.doc.collection_id
    if kind == "task":
        return c.task_state.task_id
    if kind == "workflow":
        return Workflow.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    if kind == "entry":
        return c.entry.pk
    if kind == "catalogue":
        return c.entry.area.catalogue_id
    if kind == "locale":
        return Locale.get_default().pk
    if kind == "site":
        return Site.objects.values_list("pk", flat=True).first()
    if kind == "user":
        return c.officer.pk
    if kind == "group":
        return c.a.officers_group_id
    if kind == "settings":
        return PortalSettings.objects.values_list("pk", flat=True).first() or 1
    if kind == "opinion catalogue entry":
        from participation.models import OpinionCatalogueEntry

        return OpinionCatalogueEntry.objects.get_or_create(entry=c.entry, defaults={"open_days": 7})[0].pk
    if kind == "finding":
        return c.finding.pk
    if kind == "questionnaire":
        return c.members_round.questionnaire_id
    if kind == "calendar day":
        from participation.models import CalendarDay

        return CalendarDay.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    if kind == "conversion override":
        from script_variants.models import ConversionOverride

        return ConversionOverride.objects.get_or_create(source="资金发放", defaults={"converted": "資金發放"})[0].pk
    raise Unfillable(kind)


def fill(route, param, c, bundle):
    """The value of ``param`` in ``route`` for the secret ``bundle``; Unfillable if there is no rule."""
    page_params = {"page_id", "page_to_move_id", "page_pk", "object_id"}
    if param in page_params:
        return bundle.page.pk
    if param in {"parent_page_id", "destination_id"}:
        return c.a.pk  # A's section: its listing holds the secrets
    if param == "pk":
        return _object_id(c, _starts(route, PK_KINDS), bundle)
    if param in {"revision_id", "revision_id_a"}:
        return bundle.revision.pk
    if param == "revision_id_b":
        return "latest"
    if param == "workflow_state_id":
        return c.workflow_state.pk
    if param == "task_state_id":
        return c.task_state.pk
    if param == "task_id":
        return c.task_state.task_id
    if param == "workflow_pk":
        return _object_id(c, "workflow", bundle)
    if param in {"document_id", "doc_id"}:
        return bundle.document.pk
    if param == "image_id":
        return c.image.pk
    if param == "filter_spec":
        return "max-165x165"
    if param == "collection_id":
        return c.doc.collection_id
    if param in {"app_label", "content_type_app_name", "app_name"}:
        return _starts(route, MODEL_PARAMS)[0]
    if param in {"model_name", "content_type_model_name"}:
        return _starts(route, MODEL_PARAMS)[1]
    if param == "action":  # bulk actions
        return "delete"
    if param == "action_name":
        return "copy" if route.name and route.name.startswith("wagtailadmin_api") else "approve"
    if param == "translation_id":
        return c.translation.pk if c.translation else 1
    if param == "translation_source_id":
        return c.translation_source.pk if c.translation_source else 1
    if param == "string_segment_id":
        return c.string_segment.pk if c.string_segment else 1
    if param == "overridable_segment_id":
        return c.overridable_segment.pk if c.overridable_segment else 1
    if param == "mode":
        return "default"
    if param in {"page_view_restriction_id"}:
        return c.restriction.pk
    if param == "restriction_id":  # a collection view restriction: the project has none
        return 1
    if param in {"session_id", "uploaded_file_id", "redirect_id"}:
        return 1  # none exist; the view's 404 path is what is exercised
    if param == "uidb64":
        return urlsafe_base64_encode(force_bytes(c.officer.pk))
    if param == "token":
        return "set-password"
    if param == "language":
        return "zh-hant"
    if param == "entry_id":
        return c.entry.pk
    if param == "entry_key":
        return c.entry.translation_key
    if param == "feed":
        return "rss"
    if param == "name" and route.name == "disclosure_image_file":
        return c.image.file.name  # see file_urls() for renditions
    if param == "signature":
        return "placeholder"
    if param == "filename":
        return bundle.document.filename
    if param == "fmt":  # the ledger's exports
        return "xlsx" if bundle.label in ("members", "members(zh-hant)") else "csv"
    if param == "kind" and route.name == "workflows_county_overdue":
        return "approvals"  # 县级督办: the items behind a count
    if param == "section_id":
        return c.a.pk  # A's section: its overdue items are the secrets
    if param == "unit_id":  # supervision's 公开日历 and 催办 of A
        return c.a.pk
    if param == "exemption_id":  # supervision's 免于公开 of A (not a secret: the county office's own record)
        from supervision.models import Exemption

        return Exemption.objects.get_or_create(unit=c.a, entry=c.entry, defaults={"starts_on": "2020-01-01", "reason": "matrix"})[0].pk
    if param == "round_id":  # the evaluation round whose results only A's members may read
        return c.members_round.pk
    if param == "inspection_id":
        return c.inspection.pk
    if param == "year":  # the annual report
        return c.members_round.period_start.year
    if param == "extension":
        return "xlsx" if bundle.label in ("members", "members(zh-hant)") else "docx"
    if param in {"opinion_id", "number"}:
        opinion = secret_opinion(c, bundle)
        return opinion.pk if param == "opinion_id" else opinion.number
    raise Unfillable(f"no rule for parameter {param!r} of {route.label}")


# The opinion of A a bundle's routes are asked about (each secret opinion meets each route under some principal).
OPINION_OF_BUNDLE = {
    "draft": "opinion_pending", "members": "opinion_members", "pending": "opinion_hidden", "members(zh-hant)": "opinion_contact",
}


def secret_opinion(c, bundle):
    return c.opinions[OPINION_OF_BUNDLE.get(bundle.label, "opinion_members")]


def secret_page_paths(c):
    """The paths wagtail_serve is asked for: the secrets' own URLs (both scripts) and the listings holding them."""
    paths = [
        c.members.url, c.members_hant.url, c.draft.url, c.pending.url,
        c.a.url, c.a_hant.url if c.a_hant else None, c.portal.url, c.portal_hant.url if c.portal_hant else None,
    ]
    return [p for p in paths if p]


def routable_page(c, label):
    return {
        "disclosure_pages.PortalPage": [c.portal, c.portal_hant],
        "disclosure_pages.UnitPage": [c.a, c.a_hant],
        "disclosure_pages.DisclosureItemPage": [c.members, c.members_hant, c.draft],
    }.get(label)


def build_urls(route, c, bundle):
    """The concrete URLs to request for ``route`` (several for i18n and page-serving routes)."""
    if route.key in EXCLUDED:
        return []
    if route.key in MANUAL_PATHS:
        return [MANUAL_PATHS[route.key]]
    if route.routable:
        pages = routable_page(c, route.routable[0])
        if not pages:
            raise Unfillable(f"no page of type {route.routable[0]} for {route.label}")
        kwargs = {p: fill(route, p, c, bundle) for p in route.params}
        urls = []
        for page in pages:
            if page is None:
                continue
            sub = page.specific.reverse_subpage(route.routable[1], kwargs=kwargs or None)
            urls.append(page.url + sub)
        return urls
    if route.name == "wagtail_serve":
        return secret_page_paths(c)
    if route.name == "wagtaildocs_serve":
        return [reverse("wagtaildocs_serve", args=(doc.pk, doc.filename)) for doc in (c.doc, c.draft_doc)]
    if route.name == "disclosure_image_file":
        return image_file_urls(c)
    if route.positional:
        raise Unfillable(f"{route.positional} unnamed parameter(s) in {route.label}")
    kwargs = {p: fill(route, p, c, bundle) for p in route.params}
    if route.name is None:
        if kwargs or re.search(r"[\^$*+?()\[\]\\]", route.key):
            raise Unfillable(f"unnamed pattern with parameters: {route.label}")
        return ["/" + route.key]
    urls = []
    for language in LANGUAGES if route.i18n else (None,):
        try:
            if language:
                with translation.override(language):
                    urls.append(reverse(route.name, kwargs=kwargs or None))
            else:
                urls.append(reverse(route.name, kwargs=kwargs or None))
        except NoReverseMatch as error:
            raise Unfillable(f"reverse({route.name}, {kwargs}) failed: {error}") from error
    return urls


def image_file_urls(c):
    """The image's original and one rendition, as the storage hands them out."""
    urls = [c.image.file.url]
    try:
        urls.append(c.image.get_rendition("max-100x100").url)
    except Exception:  # pragma: no cover - a rendition that cannot be made is not a URL to test
        pass
    return urls


# Query strings added to a route's main request: a search for all secrets, and the ids a view reads from the query.
def route_query(route, c, bundle):
    """The query string of a route's main request: a search for all secrets where a view may search
    (not the APIs, which refuse unknown parameters), and the ids a view reads from the query."""
    name = route.name or ""
    is_api = route.key.startswith("api/") or route.key.startswith("admin/api/")
    query = {} if is_api else {"q": SEARCH_WORD}
    if name == "api-search":
        query["q"] = SEARCH_WORD
    if name == "wagtail_bulk_action":
        query["id"] = bundle.page.pk
    if name.endswith("chosen_multiple") or name.endswith("chosen-multiple"):
        if "page" in name:
            query["id"] = bundle.page.pk
        elif "catalogueentry" in name:
            query["id"] = c.entry.pk
        elif "image" in name:
            query["id"] = c.image.pk
        else:
            query["id"] = bundle.document.pk
    if name in {"wagtailadmin_api:pages:listing"}:
        query.update({"child_of": c.a.pk, "for_explorer": 1})
    if name in {"wagtailapi:pages:listing"}:
        query.update({"child_of": c.a.pk, "fields": "*"})
    if name in {"workflows_review_audit", "workflows_review_audit_results"}:
        query["unit"] = c.a.pk
    if name.startswith("wagtailadmin_choose_page"):
        query["page_type"] = "wagtailcore.page"
    if name == "alerts:subscribe":  # 订阅提醒 of the secret page: offered for public pages only
        query["page"] = bundle.page.pk
    return query


def extra_requests(c):
    """Requests beyond one per route: the API's filters and ids, searches, file URLs (route key, url, query)."""
    api = "api/v2/disclosures/"
    extras = [
        (api, "/api/v2/disclosures/", {"unit": c.a.pk, "descendants": "true", "limit": 100}),
        (api, "/api/v2/disclosures/", {"unit": c.a.pk, "updated_since": "2000-01-01T00:00:00Z"}),
        (api, "/api/v2/disclosures/", {"entry": c.entry.pk, "locale": "zh-hant"}),
        ("api/v2/search/", "/api/v2/search/", {"q": WORDS["members"]}),
        ("api/v2/search/", "/api/v2/search/", {"q": SEARCH_WORD, "unit": c.a.code, "locale": "zh-hant"}),
        ("api/v2/feeds/", "/api/v2/feeds/", {"unit": c.a.pk}),
        ("api/v2/catalogue/", "/api/v2/catalogue/", {"unit": c.a.pk}),
        ("api/v2/preview/", "/api/v2/preview/", {"token": "x" * 40}),
        ("api/v2/^pages/", "/api/v2/pages/", {"descendant_of": c.a.pk, "type": "disclosure_pages.DisclosureItemPage", "fields": "*"}),
        ("api/v2/^pages/", "/api/v2/pages/", {"id": c.members.pk, "fields": "*"}),
        ("api/v2/^pages/", "/api/v2/pages/", {"child_of": c.a_hant.pk if c.a_hant else c.a.pk, "fields": "*"}),
        ("api/v2/^pages/find/", "/api/v2/pages/find/", {"html_path": c.members.url}),
        ("api/v2/^images/", "/api/v2/images/", {"fields": "*", "limit": 100}),
        ("api/v2/^documents/", "/api/v2/documents/", {"fields": "*", "limit": 100}),
        ("admin/api/main/^pages/", "/admin/api/main/pages/", {"descendant_of": c.a.pk, "fields": "*", "search": SEARCH_WORD}),
        ("admin/api/main/^documents/", "/admin/api/main/documents/", {"fields": "*"}),
        ("admin/api/main/^images/", "/admin/api/main/images/", {"fields": "*"}),
        ("<lang>/search/", "/zh-hans/search/", {"q": WORDS["members"]}),
        ("<lang>/search/", "/zh-hant/search/", {"q": WORDS["draft"]}),
        ("<lang>/search/", "/zh-hans/search/", {"q": WORDS["pending"]}),
        ("<lang>/search/suggest/", "/zh-hans/search/suggest/", {"q": "矩阵"}),
        ("admin/pages/search/", "/admin/pages/search/", {"q": WORDS["draft"]}),
        ("admin/documents/", "/admin/documents/", {"collection_id": c.doc.collection_id}),
        ("admin/images/", "/admin/images/", {"collection_id": c.image.collection_id}),
        ("sitemap.xml", "/sitemap.xml", {}),
        # The image file view asked for other files under MEDIA_ROOT: the documents (whose own view checks their item).
        ("files/<path:name>", "/files/" + c.doc.file.name, {}),
        ("files/<path:name>", "/files/original_images/../" + c.draft_doc.file.name, {}),
        ("files/<path:name>", "/files/original_images/%2e%2e/" + c.doc.file.name, {}),
        ("admin/documents/chooser/results/", "/admin/documents/chooser/results/", {"q": WORDS["doc"]}),
        ("admin/images/chooser/results/", "/admin/images/chooser/results/", {"q": WORDS["image"]}),
        ("admin/choose-page/search/", "/admin/choose-page/search/", {"q": WORDS["draft"], "page_type": "wagtailcore.page"}),
        # Opinions: A's section of the ledger, its filters and exports, the opinion API, the admin queue's filters.
        ("<lang>/opinions/", "/zh-hans/opinions/", {"unit": c.a.pk, "period": "all"}),
        ("<lang>/opinions/", "/zh-hant/opinions/", {"unit": c.a_hant.pk if c.a_hant else c.a.pk, "period": "all", "state": "received"}),
        ("<lang>/opinions/export.<str:fmt>", "/zh-hans/opinions/export.csv", {"unit": c.a.pk, "period": "all"}),
        ("<lang>/opinions/export.<str:fmt>", "/zh-hans/opinions/export.xlsx", {"unit": c.a.pk, "period": "all"}),
        # 县级督办's other kind: the units of A's section whose leading group has no approver.
        ("admin/reports/county-overdue/<str:kind>/<int:section_id>/", reverse("workflows_county_overdue", args=["leading-groups", c.a.pk]), {}),
        ("api/v2/opinions/", "/api/v2/opinions/", {"unit": c.a.pk, "limit": 100}),
        ("api/v2/opinions/figures/", "/api/v2/opinions/figures/", {"unit": c.a.pk}),
        ("admin/opinions/", "/admin/opinions/", {"unit": c.a.pk, "q": WORDS["members"]}),
        # The subscribe page's unit lists: below A, below the members-only item, A's name (never an item's).
        ("<lang>/alerts/subscribe/", "/zh-hans/alerts/subscribe/", {"under": c.a.pk}),
        ("<lang>/alerts/subscribe/", "/zh-hant/alerts/subscribe/", {"under": c.members.pk}),
        ("<lang>/alerts/subscribe/", "/zh-hans/alerts/subscribe/", {"name": SEARCH_WORD}),
        ("<lang>/alerts/subscribe/", "/zh-hans/alerts/subscribe/", {"q": SEARCH_WORD, "unit": c.a.code}),
        (
            "admin/snippets/choose/disclosure_pages/catalogueentry/results/",
            "/admin/snippets/choose/disclosure_pages/catalogueentry/results/", {"q": WORDS["entry"]},
        ),
    ]
    return extras


# -- principals ---------------------------------------------------------------------------


@dataclass
class Principal:
    key: str
    user: object = None  # None: anonymous
    token: str | None = None
    settings: dict = field(default_factory=dict)
    client: Client = None

    def login(self):
        self.client = Client(raise_request_exception=False)
        if self.user is not None:
            self.client.force_login(self.user)


def principals(c):
    """Who must see none of township A's secrets."""
    found = [Principal("anonymous")]
    for key in ("member_B", "officer_B", "approver_B", "village_officer"):
        found.append(Principal(key, c.users[key], c.tokens[key]))
    found.append(
        Principal(
            "village_officer+MANAGE_VILLAGES", c.users["village_officer"], c.tokens["village_officer"],
            {"SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES": True},
        )
    )
    for principal in found:
        principal.login()
    return found


# -- requests and findings ----------------------------------------------------------------


@dataclass
class Finding:
    route: str
    principal: str
    url: str
    status: int
    what: str

    def line(self):
        return f"{self.route} | {self.principal} | {self.url} | {self.status} | {self.what}"


@dataclass
class Stats:
    requests: int = 0
    seconds: float = 0.0
    statuses: dict = field(default_factory=dict)
    slow: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # route key -> {principal: set of statuses}
    route_seconds: dict = field(default_factory=dict)  # route key -> seconds in its requests


def body_of(response):
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return with_zip_members(body)


def with_zip_members(body):
    """A zip file (an XLSX export) with its members' bytes appended: a marker inside is found as in any body."""
    import io
    import zipfile

    if not body.startswith(b"PK"):
        return body
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return body + b"".join(archive.read(name) for name in archive.namelist())
    except zipfile.BadZipFile:
        return body


def flash_messages(response):
    """Texts of the messages a response stores in the messages cookie (shown on the next page)."""
    morsel = response.cookies.get("messages")
    if morsel is None or not morsel.value:
        return []
    storage = CookieStorage(HttpRequest())
    try:
        decoded = storage._decode(morsel.value)
    except Exception:
        return []
    return [str(message) for message in decoded or []]


def _secret_ids(c):
    """(kind, id) pairs whose presence in a JSON answer is a leak."""
    pages = {c.draft.pk, c.members.pk, c.members_hant.pk}
    return {
        "page": pages,
        "document": {c.doc.pk, c.draft_doc.pk},
        "image": {c.image.pk},
    }


JSON_ROUTE_KINDS = [
    ("api/v2/disclosures", "page"),
    ("api/v2/search", "page"),
    ("api/v2/pages", "page"),
    ("admin/api/main/pages", "page"),
    ("api/v2/documents", "document"),
    ("admin/api/main/documents", "document"),
    ("api/v2/images", "image"),
    ("admin/api/main/images", "image"),
]


def _json_kind(node, default):
    meta = node.get("meta") if isinstance(node.get("meta"), dict) else {}
    kind = meta.get("type") or ""
    if kind:
        if kind.startswith("wagtaildocs."):
            return "document"
        if kind.startswith("wagtailimages."):
            return "image"
        return "page"
    if "width" in node and "height" in node:
        return "image"
    if "download_url" in meta or "download_url" in node:
        return "document"
    return default


def json_id_leaks(data, url, ids):
    """Secret ids in a JSON answer: dicts with ``id`` of a secret of their kind (pages, documents, images)."""
    default = next((kind for prefix, kind in JSON_ROUTE_KINDS if prefix in url), None)
    found = []

    def walk(node, kind_hint):
        if isinstance(node, dict):
            kind = _json_kind(node, kind_hint)
            if kind and isinstance(node.get("id"), int) and node["id"] in ids.get(kind, ()):
                found.append(f"{kind} id {node['id']}")
            for key, value in node.items():
                hint = "document" if key in {"attachments", "documents"} else ("image" if key == "images" else kind_hint)
                walk(value, hint)
        elif isinstance(node, list):
            for value in node:
                walk(value, kind_hint)

    walk(data, default)
    return found


class _RollBack(Exception):
    pass


class Runner:
    """Requests URLs as principals and records findings (leaks and server errors)."""

    def __init__(self, c, findings=None):
        self.c = c
        self.findings = [] if findings is None else findings
        self.stats = Stats()
        self.ids = _secret_ids(c)
        self.requested = set()  # route keys requested

    def get(self, route_key, principal, url, query=None, check=True):
        query = query or {}
        full = f"{url}?{urlencode(query)}" if query else url
        echoed = [secret.marker for secret in SECRETS if not secret.url_part and secret.marker.lower() in full.lower()]
        assert not echoed, f"a request must not carry a marker (an echo would read as a leak): {full}"
        headers = {}
        if principal.token and url.startswith("/api/"):
            headers["Authorization"] = f"Bearer {principal.token}"
        started = time.monotonic()
        with override_settings(SUNSHINE_API_RATE_ANON="", SUNSHINE_API_RATE_MEMBER="", **principal.settings):
            response = self._request(principal, url, query, headers)
        elapsed = time.monotonic() - started
        self.stats.requests += 1
        self.stats.seconds += elapsed
        self.stats.statuses[response.status_code] = self.stats.statuses.get(response.status_code, 0) + 1
        self.stats.route_seconds[route_key] = self.stats.route_seconds.get(route_key, 0.0) + elapsed
        if elapsed > 1.0:
            self.stats.slow.append((round(elapsed, 2), full))
        self.requested.add(route_key)
        self.stats.answers.setdefault(route_key, {}).setdefault(principal.key, set()).add(response.status_code)
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            detail = f"{error[0].__name__}: {str(error[1])[:160]}" if error else "no exception recorded"
            self.findings.append(Finding(route_key, principal.key, full, response.status_code, f"server error ({detail})"))
        if check:
            self.check(route_key, principal, full, response)
        # The matrix never follows a redirect; keep the session (a GET must not log anyone out).
        if principal.user is not None and "_auth_user_id" not in principal.client.session:
            principal.login()
        principal.client.cookies.pop("messages", None)
        return response

    @staticmethod
    def _request(principal, url, query, headers):
        """One GET in a savepoint that is always rolled back: a GET must change nothing the next
        request reads, and on PostgreSQL a failed query (even one a middleware turns into a
        400) aborts the test's transaction, so every later request would fail with it."""
        outcome = {}
        try:
            with transaction.atomic():
                outcome["response"] = principal.client.get(url, query, headers=headers)
                raise _RollBack
        except _RollBack:
            pass
        return outcome["response"]

    def check(self, route_key, principal, full, response):
        is_admin = full.startswith("/admin/")
        body = body_of(response)
        lowered = body.lower()
        texts = [("body", lowered)]
        messages = flash_messages(response)
        if messages:
            texts.append(("flash message", "\n".join(messages).lower().encode()))
        location = response.get("Location", "")
        if location:
            texts.append(("redirect location", location.lower().encode()))
        for secret in SECRETS:
            if secret.admin_only and not is_admin:
                continue
            if secret.url_part and secret.marker.lower() in full.lower():
                continue  # the answer to the secret's own URL (a 404 page, a login redirect) may name it
            marker = secret.marker.lower().encode()
            for where, text in texts:
                if marker in text:
                    self.findings.append(
                        Finding(route_key, principal.key, full, response.status_code, f"{secret.what} [{secret.marker}] in {where}")
                    )
        content_type = response.get("Content-Type", "")
        if 200 <= response.status_code < 300 and "json" in content_type:
            try:
                data = json.loads(body)
            except ValueError:
                return
            for leak in json_id_leaks(data, full, self.ids):
                self.findings.append(Finding(route_key, principal.key, full, response.status_code, f"secret {leak} in JSON"))


# -- fuzzing --------------------------------------------------------------------------------

# Values a path's integer parameter can take (anything else does not match its converter):
# past a 64-bit integer everywhere, past PostgreSQL's 32-bit ``integer`` columns there.
def fuzz_path_ints(vendor):
    return [0, 2**31, 2**63] if vendor == "postgresql" else [0, 2**63]


# Values for query parameters that take integers or dates (all of them in the combined requests).
FUZZ_VALUES = ["0", "-1", "99999999999999999999999", str(2**63), "abc", "0001-01-01", "9999-12-31", "", "2024-02-30", "1e3"]
FUZZ_INT_VALUES = ["0", "-1", "99999999999999999999999", str(2**63), str(2**31), "abc", "", "1e3"]
FUZZ_DATE_VALUES = ["0001-01-01", "9999-12-31", "2024-02-30", "99999-01-01", "2024-01-01T25:00:00", "abc", "", "-1"]
DATE_PARAMS = {"date_from", "date_to", "updated_since", "timestamp_after", "timestamp_before", "timestamp_min", "timestamp_max"}


def fuzz_values_for(param):
    return FUZZ_DATE_VALUES if param in DATE_PARAMS else FUZZ_INT_VALUES
FUZZ_QUERY_PARAMS = [
    "page", "p", "unit", "id", "limit", "offset", "year", "date_from", "date_to", "updated_since", "entry", "area",
    "child_of", "descendant_of", "page_size", "collection_id", "user", "timestamp_after", "timestamp_before",
    "timestamp_min", "timestamp_max", "parent", "locale", "content_type", "site", "revision", "workflow", "task",
]
# Routes whose views read these query parameters: each parameter × each value, one at a time.
FUZZ_QUERY_FOCUS = {
    "api/v2/disclosures/": ["unit", "area", "entry", "year", "date_from", "date_to", "updated_since", "limit", "offset", "locale", "descendants"],
    "api/v2/search/": ["unit", "year", "page", "page_size", "area", "entry"],
    "api/v2/feeds/": ["unit", "limit", "offset", "entry"],
    "api/v2/catalogue/": ["unit"],
    "api/v2/units/": ["unit", "parent"],
    "api/v2/^pages/": ["child_of", "descendant_of", "limit", "offset", "id"],
    "api/v2/^images/": ["limit", "offset", "id"],
    "api/v2/^documents/": ["limit", "offset", "id"],
    "<lang>/search/": ["unit", "year", "page", "date_from", "date_to", "entry", "area"],
    "<page:disclosure_pages.PortalPage>/catalogue/<int:entry_id>/": ["unit", "page"],
    "<page:disclosure_pages.PortalPage>/catalogue/<uuid:entry_key>/": ["unit", "page"],
    "<page:disclosure_pages.UnitPage>/": ["page", "year", "area"],
    "admin/reports/review-audit/": ["unit", "user", "timestamp_after", "timestamp_before", "p"],
    "admin/pages/<int:parent_page_id>/": ["p", "ordering", "locale"],
    "admin/documents/": ["collection_id", "p"],
    "admin/images/": ["collection_id", "p"],
    "admin/api/main/^pages/": ["child_of", "descendant_of", "limit", "offset", "id"],
}


def int_params(route):
    """Path parameters of ``route`` that take integers."""
    found = []
    for param in route.params:
        if re.search(rf"<int:{param}>|\(\?P<{param}>[^)]*\\d", route.key):
            found.append(param)
    return found
