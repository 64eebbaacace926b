"""The opinion API, ``path("api/v2/opinions/", include("participation.api_urls"))``."""

from django.urls import path, re_path

from . import api_intake, api_ledger

urlpatterns = [
    # Opinions in and the author's way back (api_intake.py).
    path("codes/", api_intake.CodeRequestView.as_view(), name="api-opinion-codes"),
    path("submissions/", api_intake.SubmissionView.as_view(), name="api-opinion-submissions"),
    path("tracking/", api_intake.TrackingView.as_view(), name="api-opinion-tracking"),
    path("tracking/rating/", api_intake.RatingView.as_view(), name="api-opinion-rating"),
    path("tracking/send-back/", api_intake.SendBackView.as_view(), name="api-opinion-send-back"),
    path("mine/", api_intake.MineView.as_view(), name="api-opinion-mine"),
    # The public ledger (api_ledger.py). An opinion's number is digits only: no other route here is shadowed.
    path("", api_ledger.OpinionListView.as_view(), name="api-opinion-list"),
    path("figures/", api_ledger.FiguresView.as_view(), name="api-opinion-figures"),
    re_path(r"^(?P<number>[0-9]{1,20})/$", api_ledger.OpinionDetailView.as_view(), name="api-opinion-detail"),
]
