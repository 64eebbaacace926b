"""What each unit owes under its catalogue, and whether it was met (应公开 → 按时 / 逾期 / 未公开).

For each unit and each entry of its catalogue (the county outline plus the unit's own):

- standing entries (固定公开) owe a re-confirmation every ``standing_interval_months``: a
  publication of one of the entry's items (a new item or a revision of one) within the
  interval or its grace days;
- periodic entries (定期公开) owe one item per month, quarter or year, published by the end of
  the period plus the grace days. Items go to periods in order: first each period takes the
  earliest item published inside it or its grace (on time); then a period still unmet takes
  the earliest spare item published after its deadline (late);
- ad hoc entries (及时公开) owe each item within ``deadline_days`` of its event (the document
  date); a draft whose event is past its deadline is missing;
- per-stage entries (阶段公开) owe the next stage of a matter (决策 after 预公开, 结果 after
  决策) within the entry's ``deadline_days`` (or the county's ``stage_days``), counted from the
  stage before's publication or, for a pre-disclosure, its comment deadline.

A period is not applicable when the unit was set up or the entry added after it began, or
when an exemption covers it. Removed items (撤除) count for nothing; a withdrawn item (撤回)
counts for what it met before it was withdrawn. Publication dates are the items' 发布日期,
which the approvers approve with the item.

The result is kept as ``Obligation`` rows, diffed against what is stored so that chase counts
survive: ``reckon_unit_entry`` for one unit and entry (the change feed's receiver), ``rebuild``
for a county at once (the nightly command, in a few bulk queries).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, PageLogEntry

from disclosure_pages.choices import Stage, Takedown, TimingKind, UnitType
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from disclosure_pages.pages_compat import create_rows

from .choices import NotApplicableReason, ObligationStatus
from .models import EntrySince, Exemption, Obligation, SupervisionRules
from .periods import months_in, named_period, spans_between

# Rows are planned this far ahead, so that a unit's calendar shows next month's obligations.
LOOKAHEAD_DAYS = 62
# The fields the reckoning sets; the rest of a row (chases, escalation) is the county's record.
RECKONED_FIELDS = ("section", "timing", "period_end", "due_on", "status", "not_applicable", "exemption", "met_by", "met_on")


@dataclass
class ItemFacts:
    """What the reckoning reads of one item (default locale)."""

    pk: int
    title: str
    translation_key: object
    entry_key: object
    live: bool
    published_on: datetime.date | None
    document_date: datetime.date | None
    stage: str
    comment_deadline: datetime.date | None
    takedown: str
    takedown_date: datetime.date | None
    previous_key: object = None
    confirmations: list = field(default_factory=list)  # every day it was published (standing entries)

    def counts_on(self, day):
        """Whether a publication on ``day`` counts: never for a removed item, before its takedown for a withdrawn one."""
        if self.takedown == Takedown.REMOVED:
            return False
        if self.takedown == Takedown.WITHDRAWN and self.takedown_date is not None:
            return day < self.takedown_date
        return True


@dataclass
class Planned:
    """One obligation as the reckoning wants it."""

    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    status: str
    subject_id: int | None = None
    not_applicable: str = ""
    exemption: Exemption | None = None
    met_by_id: int | None = None
    met_on: datetime.date | None = None

    @property
    def key(self):
        return (self.subject_id, self.period_start) if self.subject_id is None else (self.subject_id, None)


# -- the county and its units ------------------------------------------------------------


def county_of(unit):
    return UnitPage.objects.ancestor_of(unit, inclusive=True).filter(unit_type=UnitType.COUNTY).order_by("-depth").first()


def section_of(unit, county=None):
    """The township or department ``unit`` is counted under; the county for itself (or outside any county)."""
    county = county or county_of(unit)
    if county is None or unit.depth <= county.depth:
        return county or unit
    if unit.depth == county.depth + 1:
        return unit
    return UnitPage.objects.get(path=unit.path[: (county.depth + 1) * unit.steplen], locale_id=unit.locale_id)


def default_unit(unit):
    """The unit in the default (Simplified) locale: obligations are kept for it alone (None if it has gone)."""
    default = Locale.get_default()
    if unit.locale_id == default.pk:
        return unit
    return UnitPage.objects.filter(translation_key=unit.translation_key, locale=default).first()


def default_entry(entry):
    default = Locale.get_default()
    if entry.locale_id == default.pk:
        return entry
    return CatalogueEntry.objects.filter(translation_key=entry.translation_key, locale=default).first() or entry


# -- what the rules say, in memory --------------------------------------------------------


def plan(entry, unit_since, entry_since, items, exemptions, rules, today):
    """The obligations of one unit under one entry, from the facts: a list of ``Planned``."""
    start = max(rules.tracking_start, entry_since or rules.tracking_start)
    horizon = today + datetime.timedelta(days=LOOKAHEAD_DAYS)
    timing = TimingKind(entry.timing)
    if timing == TimingKind.PERIODIC:
        if not entry.period:
            return []
        return _plan_periods(months_in(entry.period), start, horizon, unit_since, entry_since, items, exemptions, rules, today, consume=True)
    if timing == TimingKind.STANDING:
        return _plan_periods(rules.standing_interval_months, start, horizon, unit_since, entry_since, items, exemptions, rules, today, consume=False)
    if timing == TimingKind.AD_HOC:
        return _plan_events(entry, items, exemptions, rules, today)
    return _plan_stages(entry, items, exemptions, rules, today)


def _not_applicable(span, unit_since, entry_since, exemptions):
    for exemption in exemptions:
        if exemption.covers(span.start, span.end):
            return NotApplicableReason.EXEMPT, exemption
    if unit_since and unit_since > span.start:
        return NotApplicableReason.UNIT_NEW, None
    if entry_since and entry_since > span.start:
        return NotApplicableReason.ENTRY_NEW, None
    return "", None


def _plan_periods(months, start, horizon, unit_since, entry_since, items, exemptions, rules, today, consume):
    grace = datetime.timedelta(days=rules.periodic_grace_days)
    first = max(start, unit_since or start)
    if first > horizon:
        return []
    # A periodic entry's items are used once each; any publication re-confirms a standing entry.
    if consume:
        dates = sorted((item.published_on, item.pk) for item in items if item.published_on and item.counts_on(item.published_on))
    else:
        dates = sorted({(day, item.pk) for item in items for day in item.confirmations if item.counts_on(day)})
    used = set()
    planned = []
    # Items that name the period they report on meet it, however late (periodic entries).
    named = {}
    for item in items if consume else []:
        span = named_period(item.title, months)
        if span and item.published_on and item.published_on >= span.start and item.counts_on(item.published_on):
            named.setdefault(span.start, (item.published_on, item.pk))
    for span in spans_between(first, horizon, months):
        due = span.end + grace
        reason, exemption = _not_applicable(span, unit_since, entry_since, exemptions)
        row = Planned(span.start, span.end, due, ObligationStatus.NOT_APPLICABLE if reason else ObligationStatus.DUE,
                      not_applicable=reason, exemption=exemption)
        if not reason and span.start in named:
            day, pk = named[span.start]
            row.status, row.met_on, row.met_by_id = ObligationStatus.ON_TIME if day <= due else ObligationStatus.LATE, day, pk
        planned.append(row)
    used |= set(named.values())  # an item names one period: it meets no other
    for row in planned:
        if row.status == ObligationStatus.DUE:
            hit = next(((day, pk) for day, pk in dates if row.period_start <= day <= row.due_on and (day, pk) not in used), None)
            if hit:
                if consume:
                    used.add(hit)
                row.status, row.met_on, row.met_by_id = ObligationStatus.ON_TIME, hit[0], hit[1]
    # A spare item published after a missed deadline makes up the latest period missed before it.
    for day, pk in dates:
        if (day, pk) in used and consume:
            continue
        missed = [row for row in planned if row.status == ObligationStatus.DUE and row.due_on < min(day, today)]
        if missed:
            if consume:
                used.add((day, pk))
            row = missed[-1]
            row.status, row.met_on, row.met_by_id = ObligationStatus.LATE, day, pk
    for row in planned:
        if row.status == ObligationStatus.DUE and row.due_on < today:
            row.status = ObligationStatus.MISSING
    return planned


def _exempt_on(day, exemptions):
    return next((exemption for exemption in exemptions if exemption.covers(day, day)), None)


def _settle(row, published_on, met_by_id, today):
    if published_on is not None:
        row.met_on, row.met_by_id = published_on, met_by_id
        row.status = ObligationStatus.ON_TIME if published_on <= row.due_on else ObligationStatus.LATE
    elif row.due_on < today:
        row.status = ObligationStatus.MISSING
    return row


def _plan_events(entry, items, exemptions, rules, today):
    """Ad hoc: each item with an event (document) date owes its publication within the entry's days."""
    days = datetime.timedelta(days=entry.deadline_days or 0)
    planned = []
    for item in items:
        event = item.document_date
        if event is None or event < rules.tracking_start or item.takedown == Takedown.REMOVED:
            continue
        row = Planned(event, event + days, event + days, ObligationStatus.DUE, subject_id=item.pk)
        exemption = _exempt_on(event, exemptions)
        if exemption:
            row.status, row.not_applicable, row.exemption = ObligationStatus.NOT_APPLICABLE, NotApplicableReason.EXEMPT, exemption
        else:
            _settle(row, item.published_on if item.live else None, item.pk, today)
        planned.append(row)
    return planned


