"""The opinion API, ``path("api/v2/opinions/", include("participation.api_urls"))``."""

from django.urls import path

urlpatterns = []

# The public ledger (api_ledger.py). An opinion's number is digits only: no other route here is shadowed.
from django.urls import re_path  # noqa: E402

from . import api_ledger  # noqa: E402

urlpatterns += [
    path("", api_ledger.OpinionListView.as_view(), name="api-opinion-list"),
    path("figures/", api_ledger.FiguresView.as_view(), name="api-opinion-figures"),
    re_path(r"^(?P<number>[0-9]{1,20})/$", api_ledger.OpinionDetailView.as_view(), name="api-opinion-detail"),
]
