"""The public crawl: from the portal roots of both scripts, every same-site link (pages,
feeds, sitemap, print views, search with a few queries and its facet links, the API and the
links in its answers, documents and image files), as an anonymous reader and as a member."""

import re
from urllib.parse import urlencode, urlsplit

from django.test import Client
from wagtail.models import Locale

from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage

from .crawler import CRAWL_BASE, Crawl, PageMap, query_keys, route_name

SEARCHES = {
    "zh-hans": ["党员", "通知", "公开 党务", "没有这个词"],
    "zh-hant": ["黨員", "通知", "党务"],  # a Simplified word finds Traditional items too
}
API_SEEDS = [
    "/api/v2/disclosures/",
    "/api/v2/disclosures/?locale=zh-hant",
    "/api/v2/units/",
    "/api/v2/units/?locale=zh-hant",
    "/api/v2/catalogue/",
    "/api/v2/catalogue/?locale=zh-hant",
    "/api/v2/feeds/",
    "/api/v2/search/?" + urlencode({"q": "党员"}),
    "/api/v2/search/?" + urlencode({"q": "黨員", "locale": "zh-hant"}),
    "/api/v2/pages/",
    "/api/v2/documents/",
    "/api/v2/images/",
    "/api/docs/",
    "/api/schema/",
]


def lang_of(path):
    part = path.split("/")[1] if path.count("/") > 1 else ""
    return part if part.startswith("zh-") else ""


def public_key(page_map):
    """The kind of a public URL: a page's type and sub-route (an item: per unit; a unit: per
    unit type), or the route's name; with the script and the query's parameter names."""

    def key(url):
        path = url.split("?")[0]
        name, kwargs = route_name(path)
        if name == "wagtail_serve":
            page, sub = page_map.lookup(path)
            if page is None:
                return ("page", lang_of(path), "(unknown)", "", "", query_keys(url))
            extra = ""
            if isinstance(page, DisclosureItemPage):
                extra = page.get_parent().pk  # at most ``cap`` items per unit
            elif isinstance(page, UnitPage):
                extra = page.unit_type
            return ("page", lang_of(path), type(page).__name__, sub, extra, query_keys(url))
        return ("route", name, lang_of(path), query_keys(url))

    return key


MAX_QUERY_KEYS = 2  # a found link with more (search facets on facets, paged) is not followed


def follow_public(path):
    return not path.startswith("/admin/") and len(query_keys(path)) <= MAX_QUERY_KEYS


def isolated(path):
    """The script switch and the elder mode set cookies: requested without keeping them."""
    return path.startswith(("/script/", "/elder-mode/"))


def public_seeds(c):
    seeds = ["/", "/zh-hans/", "/zh-hant/", "/sitemap.xml"]
    for language, words in SEARCHES.items():
        seeds.append(f"/{language}/search/")
        seeds += [f"/{language}/search/?" + urlencode({"q": word}) for word in words]
        seeds.append(f"/{language}/search/?" + urlencode({"q": words[0], "sort": "date"}))
        seeds.append(f"/{language}/search/?" + urlencode({"q": words[0], "page": 99}))  # beyond the last
        seeds.append(f"/{language}/search/suggest/?" + urlencode({"q": words[0][:1]}))
    seeds += API_SEEDS
    # The Wagtail API's find views: a public item by its path (both scripts), a public file by id.
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    seeds += [f"/api/v2/pages/find/?html_path={c.pending.url}", f"/api/v2/pages/find/?html_path={c.pending.get_translation(c.portal_hant.locale).url}"]
    document = get_document_model().objects.exclude(pk__in=[c.doc.pk, c.draft_doc.pk]).order_by("pk").first()
    image = get_image_model().objects.exclude(pk=c.image.pk).order_by("pk").first()
    seeds += [f"/api/v2/documents/find/?id={document.pk}", f"/api/v2/images/find/?id={image.pk}"]
    # Old links to a catalogue entry by its id (of either script): they redirect.
    entry = CatalogueEntry.objects.filter(locale=Locale.get_default(), unit__isnull=True).order_by("pk").first()
    portal = c.portal
    seeds.append(portal.url + portal.reverse_subpage("catalogue_entry_by_id", args=[entry.pk]))
    seeds.append(portal.url + portal.reverse_subpage("catalogue_feed_by_id", args=[entry.pk, "rss"]))
    # The member's own members-only item (and its variant): linked only where a member looks.
    seeds += [c.members.url, c.members_hant.url]
    # A public item with an attachment, through the API: the first few items the capped crawl
    # reaches may have none (the pre-disclosure items of the demo's opinions do not).
    from django.urls import reverse

    from disclosure_pages.models import PublishedAttachment
    from disclosure_pages.visibility import visible_pages

    public_items = visible_pages(DisclosureItemPage.objects.filter(locale=Locale.get_default()), None)
    attached = PublishedAttachment.objects.filter(item__in=public_items).order_by("pk").values_list("item_id", flat=True).first()
    if attached:
        seeds.append(reverse("api-disclosure-detail", kwargs={"pk": attached}))
    return seeds


def qr_target(svg):
    """The path data of a QR code SVG (the same data gives the same path)."""
    match = re.search(r'<path[^>]* d="([^"]+)"', svg)
    return match.group(1) if match else None


def check_qr_code(crawl, url, response, body):
    """A printed notice's QR code leads to the item at the public base."""
    if response.status_code != 200 or not body or crawl.key(url)[3] != "print_view":
        return
    from disclosure_pages.templatetags.portal_tags import qr_svg

    item_path = urlsplit(url).path[: -len("print/")]
    expected = CRAWL_BASE + item_path
    if qr_target(qr_svg(expected)) in body:
        crawl.result.base_urls += 1
        return
    tried = [host + item_path for host in ("http://localhost", "http://testserver", "http://localhost:8000", "http://127.0.0.1:8000")]
    actual = next((candidate for candidate in tried if qr_target(qr_svg(candidate)) in body), "something else")
    crawl.finding("absolute-url", url, f"the QR code encodes {actual}, not {expected}")


def public_crawl(c, role, cap=3, caps=None, check_links=True):
    client = Client(raise_request_exception=False)
    user = c.roles[role]
    if user is not None:
        client.force_login(user)
    crawl = Crawl(role, client, public_key(PageMap()), follow_public, cap=cap, caps=caps, isolated=isolated,
                  check_links=check_links)
    crawl.extra_checks.append(check_qr_code)
    for url in public_seeds(c):
        crawl.add(url, force=True)
    crawl.run()
    if user is not None:
        # Signing out is a POST (a link cannot sign anyone out): its page is checked too.
        for language in ("zh-hans", "zh-hant"):
            url = f"/{language}/account/logout/"
            crawl.fetch(url, "", ("route", "portal_logout", language, ("POST",)), method="post", data={})
            client.force_login(user)
    return crawl