def _plan_stages(entry, items, exemptions, rules, today):
    """Per stage: a live pre-disclosure or decision owes the next stage of its matter."""
    days = datetime.timedelta(days=entry.deadline_days or rules.stage_days)
    following = defaultdict(list)  # the items continuing a matter, by the stage they follow
    for item in items:
        if item.previous_key is not None and item.live and item.published_on and item.takedown != Takedown.REMOVED:
            following[item.previous_key].append((item.published_on, item.pk))
    planned = []
    for item in items:
        if not item.live or item.stage not in (Stage.PRE_DISCLOSURE, Stage.DECISION) or item.takedown == Takedown.REMOVED:
            continue
        begins = item.comment_deadline if item.stage == Stage.PRE_DISCLOSURE and item.comment_deadline else item.published_on
        if begins is None or begins < rules.tracking_start:
            continue
        row = Planned(begins, begins + days, begins + days, ObligationStatus.DUE, subject_id=item.pk)
        exemption = _exempt_on(begins, exemptions)
        if exemption:
            row.status, row.not_applicable, row.exemption = ObligationStatus.NOT_APPLICABLE, NotApplicableReason.EXEMPT, exemption
        else:
            nxt = min(following.get(item.translation_key, []), default=None)
            _settle(row, nxt[0] if nxt else None, nxt[1] if nxt else None, today)
        planned.append(row)
    return planned


