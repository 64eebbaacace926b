"""Template tags of the portal: the site root, the other script, QR codes."""

import qrcode
import qrcode.image.svg
from django import template
from django.utils import translation
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page, Site

from chinese.conversion import convert, profile_for

from .. import panels
from ..conf import app_settings
from ..public_urls import public_url as _public_url

register = template.Library()

OTHER_SCRIPT = {"zh-hans": ("zh-hant", "繁體"), "zh-hant": ("zh-hans", "简体")}


@register.simple_tag(takes_context=True)
def portal_root(context):
    """The portal home page of the current site, in the script of the current page."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    root = site.root_page if site else None
    page = context.get("page")
    if root is not None and page is not None and page.locale_id != root.locale_id:
        root = root.get_translation_or_none(page.locale) or root
    return root.specific if root else None


@register.simple_tag(takes_context=True)
def other_script_link(context):
    """This page (and route below it) in the other script: url (None if it has no variant),
    label, language code, and the alternates for ``hreflang``."""
    page, request = context.get("page"), context.get("request")
    language = page.locale.language_code if page else "zh-hans"
    other_code, label = OTHER_SCRIPT.get(language, OTHER_SCRIPT["zh-hans"])
    url = None
    if page is not None:
        locale = Locale.objects.filter(language_code=other_code).first()
        translation = page.get_translation_or_none(locale) if locale else None
        if translation is not None and translation.live and _variants_exist(context.get("switch_requires", ()), locale):
            url = translation.url
            # A route below the page (units/, catalogue/3/, print/) exists in both scripts.
            page_url = page.url
            if request is not None and page_url and request.path.startswith(page_url):
                url += request.path[len(page_url):]
                if context.get("keep_query_on_switch") and request.GET:
                    url += "?" + request.GET.urlencode()  # a query meaning the same in both scripts
                elif request.GET.get("page"):
                    url += "?page=" + request.GET["page"]
    return {"url": url, "label": label, "code": other_code, "current": request.path if request else None, "language": language}


def _variants_exist(objects, locale):
    """Whether everything a route shows (``switch_requires``: a catalogue entry, the unit it is
    filtered to) has its variant in ``locale`` yet: the demo's fill in after the pages' do."""
    for obj in objects:
        variants = type(obj)._default_manager.filter(translation_key=obj.translation_key, locale=locale)
        if hasattr(variants, "live"):
            variants = variants.live()
        if not variants.exists():
            return False
    return True


@register.filter
def in_script(text):
    """Text kept once for both scripts (site settings, document titles, change notes) shown
    in the active script."""
    language = translation.get_language()
    if not text or language not in ("zh-hans", "zh-hant"):
        return text
    return convert(text, profile_for(language, app_settings.SUNSHINE_SCRIPT_PROFILES))


@register.filter
def public_url(location):
    """The absolute public URL of a page or path (``PUBLIC_BASE_URL``, never the request's host)."""
    return _public_url(location)


@register.simple_tag
def qr_svg(data):
    """An inline SVG QR code for ``data`` (printed notices link back to the item)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))


@register.inclusion_tag("disclosure_pages/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, extra=None):
    page = context.get("page")
    ancestors = []
    if page is not None:
        ancestors = list(Page.objects.ancestor_of(page).filter(depth__gt=1).live().specific())
    return {"ancestors": ancestors, "page": page, "extra": extra}


@register.simple_tag(takes_context=True)
def page_panels(context, hook_name):
    """The panels other apps register for this page under ``hook_name`` (``disclosure_pages.panels``), rendered."""
    found = panels.page_panels(hook_name, context["page"], context.get("request"))
    return mark_safe("".join(panel.render_html(context) for panel in found))  # noqa: S308 - components render templates


@register.simple_tag(takes_context=True)
def portal_menu_items(context):
    """The main menu's entries added by other apps (``register_portal_menu_item``)."""
    return panels.portal_menu_items(context.get("request"))
