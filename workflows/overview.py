"""The county office's overview: per township (with its villages), what is late or cannot move.

- overdue approvals: items waiting at a tier longer than ``SUNSHINE_REVIEW_OVERDUE_DAYS``,
  or ad hoc items (及时公开) past their entry's deadline counted from the document date;
- leading groups with nobody in them: their units cannot submit anything.

What each unit owes under its catalogue (periodic disclosures late or missing) is supervision's
督办台, counted once there from its obligations.
"""

import datetime
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, Page, TaskState

from disclosure_pages.choices import TimingKind, UnitType
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage

from .conf import app_settings
from .drafts import latest_values
from .models import DisclosureReviewTask
from .units import has_active_members


@dataclass
class OverdueApproval:
    item: DisclosureItemPage  # the live row (its latest title is ``title``)
    title: str
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
    """The county's sections with what is late or stuck in each, read in a fixed number of queries
    whatever the number of units."""
    today = today or timezone.localdate()
    limit = app_settings.SUNSHINE_REVIEW_OVERDUE_DAYS
    units = list(
        UnitPage.objects.descendant_of(county, inclusive=True)
        .filter(locale=Locale.get_default())
        .annotate(has_approvers=has_active_members("leading_group"))
        .order_by("path")
    )
    sections = {county.pk: SectionSummary(county)}
    sections.update((unit.pk, SectionSummary(unit)) for unit in units if unit.depth == county.depth + 1)
    # A unit's section is the unit directly under the county whose path starts its own.
    by_path = {section.unit.path: section for section in sections.values() if section.unit.pk != county.pk}
    section_of = {unit.pk: by_path.get(unit.path[: len(county.path) + county.steplen], sections[county.pk]) for unit in units}

    for unit in units:
        if not unit.has_approvers:
            section_of[unit.pk].empty_leading_groups.append(unit)

    by_id = {unit.pk: unit for unit in units}
    for approval in overdue_approvals(by_id, today, limit):
        section_of[approval.unit.pk].overdue_approvals.append(approval)
    return list(sections.values())


def review_task_types():
    """The content types of the review tiers (``DisclosureReviewTask``'s models)."""
    models = [model for model in apps.get_models() if issubclass(model, DisclosureReviewTask)]
    return list(ContentType.objects.get_for_models(*models).values())


def overdue_approvals(units_by_id, today, limit):
    """The items of ``units_by_id`` waiting at a review tier too long, or past their deadline,
    longest waiting first: one query for the waiting reviews, one each for their items, the
    items' latest versions and their catalogue entries."""
    now = timezone.now()
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__content_type__in=review_task_types(),
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        ).select_related("task", "workflow_state")
    )
    # The county's units are checked here, not in SQL: a province's county has thousands.
    items = DisclosureItemPage.objects.filter(pk__in={int(state.workflow_state.object_id) for state in states})
    items = {item.pk: item for item in items.defer_streamfields() if item.unit_id in units_by_id}
    latest = latest_values(items.values(), ["title", "document_date", "catalogue_entry"])
    entries = CatalogueEntry.objects.in_bulk({values["catalogue_entry"] for values in latest.values()} - {None})
    waiting = []
    for state in states:
        item = items.get(int(state.workflow_state.object_id))
        if item is None:
            continue
        version = latest[item.pk]
        days = (now - state.started_at).days
        reason = f"已等待 {days} 天" if days >= limit else ""
        entry = entries.get(version["catalogue_entry"])
        if entry and entry.timing == TimingKind.AD_HOC and entry.deadline_days and version["document_date"]:
            due = version["document_date"] + datetime.timedelta(days=entry.deadline_days)
            if due < today:
                reason = f"应于 {due:%Y-%m-%d} 前公开" + (f"，{reason}" if reason else "")
        if reason:
            waiting.append(OverdueApproval(item, version["title"], units_by_id[item.unit_id], state.task.name, days, reason))
    return sorted(waiting, key=lambda approval: -approval.days)


def county_of_user(user):
    """The county whose office ``user`` belongs to (officers or leading group of a county unit)."""
    counties = UnitPage.objects.filter(unit_type=UnitType.COUNTY, locale=Locale.get_default()).order_by("path")
    if user.is_superuser:
        return counties.first()
    groups = list(user.groups.values_list("pk", flat=True))  # values, not a subquery: see units.UnitReach
    return counties.filter(Q(officers_group__in=groups) | Q(leading_group__in=groups)).first()
