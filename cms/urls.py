from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

# JSON under /api/ (also when the database is down), Django's pages elsewhere.
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("api.urls")),
    path("", include("disclosure_pages.urls")),
    path("", include("script_variants.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Nothing from MEDIA_ROOT: documents go through Wagtail's view, images through
    # disclosure_pages' (their storage's URLs lead there), so their pages' scope is checked.

urlpatterns += i18n_patterns(
    # Members sign in and out on the portal, in either script (officers at /admin/).
    path("", include("disclosure_pages.account_urls")),
    path("", include("search.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
