"""The portal's supervision routes, under the language prefixes: the public 绩效评估 page,
supervisors' workspace (我的监督) and evaluation ballots (评议)."""

from django.urls import path

from . import views_public

app_name = "supervision"

urlpatterns = [
    # The public 绩效评估 page (public part).
    path("performance/", views_public.performance_page, name="performance"),
]
