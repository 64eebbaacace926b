"""The portal's opinion routes, under the language prefixes (/zh-hans/opinions/…, /zh-hant/opinions/…)."""

from django.urls import path

app_name = "participation"

urlpatterns = []

from . import views_public  # noqa: E402 (the portal's opinion pages: submit, receipt, tracking)

urlpatterns += [
    path("new/item/<int:page_id>/", views_public.submit, {"kind": "item"}, name="submit_item"),
    path("new/unit/<int:page_id>/", views_public.submit, {"kind": "unit"}, name="submit_unit"),
    path("receipt/", views_public.receipt, name="receipt"),
    path("track/", views_public.track, name="track"),
]
