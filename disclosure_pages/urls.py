"""Include once in a site's urls: ``path("", include("disclosure_pages.urls"))``."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from .sitemap import PublicSitemap
from .views import toggle_elder_mode

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}, name="sitemap"),
    path("elder-mode/", toggle_elder_mode, name="toggle_elder_mode"),
]
