"""The portal's supervision routes, under the language prefixes: the public 绩效评估 page,
supervisors' workspace (我的监督) and evaluation ballots (评议)."""

from django.urls import path

from . import views_workspace

app_name = "supervision"

urlpatterns = []

# 我的监督 (inspect): the supervisors' workspace and their inspection notes.
urlpatterns += [
    path("supervise/", views_workspace.workspace, name="workspace"),
    path("supervise/<int:unit_id>/", views_workspace.workspace_unit, name="workspace_unit"),
]
