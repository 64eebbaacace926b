"""``path("api/", include("api.urls"))``: the API under /api/v2/, its schema and docs page."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from . import views
from .search import SearchView
from .errors import unknown_endpoint
from .wagtail_endpoints import router

urlpatterns = [
    path("v2/disclosures/", views.DisclosureListView.as_view(), name="api-disclosure-list"),
    path("v2/disclosures/<int:pk>/", views.DisclosureDetailView.as_view(), name="api-disclosure-detail"),
    path("v2/attachments/<int:pk>/", views.AttachmentView.as_view(), name="api-attachment"),
    path("v2/units/", views.UnitTreeView.as_view(), name="api-units"),
    path("v2/catalogue/", views.CatalogueView.as_view(), name="api-catalogue"),
    path("v2/feeds/", views.FeedView.as_view(), name="api-feeds"),
    path("v2/preview/", views.PreviewView.as_view(), name="api-preview"),
    path("v2/search/", SearchView.as_view(), name="api-search"),
    path("v2/", include((router.get_urlpatterns(), router.url_namespace), namespace=router.url_namespace)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema", template_name="api/docs.html"), name="api-docs"),
    # Last: any other path under /api/ answers a JSON 404, not the portal's page.
    re_path(r"^.*$", unknown_endpoint),
]
