"""The portal's supervision routes, under the language prefixes: the public 绩效评估 page,
supervisors' workspace (我的监督) and evaluation ballots (评议)."""

app_name = "supervision"

urlpatterns = []
