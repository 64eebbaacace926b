"""The county office's overview: per township (with its villages), what is late or cannot move.

- overdue approvals: items waiting at a tier longer than ``SUNSHINE_REVIEW_OVERDUE_DAYS``,
  or ad hoc items (及时公开) past their entry's deadline counted from the document date;
- leading groups with nobody in them: their units cannot submit anything.

What each unit owes under its catalogue (periodic disclosures late or missing) is supervision's
督办台, counted once there from its obligations.
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Window
from django.db.models.functions import RowNumber, Substr
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
    """One township or department with the units under it (or the county unit alone)."""

    unit: UnitPage
    overdue_approvals: list = field(default_factory=list)
    empty_leading_groups: int = 0  # how many of its units have nobody in their leading group
    named: list = field(default_factory=list)  # the first of those units in the tree's order


class CountyOverview:
    """What is late or stuck in ``county``, per section: the county unit alone, and each unit
    directly under it with the units below. The units are counted by the database and only the
    sections asked for are read, so the work does not grow with the units (a province's county
    has 10,000: reading them all took a second of the dashboard)."""

    def __init__(self, county, today=None):
        self.county = county
        # A unit's section is the unit under the county whose path starts its own (the county's
        # path is shorter: its own section).
        self.length = len(county.path) + county.steplen
        today = today or timezone.localdate()
        self.overdue = overdue_approvals(county, today, app_settings.SUNSHINE_REVIEW_OVERDUE_DAYS)
        self.overdue_by_section = {}
        for approval in self.overdue:
            self.overdue_by_section.setdefault(approval.unit.path[: self.length], []).append(approval)
        self.empty = dict(
            self.without_approvers()
            .annotate(section=Substr("path", 1, self.length))
            .order_by()
            .values("section")
            .annotate(count=Count("pk"))
            .values_list("section", "count")
        )

    def without_approvers(self, section=None):
        """The units of the county (of ``section``'s when given) whose leading group has nobody."""
        units = county_units(self.county if section is None else section)
        if section is not None and section.pk == self.county.pk:
            units = units.filter(pk=section.pk)
        return units.filter(~has_active_members("leading_group")).order_by("path")

    def ranked(self):
        """The paths of the sections with anything to do: most overdue approvals first, then most
        units without approvers, then in the tree's order."""
        paths = set(self.overdue_by_section) | set(self.empty)
        return sorted(paths, key=lambda path: (-len(self.overdue_by_section.get(path, ())), -self.empty.get(path, 0), path))

    def summaries(self, paths, named=0):
        """The sections of ``paths`` in their order, each with the first ``named`` of its units
        without approvers: two queries, whatever the units under them."""
        units = {unit.path: unit for unit in UnitPage.objects.filter(path__in=paths)}
        sections = {
            path: SectionSummary(units[path], self.overdue_by_section.get(path, []), self.empty.get(path, 0))
            for path in paths
            if path in units
        }
        empty = [path for path, section in sections.items() if section.empty_leading_groups]
        if named and empty:
            section = Substr("path", 1, self.length)
            first = (
                self.without_approvers()
                .filter(reduce(or_, (Q(path=path) if path == self.county.path else Q(path__startswith=path) for path in empty)))
                .annotate(section=section, rank=Window(RowNumber(), partition_by=[section], order_by="path"))
                .filter(rank__lte=named)
                .only("pk", "path", "title", "short_name", "leading_group")
            )
            for unit in first:
                sections[unit.section].named.append(unit)
        return list(sections.values())

    def section(self, unit_id):
        """The section whose unit is ``unit_id``, or None if it is not one of the county's."""
        unit = county_units(self.county).filter(pk=unit_id, depth__lte=self.county.depth + 1).first()
        if unit is None:
            return None
        return self.summaries([unit.path])[0]


def county_units(unit):
    """``unit`` and the units under it, in the default locale."""
    return UnitPage.objects.descendant_of(unit, inclusive=True).filter(locale=Locale.get_default())


def review_task_types():
    """The content types of the review tiers (``DisclosureReviewTask``'s models)."""
    models = [model for model in apps.get_models() if issubclass(model, DisclosureReviewTask)]
    return list(ContentType.objects.get_for_models(*models).values())


def overdue_approvals(county, today, limit):
    """The items of ``county`` waiting at a review tier too long, or past their deadline, longest
    waiting first: one query for the waiting reviews, one each for their items, the items' latest
    versions, their catalogue entries and their units."""
    now = timezone.now()
    states = list(
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task__content_type__in=review_task_types(),
            workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        ).select_related("task", "workflow_state")
    )
    items = DisclosureItemPage.objects.filter(
        pk__in={int(state.workflow_state.object_id) for state in states}, path__startswith=county.path
    )
    items = {item.pk: item for item in items.defer_streamfields()}
    latest = latest_values(items.values(), ["title", "document_date", "catalogue_entry"])
    entries = CatalogueEntry.objects.in_bulk({values["catalogue_entry"] for values in latest.values()} - {None})
    units = UnitPage.objects.in_bulk({item.unit_id for item in items.values()})
    waiting = []
    for state in states:
        item = items.get(int(state.workflow_state.object_id))
        if item is None or item.unit_id not in units:
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
            waiting.append(OverdueApproval(item, version["title"], units[item.unit_id], state.task.name, days, reason))
    return sorted(waiting, key=lambda approval: -approval.days)


def county_of_user(user):
    """The county whose office ``user`` belongs to (officers or leading group of a county unit)."""
    counties = UnitPage.objects.filter(unit_type=UnitType.COUNTY, locale=Locale.get_default()).order_by("path")
    if user.is_superuser:
        return counties.first()
    groups = list(user.groups.values_list("pk", flat=True))  # values, not a subquery: see units.UnitReach
    return counties.filter(Q(officers_group__in=groups) | Q(leading_group__in=groups)).first()
