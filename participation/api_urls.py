"""The opinion API, ``path("api/v2/opinions/", include("participation.api_urls"))``."""

from django.urls import path

urlpatterns = []
