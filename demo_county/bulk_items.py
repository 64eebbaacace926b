"""The demo's disclosure items written in bulk (``seed_demo --bulk-items N``), for benchmarks.

``DisclosureItemPage.save()`` through ``add_child`` manages about 50 items a second; search
and API benchmarks need 100,000. Here the same items (``DemoBuilder.unit_items``) are written
a unit at a time with one INSERT per table and batch (``tree.add_children``), and what the
item's save adds is written alongside, in bulk too: the unit, the document year, the index
number, the change notes, the named organisations and the view restriction of the scope.

Why bypassing the page API is safe here:

- the database is a fresh demo database written by this one process, so counting tree paths
  on from each unit's last child cannot race with another writer, and index numbers are
  taken from ``IndexNumberSequence`` in blocks, under the same row lock as ``allocate()``,
  so items saved later through the editor continue the sequence without a clash;
- the rows are those the page-by-page path writes — the fields its save sets, the
  ``PageViewRestriction`` of every item not public, with the groups that
  ``AudienceScopeMixin.audience_groups()`` itself returns — which
  ``tests/demo_county/test_bulk_seed.py`` checks by building one county both ways and
  comparing them row by row;
- the demo's bodies attach no documents, so there are no ``PublishedAttachment`` rows to
  record (the test checks that too), and they have no other-script variants yet;
- like the page-by-page demo path, items get no revision: Wagtail's editor starts from the
  live page when a page has none, and the first edit saves the first revision. Nor is the
  restriction's "created" entry written to the audit log: no one created it;
- the item change feed (``disclosure_pages.changes``) hears of every item, created live, as
  from its save: one batch per unit, so its consumers (the API's content version, the search
  outbox) follow as they do page by page.

The reference index is not touched, nor the search index while ``index_updates_paused``;
the caller rebuilds them. With ``SUNSHINE_FRAMEWORK_FAST_PATHS = False`` each item is added by
``add_child`` instead, and its own save writes the rest (tests/disclosure_pages/test_tree.py
compares the two).
"""

from collections import defaultdict

from django.db import transaction
from django.db.models.query import EmptyQuerySet
from django.utils import timezone
from wagtail.models import BaseViewRestriction, PageViewRestriction

from disclosure_pages.changes import ItemState, announce, change_of
from disclosure_pages.choices import Scope
from disclosure_pages.models import DisclosureItemPage, IndexNumberSequence, ItemChangeNote
from disclosure_pages.pages_compat import fast_paths
from disclosure_pages.tree import add_children
from disclosure_pages.visibility import child_audience_keys

NamedUnit = DisclosureItemPage._meta.get_field("named_units").remote_field.through
RestrictionGroup = PageViewRestriction.groups.through


