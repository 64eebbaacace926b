from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page

from .visibility import ANONYMOUS, visible_pages


class PublicSitemap(Sitemap):
    """Wagtail's sitemap, filtered by the same visibility rules as every listing."""

    def items(self):
        root = self.get_wagtail_site().root_page
        return visible_pages(Page.objects.descendant_of(root, inclusive=True), ANONYMOUS).order_by("path").defer_streamfields().specific()
