"""The portal's supervision routes, under the language prefixes: the public 绩效评估 page,
supervisors' workspace (我的监督) and evaluation ballots (评议)."""

from django.urls import path

from . import views_evaluation

app_name = "supervision"

urlpatterns = []

# 评议 (evaluation): the rounds one votes in, the ballot, residents' rating, the results.
urlpatterns += [
    path("evaluate/", views_evaluation.index, name="evaluation"),
    path("evaluate/results/", views_evaluation.results_index, name="evaluation_results"),
    path("evaluate/results/<int:round_id>/", views_evaluation.results, name="evaluation_results"),
    path("evaluate/<int:round_id>/residents/", views_evaluation.resident_ballot, name="resident_ballot"),
    path("evaluate/<int:round_id>/<int:unit_id>/", views_evaluation.ballot, name="ballot"),
]