class BulkItemWriter:
    """Publishes a unit's new items at once, with the rows their save would have written."""

    def __init__(self):
        self._audiences = {}  # (unit, scope[, named units]) -> group ids, or None for everyone

    def write(self, unit, items):
        """Add the unsaved ``items`` (in creation order) to ``unit`` as live pages."""
        # What the items hold in memory is read before they get ids: after, it would be queried.
        notes, named_units, audiences = [], [], []
        for item in items:
            item.unit = unit
            item.document_year = item.document_date.year if item.document_date else None
            named = [named.pk for named in assigned(item.named_units)]
            notes += [(item, note) for note in item.change_notes.all()]
            named_units += [(item, pk) for pk in named]
            if (groups := self._audience(item, named)) is not None:
                audiences.append((item, groups))
        with transaction.atomic():
            self._number(unit, items)
            add_children(unit, items)
            if not fast_paths():
                return  # each item was saved by add_child: its own save() wrote the rest
            for item, note in notes:
                note.item = item
            ItemChangeNote.objects.bulk_create(note for _, note in notes)
            NamedUnit.objects.bulk_create(NamedUnit(disclosureitempage_id=item.pk, unitpage_id=pk) for item, pk in named_units)
            # Every item not public gets a GROUPS restriction bound to its audience's groups.
            restrictions = PageViewRestriction.objects.bulk_create(
                PageViewRestriction(page_id=item.pk, restriction_type=BaseViewRestriction.GROUPS) for item, _ in audiences
            )
            RestrictionGroup.objects.bulk_create(
                RestrictionGroup(pageviewrestriction_id=restriction.pk, group_id=group_id)
                for restriction, (_, groups) in zip(restrictions, audiences, strict=True)
                for group_id in groups
            )
            # Said as each item's save says it, in one batch (search, the API and others follow it).
            # The new items' states are what ``states_of`` would read back: their audience from the
            # restrictions just written (the unit's own and its ancestors' read once), no named people.
            keys_of = child_audience_keys(unit)
            groups_of = {item.pk: groups for item, groups in audiences}
            states = {
                item.pk: ItemState.of(item, keys_of([(BaseViewRestriction.GROUPS, groups_of[item.pk])] if item.pk in groups_of else []), ())
                for item in items
            }
            announce((change_of(item, None, states[item.pk]) for item in items), items)

    def _number(self, unit, items):
        """Index numbers per year of the document, in creation order, as ``ensure_index_number`` gives them."""
        by_year = defaultdict(list)
        for item in items:
            by_year[(item.document_date or timezone.localdate()).year].append(item)
        numbers = reserve_index_numbers(unit.code, {year: len(items_of_year) for year, items_of_year in by_year.items()})
        for year, items_of_year in by_year.items():
            for item, number in zip(items_of_year, numbers[year], strict=True):
                item.index_number = number
                item.slug = item.index_slug  # as a new item's save gives it (DisclosureItemPage.save)

    def _audience(self, item, named_units):
        """The ids of the groups that may view ``item`` (None: everyone), by the model's own rule.

        Items may name organisations, as the demo's do, but not groups or people (only the
        named organisations are written): the model gives named people a group of the item's
        own as the item is saved.
        """
        # All members are one audience whatever the unit (the model's rule for the scope).
        key = (item.scope,) if item.scope == Scope.ALL_MEMBERS else (item.unit_id, item.scope)
        if item.scope == Scope.NAMED:
            if assigned(item.named_groups) or assigned(item.named_people):
                raise ValueError("Items written in bulk may name organisations only, not groups or people.")
            key += (frozenset(named_units),)
        if key not in self._audiences:
            groups = item.audience_groups()
            self._audiences[key] = None if groups is None else list(groups.values_list("pk", flat=True))
        return self._audiences[key]


def assigned(relation):
    """The objects assigned in memory to a many-to-many relation of an unsaved item.

    Unassigned, modelcluster answers with ``none()``, which Django still compiles into SQL when
    it is read (about a millisecond for a page type); this reads it without compiling.
    """
    objects = relation.all()
    return [] if isinstance(objects, EmptyQuerySet) else list(objects)


def reserve_index_numbers(unit_code, counts):
    """Take the next index numbers of ``unit_code`` at once: ``{year: count}`` in, ``{year: numbers in order}`` out.

    The sequences' rows are locked as ``IndexNumberSequence.allocate``'s UPDATE locks one (those
    missing are created), so whoever allocates next continues after them; one query reads the
    years' rows and one writes each of updated and new ones, whatever the number of years.
    """
    with transaction.atomic(savepoint=False):
        sequences = IndexNumberSequence.objects.select_for_update().filter(unit_code=unit_code, year__in=list(counts))
        existing = {sequence.year: sequence for sequence in sequences}
        new = [IndexNumberSequence(unit_code=unit_code, year=year, last_value=0) for year in counts if year not in existing]
        for sequence in [*existing.values(), *new]:
            sequence.last_value += counts[sequence.year]
        IndexNumberSequence.objects.bulk_update(list(existing.values()), ["last_value"])
        IndexNumberSequence.objects.bulk_create(new)
    # The format of IndexNumberSequence.allocate.
    return {
        sequence.year: [f"{unit_code}/{sequence.year}-{value:05d}" for value in range(sequence.last_value - counts[sequence.year] + 1, sequence.last_value + 1)]
        for sequence in [*existing.values(), *new]
    }
