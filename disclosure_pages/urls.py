"""Include once in a site's urls: ``path("", include("disclosure_pages.urls"))``."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .sitemap import PublicSitemap
from .views import serve_image_file, toggle_elder_mode

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path("elder-mode/", toggle_elder_mode, name="toggle_elder_mode"),
    # Image files (originals and renditions): the storage's URLs lead here (files.py).
    path("files/<path:name>", serve_image_file, name="disclosure_image_file"),
]
