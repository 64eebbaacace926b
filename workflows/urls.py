from django.urls import path

from .reports import ReviewAuditReportView
from .views import ActionOutcomeView

urlpatterns = [
    path("review/outcome/<int:task_state_id>/", ActionOutcomeView.as_view(), name="workflows_outcome"),
    path("reports/review-audit/", ReviewAuditReportView.as_view(), name="workflows_review_audit"),
    path(
        "reports/review-audit/results/",
        ReviewAuditReportView.as_view(results_only=True),
        name="workflows_review_audit_results",
    ),
]
