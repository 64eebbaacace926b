"""The county office's overview: per township (with its villages), what is late or cannot move.

- overdue approvals: items waiting at a tier longer than ``SUNSHINE_REVIEW_OVERDUE_DAYS``,
  or ad hoc items (及时公开) past their entry's deadline counted from the document date;
- leading groups with nobody in them: their units cannot submit anything.

What each unit owes under its catalogue (periodic disclosures late or missing) is supervision's
督办台, counted once there from its obligations.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, TaskState

from disclosure_pages.choices import TimingKind, UnitType
from disclosure_pages.models import DisclosureItemPage, UnitPage

from .conf import app_settings
from .models import DisclosureReviewTask
from .units import active_members


@dataclass
class OverdueApproval:
    item: DisclosureItemPage
    unit: UnitPage
    task_name: str
    days: int
    reason: str


@dataclass
class SectionSummary:
    """One township or department with the units under it."""

    unit: UnitPage
    overdue_approvals: list = field(default_factory=list)
    empty_leading_groups: list = field(default_factory=list)


def county_overview(county, today=None):
    today = today or timezone.localdate()
    limit = app_settings.SUNSHINE_REVIEW_OVERDUE_DAYS
    units = list(UnitPage.objects.descendant_of(county, inclusive=True).filter(locale=Locale.get_default()).order_by("path"))
    sections = {county.pk: SectionSummary(county)}
    section_of = {}
    for unit in units:
        if unit.depth == county.depth + 1:
            sections[unit.pk] = SectionSummary(unit)
        top = next((s for s in sections.values() if s.unit.depth > county.depth and unit.path.startswith(s.unit.path)), None)
        section_of[unit.pk] = top or sections[county.pk]

    for unit in units:
        if not active_members(unit.leading_group).exists():
            section_of[unit.pk].empty_leading_groups.append(unit)

    by_id = {unit.pk: unit for unit in units}
    for approval in overdue_approvals(by_id, today, limit):
        section_of[approval.unit.pk].overdue_approvals.append(approval)
    return list(sections.values())


def overdue_approvals(units_by_id, today, limit):
    now = timezone.now()
    states = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).select_related("task", "workflow_state")
    waiting = []
    for state in states:
        if not isinstance(state.task.specific, DisclosureReviewTask):
            continue
        item = DisclosureItemPage.objects.filter(pk=state.workflow_state.object_id).select_related("catalogue_entry").first()
        unit = units_by_id.get(item.unit_id) if item else None
        if unit is None:
            continue
        item = item.get_latest_revision_as_object()
        days = (now - state.started_at).days
        reason = f"已等待 {days} 天" if days >= limit else ""
        entry = item.catalogue_entry
        if entry and entry.timing == TimingKind.AD_HOC and entry.deadline_days and item.document_date:
            due = item.document_date + datetime.timedelta(days=entry.deadline_days)
            if due < today:
                reason = f"应于 {due:%Y-%m-%d} 前公开" + (f"，{reason}" if reason else "")
        if reason:
            waiting.append(OverdueApproval(item, unit, state.task.name, days, reason))
    return sorted(waiting, key=lambda approval: -approval.days)


def county_of_user(user):
    """The county whose office ``user`` belongs to (officers or leading group of a county unit)."""
    counties = UnitPage.objects.filter(unit_type=UnitType.COUNTY, locale=Locale.get_default()).order_by("path")
    if user.is_superuser:
        return counties.first()
    groups = user.groups.all()
    return counties.filter(Q(officers_group__in=groups) | Q(leading_group__in=groups)).first()
