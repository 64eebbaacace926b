from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .public_urls import public_url
from .visibility import ANONYMOUS, visible_pages


class PublicSitemap(Sitemap):
    """Wagtail's sitemap over the site's tree in every script, filtered by the same
    visibility rules as every listing. Its locations are at ``PUBLIC_BASE_URL``
    (``public_urls.py``), never at the Host header of the request."""

    def items(self):
        root = self.get_wagtail_site().root_page
        trees = Q()
        for path in Page.objects.filter(translation_key=root.translation_key).values_list("path", flat=True):
            trees |= Q(path__startswith=path)
        return visible_pages(Page.objects.filter(trees), ANONYMOUS).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = public_url(url["location"])
        return urls
