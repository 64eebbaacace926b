"""Every absolute URL of the portal, in one place.

A printed notice's QR code, the feeds, the sitemap, the API's links and the notification
emails are read away from the request that made them, so they must carry the portal's public
address, not ``localhost`` or whatever Host header a request came with (a forged Host header
must not end up in a cached feed or sitemap). The address is the ``PUBLIC_BASE_URL`` setting
(``https://dangwu.example.gov.cn``); without it, the default Wagtail ``Site``'s root URL.

The default ``Site`` is kept in step with the setting (``sync_default_site``: after every
``migrate`` and by ``manage.py sync_public_site``), so that Wagtail's own ``full_url`` and
the admin's "view live" links agree with it.
"""

import logging
from urllib.parse import urlsplit

from .conf import app_settings

logger = logging.getLogger(__name__)


def public_base_url():
    """``scheme://host[:port]`` of the portal, without a trailing slash."""
    base = (app_settings.PUBLIC_BASE_URL or "").rstrip("/")
    if base:
        return base
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def public_url(location):
    """The absolute public URL of ``location``: a path (``/zh-hans/…``), a Wagtail page (its
    live URL; None when it has none) or an absolute URL of this site (its origin replaced)."""
    if location is None:
        return None
    if hasattr(location, "get_url_parts"):
        parts = location.get_url_parts()
        if parts is None:
            return None
        location = parts[2]
    parts = urlsplit(str(location))
    path = parts.path if parts.path.startswith("/") else "/" + parts.path
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return public_base_url() + path


def site_address(base_url=None):
    """(hostname, port) of the Wagtail Site for ``base_url`` (default: ``PUBLIC_BASE_URL``), or None."""
    base = base_url if base_url is not None else app_settings.PUBLIC_BASE_URL
    if not base:
        return None
    parts = urlsplit(base)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def sync_default_site():
    """Put the default Site's hostname and port in step with ``PUBLIC_BASE_URL``; returns
    whether it changed. A no-op without the setting, without a default site, or when another
    site already has that address."""
    from wagtail.models import Site

    address = site_address()
    site = Site.objects.filter(is_default_site=True).first()
    if address is None or site is None or (site.hostname, site.port) == address:
        return False
    if Site.objects.filter(hostname=address[0], port=address[1]).exclude(pk=site.pk).exists():
        logger.warning("PUBLIC_BASE_URL %s is another site's address: the default site is left as it is.", public_base_url())
        return False
    site.hostname, site.port = address
    site.save()
    return True
