"""The portal's opinion routes, under the language prefixes (/zh-hans/opinions/…, /zh-hant/opinions/…)."""

from django.urls import path, re_path

from . import ledger, views_public

app_name = "participation"

urlpatterns = [
    # The public ledger (台帐): figures, the list, its exports, one opinion's page. An opinion's
    # page takes digits only, so it shadows no other route here.
    path("", ledger.ledger, name="ledger"),
    path("export.<str:fmt>", ledger.ledger_export, name="ledger_export"),
    re_path(r"^(?P<number>[0-9]{1,20})/$", ledger.opinion_detail, name="opinion_detail"),
    # Opinions in: the forms (also shown in the item and unit panels), the receipt, tracking by 查询码.
    path("new/item/<int:page_id>/", views_public.submit, {"kind": "item"}, name="submit_item"),
    path("new/unit/<int:page_id>/", views_public.submit, {"kind": "unit"}, name="submit_unit"),
    path("receipt/", views_public.receipt, name="receipt"),
    path("track/", views_public.track, name="track"),
]
