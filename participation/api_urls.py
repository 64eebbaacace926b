"""The opinion API, ``path("api/v2/opinions/", include("participation.api_urls"))``."""

from django.urls import path

urlpatterns = []

# Opinions in and the author's way back (participation/api_intake.py). Fixed words: before
# any route that takes a path segment as an opinion's number.
from . import api_intake  # noqa: E402

urlpatterns += [
    path("codes/", api_intake.CodeRequestView.as_view(), name="api-opinion-codes"),
    path("submissions/", api_intake.SubmissionView.as_view(), name="api-opinion-submissions"),
    path("tracking/", api_intake.TrackingView.as_view(), name="api-opinion-tracking"),
    path("tracking/rating/", api_intake.RatingView.as_view(), name="api-opinion-rating"),
    path("tracking/send-back/", api_intake.SendBackView.as_view(), name="api-opinion-send-back"),
    path("mine/", api_intake.MineView.as_view(), name="api-opinion-mine"),
]
