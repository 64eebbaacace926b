"""The short public approval record of an item: who approved the version that is live, and when."""

from dataclasses import dataclass
from datetime import date

from django.utils.timezone import localtime
from wagtail.models import TaskState, WorkflowState

from .models import CountyReviewTaskState, UnitApprovalTaskState
from .units import county_unit, owning_unit


@dataclass
class ApprovalRecord:
    unit_name: str
    unit_approved_on: date
    county_name: str = ""
    county_reviewed_on: date | None = None
    county_skipped: bool = False
    unit_approver: str = ""  # who approved it for the unit (its leading group's member)


def approval_record(page):
    """The record of the review that approved ``page``'s live revision, or ``None``.

    ``None`` for anything published outside the review (imported, seeded, or published by
    a superuser directly): the page then claims no approval it did not have.
    """
    if page is None or not page.pk or not page.live or not page.live_revision_id:
        return None
    record = _record(page, page)
    if record is None and getattr(page, "translation_key", None):
        # The variant in the other script is made and published from its source by the
        # sync (script_variants), never reviewed itself: it shows its source's review.
        others = type(page).objects.filter(translation_key=page.translation_key, live=True).exclude(pk=page.pk)
        for source in others.exclude(live_revision=None):
            record = _record(source, page)
            if record is not None:
                break
    return record


def _record(page, shown):
    """The record of ``page``'s review, with the unit names of ``shown`` (its script)."""
    states = WorkflowState.objects.for_instance(page).filter(status=WorkflowState.STATUS_APPROVED).order_by("-created_at")
    workflow_state = states.first()
    if workflow_state is None:
        return None
    on_live = {"workflow_state": workflow_state, "revision_id": page.live_revision_id}
    unit_state = (
        UnitApprovalTaskState.objects.filter(status=TaskState.STATUS_APPROVED, **on_live).order_by("-finished_at").first()
    )
    if unit_state is None:
        return None
    unit, county = owning_unit(shown), county_unit(shown)
    record = ApprovalRecord(
        unit_name=f"{unit.display_name}领导小组" if unit else "本单位领导小组",
        unit_approved_on=localtime(unit_state.finished_at).date(),
        unit_approver=_name(unit_state.finished_by),
    )
    county_state = (
        CountyReviewTaskState.objects.filter(status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_SKIPPED], **on_live)
        .order_by("-finished_at")
        .first()
    )
    if county_state is None or county_state.status == TaskState.STATUS_SKIPPED:
        record.county_skipped = True
    else:
        record.county_name = f"{county.display_name}党务公开领导小组办公室" if county else "县级党务公开领导小组办公室"
        record.county_reviewed_on = localtime(county_state.finished_at).date()
    return record


def _name(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""
