"""The search page, under each script's prefix (/zh-hans/search/, /zh-hant/search/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggestions, name="search_suggestions"),
]
