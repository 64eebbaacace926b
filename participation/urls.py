"""The portal's opinion routes, under the language prefixes (/zh-hans/opinions/…, /zh-hant/opinions/…)."""

from django.urls import path

app_name = "participation"

urlpatterns = []

# The public ledger (ledger.py). An opinion's page takes digits only, so it shadows no other route here.
from django.urls import re_path  # noqa: E402

from . import ledger  # noqa: E402

urlpatterns += [
    path("", ledger.ledger, name="ledger"),
    path("export.<str:fmt>", ledger.ledger_export, name="ledger_export"),
    re_path(r"^(?P<number>[0-9]{1,20})/$", ledger.opinion_detail, name="opinion_detail"),
]
