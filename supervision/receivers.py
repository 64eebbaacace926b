"""Supervision follows the domain: an item's change re-reckons its unit's obligations under
its entry (``obligations.py``), in the writer's transaction; a new catalogue entry records the
day it began to apply (periods before owe nothing under it) once a county has set its rules:
entries written while a county is being set up apply from the start of its tracking. And
supervision's own writes move its cached figures on."""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Locale

from disclosure_pages.changes import item_changes
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage

from . import figures_version, obligations
from .models import EntrySince, EvaluationRound, Finding, Obligation, RoundResult, SupervisionRules
from .signals import obligations_changed


_deferred = threading.local()


@contextmanager
def reckoning_deferred():
    """For bulk writers (the demo's bulk seed): the items changed inside the block are not
    reckoned one unit and entry at a time, which is most of the time of writing them; every
    county is rebuilt at once after (``obligations.rebuild``, the nightly command's work)."""
    if getattr(_deferred, "active", False):
        yield
        return
    _deferred.active = True
    try:
        yield
    finally:
        _deferred.active = False
    for county in obligations.counties():
        obligations.rebuild(county)


@receiver(item_changes, dispatch_uid="supervision-item-changes")
def reckon_changed_items(sender, changes, **kwargs):
    if getattr(_deferred, "active", False):
        return
    default = Locale.get_default().pk
    keys = {change.translation_key for change in changes}
    pairs, units_left, units_of_deleted = set(), set(), set()
    for row in DisclosureItemPage.objects.filter(translation_key__in=keys, locale_id=default).exclude(catalogue_entry=None).values(
        "unit_id", "catalogue_entry_id"
    ):
        if row["unit_id"]:
            pairs.add((row["unit_id"], row["catalogue_entry_id"]))
    for change in changes:
        before, after = change.before, change.after
        # An item moved away leaves its old unit owing again.
        if before is not None and after is not None and before.unit_id and before.unit_id != after.unit_id:
            units_left.add(before.unit_id)
        if after is None and before is not None and before.unit_id:
            units_of_deleted.add(before.unit_id)
    units = UnitPage.objects.in_bulk({unit for unit, _ in pairs} | units_left)
    entries = CatalogueEntry.objects.in_bulk({entry for _, entry in pairs})
    for unit_id, entry_id in pairs:
        if unit_id in units and entry_id in entries and unit_id not in units_left:
            obligations.reckon_unit_entry(units[unit_id], entries[entry_id])
    for unit_id in units_left:
        if unit_id in units:
            obligations.reckon_unit(units[unit_id])
    if units_of_deleted:
        # Once the deletion is done: the unit may be going with its items.
        transaction.on_commit(lambda: obligations.reckon_units(units_of_deleted))


@receiver(post_save, sender=CatalogueEntry, dispatch_uid="supervision-entry-since")
def record_entry_since(sender, instance, created, raw=False, **kwargs):
    # A variant in the other script is the same entry: it began with its source.
    variant = CatalogueEntry.objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk).exists()
    if created and not raw and not variant and SupervisionRules.objects.exists():
        EntrySince.objects.get_or_create(entry_key=instance.translation_key, defaults={"since": timezone.localdate()})


def move_figures_on(sender, **kwargs):
    """The 督办台's and the 绩效评估 page's cached figures are of the data before this change."""
    figures_version.move_on()


obligations_changed.connect(move_figures_on, dispatch_uid="supervision-figures-bulk")
for model in (Obligation, RoundResult, EvaluationRound, Finding):
    post_save.connect(move_figures_on, sender=model, dispatch_uid=f"supervision-figures-saved-{model.__name__}")
    post_delete.connect(move_figures_on, sender=model, dispatch_uid=f"supervision-figures-deleted-{model.__name__}")