# -- reading the facts --------------------------------------------------------------------


def _item_facts(items_queryset, standing_entry_keys):
    """``ItemFacts`` of the items, by unit translation key and entry key (two queries, three with confirmations)."""
    rows = list(
        items_queryset.values(
            "pk", "title", "translation_key", "unit__translation_key", "catalogue_entry__translation_key", "live", "publish_date",
            "first_published_at", "document_date", "stage", "comment_deadline", "takedown", "takedown_date",
            "previous_stage__translation_key",
        )
    )
    facts = defaultdict(list)
    standing = {}
    for row in rows:
        published_on = row["publish_date"] or (timezone.localdate(row["first_published_at"]) if row["first_published_at"] else None)
        item = ItemFacts(
            pk=row["pk"], title=row["title"], translation_key=row["translation_key"], entry_key=row["catalogue_entry__translation_key"],
            live=row["live"], published_on=published_on if row["live"] else None, document_date=row["document_date"],
            stage=row["stage"], comment_deadline=row["comment_deadline"], takedown=row["takedown"],
            takedown_date=row["takedown_date"], previous_key=row["previous_stage__translation_key"],
        )
        if item.live and item.published_on:
            item.confirmations.append(item.published_on)
        facts[(row["unit__translation_key"], item.entry_key)].append(item)
        if item.entry_key in standing_entry_keys and item.live:
            standing[item.pk] = item
    if standing:
        # Every publication of a standing entry's item re-confirms it (a revision published too).
        for page_id, timestamp in PageLogEntry.objects.filter(page_id__in=list(standing), action="wagtail.publish").values_list("page_id", "timestamp"):
            day = timezone.localdate(timestamp)
            if day not in standing[page_id].confirmations:
                standing[page_id].confirmations.append(day)
    return facts


