"""The portal's supervision routes, under the language prefixes: the public 绩效评估 page,
supervisors' workspace (我的监督) and evaluation ballots (评议)."""

from django.urls import path

from . import views_evaluation, views_public, views_workspace

app_name = "supervision"

urlpatterns = [
    # 绩效评估: the public part of assessment.
    path("performance/", views_public.performance_page, name="performance"),
    # 我的监督: the supervisors' workspace and their inspection notes.
    path("supervise/", views_workspace.workspace, name="workspace"),
    path("supervise/<int:unit_id>/", views_workspace.workspace_unit, name="workspace_unit"),
    # 评议: the rounds one votes in, the ballot, residents' rating, the results.
    path("evaluate/", views_evaluation.index, name="evaluation"),
    path("evaluate/results/", views_evaluation.results_index, name="evaluation_results"),
    path("evaluate/results/<int:round_id>/", views_evaluation.results, name="evaluation_results"),
    path("evaluate/<int:round_id>/residents/", views_evaluation.resident_ballot, name="resident_ballot"),
    path("evaluate/<int:round_id>/<int:unit_id>/", views_evaluation.ballot, name="ballot"),
]
