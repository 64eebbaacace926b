"""The portal's subscription routes, under the language prefixes (/zh-hans/alerts/…, /zh-hant/alerts/…)."""

from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    # 订阅提醒: ?page=<unit or item id> or ?entry=<catalogue entry key>; without either, what may be subscribed to.
    path("subscribe/", views.subscribe, name="subscribe"),
    # The signed links of the messages.
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
