from django.urls import path

from .overdue import CountyOverdueView, CountyOverviewView
from .reports import ReviewAuditReportView
from .views import ActionOutcomeView, AwaitingReviewView, NextStageCreateView, TakedownRequestView

urlpatterns = [
    path("items/<int:page_id>/takedown/", TakedownRequestView.as_view(), name="workflows_takedown_request"),
    path("items/<int:page_id>/next-stage/", NextStageCreateView.as_view(), name="workflows_next_stage"),
    path("review/waiting/", AwaitingReviewView.as_view(), name="workflows_awaiting_review"),
    path("review/outcome/<int:task_state_id>/", ActionOutcomeView.as_view(), name="workflows_outcome"),
    path("reports/county-overdue/", CountyOverviewView.as_view(), name="workflows_county_overview"),
    path("reports/county-overdue/<str:kind>/<int:section_id>/", CountyOverdueView.as_view(), name="workflows_county_overdue"),
    path("reports/review-audit/", ReviewAuditReportView.as_view(), name="workflows_review_audit"),
    path(
        "reports/review-audit/results/",
        ReviewAuditReportView.as_view(results_only=True),
        name="workflows_review_audit_results",
    ),
]