def _items_of(unit_keys, entry_keys):
    default = Locale.get_default()
    return DisclosureItemPage.objects.filter(
        locale=default, unit__translation_key__in=unit_keys, catalogue_entry__translation_key__in=entry_keys
    )


def _unit_since(unit):
    return timezone.localdate(unit.first_published_at) if unit.first_published_at else None


def _entry_since(keys):
    return dict(EntrySince.objects.filter(entry_key__in=keys).values_list("entry_key", "since"))


def _default_entries_of(unit):
    default = Locale.get_default()
    keys = unit.catalogue_entries().values_list("translation_key", flat=True)
    return list(CatalogueEntry.objects.filter(translation_key__in=keys, locale=default))


# -- writing the rows ----------------------------------------------------------------------


def _apply(unit, section, entry, planned, stored):
    """Make the stored rows of one unit and entry what was planned; keep each row's chases."""
    by_key = {(row.subject_id, row.period_start) if row.subject_id is None else (row.subject_id, None): row for row in stored}
    to_create, to_update, keep = [], [], set()
    for wanted in planned:
        row = by_key.get(wanted.key)
        values = {
            "section_id": section.pk, "timing": entry.timing, "period_end": wanted.period_end, "due_on": wanted.due_on,
            "status": wanted.status, "not_applicable": wanted.not_applicable,
            "exemption_id": wanted.exemption.pk if wanted.exemption else None,
            "met_by_id": wanted.met_by_id, "met_on": wanted.met_on,
        }
        if row is None:
            to_create.append(Obligation(unit_id=unit.pk, entry_id=entry.pk, period_start=wanted.period_start, subject_id=wanted.subject_id, **values))
            continue
        keep.add(row.pk)
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    gone = [row.pk for row in stored if row.pk not in keep]
    return to_create, to_update, gone


def _write(to_create, to_update, gone):
    now = timezone.now()
    for row in to_update:
        row.updated_at = now
    if gone:
        Obligation.objects.filter(pk__in=gone).delete()
    if to_update:
        Obligation.objects.bulk_update(to_update, [*(f"{name}_id" if name in ("section", "exemption", "met_by") else name for name in RECKONED_FIELDS), "updated_at"], batch_size=500)
    if to_create:
        # By COPY on PostgreSQL (create_rows): a county's rebuild creates hundreds of thousands.
        create_rows(Obligation, to_create)
    if gone or to_update or to_create:
        from .signals import obligations_changed

        obligations_changed.send(sender=Obligation)


def reckon_unit_entry(unit, entry, today=None):
    """Recompute one unit's obligations under one catalogue entry (either script)."""
    today = today or timezone.localdate()
    unit, entry = default_unit(unit), default_entry(entry)
    county = county_of(unit) if unit is not None else None
    if county is None:
        return
    rules = SupervisionRules.for_county(county)
    facts = _item_facts(_items_of([unit.translation_key], [entry.translation_key]), {entry.translation_key} if entry.timing == TimingKind.STANDING else set())
    exemptions = list(Exemption.objects.filter(unit=unit, entry__translation_key=entry.translation_key))
    applies = entry.translation_key in {e.translation_key for e in _default_entries_of(unit)} and unit.live
    planned = plan(
        entry, _unit_since(unit), _entry_since([entry.translation_key]).get(entry.translation_key), facts.get((unit.translation_key, entry.translation_key), []),
        exemptions, rules, today,
    ) if applies else []
    with transaction.atomic():
        stored = list(Obligation.objects.select_for_update().filter(unit=unit, entry=entry))
        _write(*_apply(unit, section_of(unit, county), entry, planned, stored))


