"""The portal's opinion routes, under the language prefixes (/zh-hans/opinions/…, /zh-hant/opinions/…)."""

from django.urls import path

app_name = "participation"

urlpatterns = []
