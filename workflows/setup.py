"""The one review workflow of a county portal: 本单位审核 → 县级审核, assigned to the portal."""

from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from .models import CountyReviewTask, UnitApprovalTask

WORKFLOW_NAME = "党务公开审核"


@transaction.atomic
def ensure_disclosure_workflow(portal):
    """Create the tasks and the workflow if missing and make ``portal``'s whole tree use it (idempotent)."""
    unit_task = UnitApprovalTask.objects.filter(active=True).order_by("pk").first() or UnitApprovalTask.objects.create(
        name=UnitApprovalTask._meta.verbose_name
    )
    county_task = CountyReviewTask.objects.filter(active=True).order_by("pk").first() or CountyReviewTask.objects.create(
        name=CountyReviewTask._meta.verbose_name
    )
    # Found by its first task, not by name: administrators may rename it in the admin.
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task=unit_task).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
    for order, task in enumerate((unit_task, county_task)):
        WorkflowTask.objects.update_or_create(workflow=workflow, task=task, defaults={"sort_order": order})
    WorkflowPage.objects.update_or_create(page=portal, defaults={"workflow": workflow})
    return workflow