def reckon_unit(unit, today=None):
    """Recompute every entry of one unit (after an item left it, when the entry of what went is unknown)."""
    unit = default_unit(unit)
    if unit is None:
        return
    entries = {entry.pk: entry for entry in _default_entries_of(unit)}
    stored_entries = Obligation.objects.filter(unit=unit).values_list("entry_id", flat=True).distinct()
    entries.update({entry.pk: entry for entry in CatalogueEntry.objects.filter(pk__in=list(stored_entries))})
    for entry in entries.values():
        reckon_unit_entry(unit, entry, today)


def reckon_units(unit_ids, today=None):
    """``reckon_unit`` for those of the units that still exist."""
    for unit in UnitPage.objects.filter(pk__in=unit_ids):
        reckon_unit(unit, today)


def rebuild(county, today=None):
    """Recompute the obligations of every unit of ``county`` in bulk; returns (created, updated, deleted)."""
    today = today or timezone.localdate()
    default = Locale.get_default()
    county = default_unit(county)
    rules = SupervisionRules.for_county(county)
    units = list(UnitPage.objects.descendant_of(county, inclusive=True).filter(locale=default).order_by("path"))
    sections = {unit.path: unit for unit in units if unit.depth <= county.depth + 1}
    entries = list(CatalogueEntry.objects.filter(locale=default).select_related("area"))
    outline = defaultdict(list)  # catalogue translation key → county entries
    local = defaultdict(list)  # unit translation key → its own entries
    catalogue_keys = dict(
        CatalogueEntry.objects.filter(locale=default).values_list("pk", "area__catalogue__translation_key")
    )
    for entry in entries:
        if entry.unit_id is None:
            outline[catalogue_keys[entry.pk]].append(entry)
    unit_keys = {unit.pk: unit.translation_key for unit in UnitPage.objects.filter(pk__in={e.unit_id for e in entries if e.unit_id})}
    for entry in entries:
        if entry.unit_id is not None:
            local[unit_keys[entry.unit_id]].append(entry)
    from disclosure_pages.models import Catalogue

    unit_catalogue = dict(Catalogue.objects.values_list("pk", "translation_key"))
    entry_keys = [entry.translation_key for entry in entries]
    standing_keys = {entry.translation_key for entry in entries if entry.timing == TimingKind.STANDING}
    facts = _item_facts(_items_of([unit.translation_key for unit in units], entry_keys), standing_keys)
    since = _entry_since(entry_keys)
    exemptions = defaultdict(list)
    for exemption in Exemption.objects.filter(unit__in=units).select_related("entry"):
        exemptions[(exemption.unit_id, exemption.entry.translation_key)].append(exemption)
    stored = defaultdict(list)
    for row in Obligation.objects.filter(unit__in=units):
        stored[(row.unit_id, row.entry_id)].append(row)

    to_create, to_update, gone = [], [], []
    for unit in units:
        section = sections.get(unit.path[: (county.depth + 1) * unit.steplen], county) if unit.depth > county.depth else county
        own = (outline.get(unit_catalogue.get(unit.catalogue_id), []) if unit.catalogue_id else []) + local.get(unit.translation_key, [])
        seen = set()
        for entry in own if unit.live else []:
            seen.add(entry.pk)
            planned = plan(
                entry, _unit_since(unit), since.get(entry.translation_key), facts.get((unit.translation_key, entry.translation_key), []),
                exemptions.get((unit.pk, entry.translation_key), []), rules, today,
            )
            created, updated, deleted = _apply(unit, section, entry, planned, stored.pop((unit.pk, entry.pk), []))
            to_create += created
            to_update += updated
            gone += deleted
    for rows in stored.values():  # entries the unit no longer has
        gone += [row.pk for row in rows]
    with transaction.atomic():
        _write(to_create, to_update, gone)
    return len(to_create), len(to_update), len(gone)


def roll_over(today=None):
    """Obligations whose deadline passed since they were reckoned become missing (one UPDATE)."""
    today = today or timezone.localdate()
    changed = Obligation.objects.filter(status=ObligationStatus.DUE, due_on__lt=today).update(status=ObligationStatus.MISSING)
    if changed:
        from .signals import obligations_changed

        obligations_changed.send(sender=Obligation)
    return changed


def counties():
    return UnitPage.objects.filter(unit_type=UnitType.COUNTY, locale=Locale.get_default()).order_by("path")

