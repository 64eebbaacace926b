"""Template tags of the portal: the site root, the other script, QR codes."""

import qrcode
import qrcode.image.svg
from django import template
from django.utils.safestring import mark_safe
from wagtail.models import Locale, Page, Site

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
    """``(url or None, label, language code)`` of this page in the other script."""
    page = context.get("page")
    language = page.locale.language_code if page else "zh-hans"
    other_code, label = OTHER_SCRIPT.get(language, OTHER_SCRIPT["zh-hans"])
    url = None
    if page is not None:
        locale = Locale.objects.filter(language_code=other_code).first()
        translation = page.get_translation_or_none(locale) if locale else None
        if translation is not None and translation.live:
            url = translation.url
    return {"url": url, "label": label, "code": other_code}


@register.simple_tag
def qr_svg(data):
    """An inline SVG QR code for ``data`` (printed notices link back to the item)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return mark_safe(image.to_string(encoding="unicode"))


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, extra=None):
    page = context.get("page")
    ancestors = []
    if page is not None:
        ancestors = list(Page.objects.ancestor_of(page).filter(depth__gt=1).live().specific())
    return {"ancestors": ancestors, "page": page, "extra": extra}
