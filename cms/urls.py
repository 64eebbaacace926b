from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from disclosure_pages import plugin

from . import health

handler404 = plugin.HANDLER404
handler500 = plugin.HANDLER500

urlpatterns = [
    # Probes for systemd, nginx and monitoring (cms/health.py): first, before anything that could read a session.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Nothing from MEDIA_ROOT: documents go through Wagtail's view, images through
    # disclosure_pages' (their storage's URLs lead there), so their pages' scope is checked.

# Opinions and their ledger (participation): the API's routes, and the portal's under the
# language prefixes, before the plugin's (its API answers a JSON 404 for any other /api/ path).
urlpatterns += [path("api/v2/opinions/", include("participation.api_urls"))]
urlpatterns += i18n_patterns(path("opinions/", include("participation.urls")), prefix_default_language=True)
# Supervision and assessment: the public 绩效评估 page, supervisors' workspace and evaluation ballots.
urlpatterns += i18n_patterns(path("", include("supervision.urls")), prefix_default_language=True)
# Subscriptions and alerts: subscribe, confirm, manage and unsubscribe (the signed links of their messages).
urlpatterns += i18n_patterns(path("alerts/", include("alerts.urls")), prefix_default_language=True)

# Last: the API, the portal and, under the language prefixes, members' sign-in, search and Wagtail's pages.
urlpatterns += plugin.urlpatterns()
