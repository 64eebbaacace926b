"""The queries behind the portal's listings; every one goes through ``visible_pages``.

Withdrawn items (撤回) stay in the unit pages, the catalogue pages and the stage chain,
marked "已撤回" (as GOV.UK keeps withdrawn pages findable), but they are no longer news:
the portal's latest items and the feeds leave them out (``announced``). Removed items
(撤除) are gone everywhere (``visible_pages``).
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_

from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from wagtail.models import Page

from .choices import Takedown, Validity
from .models import Catalogue, CatalogueArea, CatalogueEntry, DisclosureItemPage, UnitPage
from .visibility import visible_pages

PAGE_SIZE = 20
NEWEST_FIRST = ("-publish_date", "-pk")


@dataclass(frozen=True)
class ItemFilters:
    """What a reader narrows a list of items by: the portal's listings and the API share it.

    Units, areas and entries are matched by translation key, so a unit or entry picked in
    one script filters the items of either script (the variant of an item hangs under the
    variant of its unit and points at the variant of its entry). ``validity`` is the
    validity as of today (a valid item past its expiry date has expired).
    """

    unit: UnitPage | None = None
    descendants: bool = True  # the unit's sub-units too (a township and its villages)
    area: CatalogueArea | None = None
    entry: CatalogueEntry | None = None
    stage: str | None = None
    importance: str | None = None
    validity: str | None = None
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    language_code: str | None = None
    updated_since: datetime | None = None

    def apply(self, items):
        """``items`` (a DisclosureItemPage queryset) narrowed to these filters."""
        language_code = self.language_code
        if self.unit is not None:
            items = items.filter(self._unit_condition())
            # The unit's pages in the chosen script hold that script's items only: a second
            # condition on the locale would just tempt SQLite into scanning the whole locale.
            language_code = None
        if self.area is not None:
            items = items.filter(catalogue_entry__area__translation_key=self.area.translation_key)
        if self.entry is not None:
            items = items.filter(catalogue_entry__translation_key=self.entry.translation_key)
        exact = {"stage": self.stage, "importance": self.importance, "publish_date__year": self.year,
                 "publish_date__gte": self.date_from, "publish_date__lte": self.date_to,
                 "locale__language_code": language_code, "last_published_at__gt": self.updated_since}
        items = items.filter(**{lookup: value for lookup, value in exact.items() if value is not None})
        if self.validity is not None:
            items = items.filter(current_validity_is(self.validity))
        return items

    def _unit_condition(self):
        units = UnitPage.objects.filter(translation_key=self.unit.translation_key)
        if self.language_code:
            units = units.filter(locale__language_code=self.language_code)
        if not self.descendants:
            return Q(unit__in=units)
        return reduce(or_, (subtree(path) for path in units.values_list("path", flat=True)), Q(pk__in=[]))


def subtree(path):
    """Pages at ``path`` and below, as a range of the materialised path: unlike Wagtail's
    ``descendant_of`` (a LIKE), SQLite and PostgreSQL answer it from the path's index.
    Exact in any collation: treebeard's steps use only 0-9 and A-Z, and no path is longer
    than the field, so every path below sorts between ``path`` and ``path`` padded with Z."""
    return Q(path__gte=path, path__lte=path.ljust(Page._meta.get_field("path").max_length, "Z"))


def current_validity_is(validity, today=None):
    """The condition for items whose validity as of ``today`` is ``validity`` (see ValidityMixin)."""
    today = today or timezone.localdate()
    lapsed = Q(validity=Validity.VALID, expiry_date__lt=today)
    if validity == Validity.VALID:
        return Q(validity=Validity.VALID) & ~lapsed
    if validity == Validity.EXPIRED:
        return Q(validity=Validity.EXPIRED) | lapsed
    return Q(validity=validity)


def visible_items(user, filters=ItemFilters(), within=None):
    """Items (under ``within``, a page, if given) that ``user`` may view, filtered, newest first."""
    items = DisclosureItemPage.objects.all()
    if within is not None:
        items = items.filter(subtree(within.path))
    return (
        filters.apply(visible_pages(items, user))
        .select_related("unit", "catalogue_entry__area")
        .defer_streamfields()
        .order_by(*NEWEST_FIRST)
    )


def visible_items_under(page, user):
    """Items below ``page`` that ``user`` may view, newest first."""
    return visible_items(user, within=page)


def announced(items):
    """Items still current enough to announce (latest items, feeds): withdrawn ones are not."""
    return items.exclude(takedown=Takedown.WITHDRAWN)


def latest_items(portal, user, limit):
    return list(announced(visible_items_under(portal, user))[:limit])


def items_by_area(unit, user, per_entry=5):
    """The unit's catalogue, area by area, with the unit's latest items under each entry.

    Each entry's newest items and its number of items come from one query, ranked and counted
    by the database: a unit may hold thousands of items, and this page shows five an entry.
    Items under entries of no catalogue of the unit's are 其他公开事项, the newest ``4 ×
    per_entry`` of them.
    """
    entries = list(unit.catalogue_entries().order_by("area__sort_order", "sort_order", "pk"))
    others_limit = per_entry * 4
    # The entry an item is listed under; NULL: among the others.
    listed_under = Case(When(catalogue_entry_id__in=[entry.pk for entry in entries], then="catalogue_entry_id"))
    newest = [F("publish_date").desc(), F("pk").desc()]
    items = (
        visible_pages(DisclosureItemPage.objects.child_of(unit), user, parent=unit)
        .defer_streamfields()
        .annotate(
            listed_under=listed_under,
            rank=Window(RowNumber(), partition_by=[listed_under], order_by=newest),
            listed_count=Window(Count("pk"), partition_by=[listed_under]),
        )
        .filter(rank__lte=Case(When(listed_under__isnull=True, then=Value(others_limit)), default=Value(per_entry)))
        .order_by(*NEWEST_FIRST)
    )
    by_entry, counts = {}, {}
    for item in items:
        by_entry.setdefault(item.listed_under, []).append(item)
        counts[item.listed_under] = item.listed_count
    areas = OrderedDict()
    for entry in entries:
        area = areas.setdefault(entry.area_id, {"area": entry.area, "entries": []})
        area["entries"].append({"entry": entry, "items": by_entry.get(entry.pk, []), "count": counts.get(entry.pk, 0)})
    return {"areas": list(areas.values()), "others": by_entry.get(None, []), "others_count": counts.get(None, 0)}


def unit_tree(portal, max_depth=None):
    """Live, visible units under the portal as nested dicts: ``{"unit": u, "children": [...]}``."""
    units = visible_pages(UnitPage.objects.descendant_of(portal), None).order_by("path")
    if max_depth is not None:
        units = units.filter(depth__lte=portal.depth + max_depth + 1)
    roots, by_path = [], {}
    for unit in units:
        node = {"unit": unit, "children": []}
        by_path[unit.path] = node
        parent = by_path.get(unit.path[: -unit.steplen])
        (parent["children"] if parent else roots).append(node)
    return roots


def catalogues_for(portal):
    """The county catalogues in the portal's script, with areas and county-wide entries."""
    result = []
    for catalogue in Catalogue.objects.filter(locale_id=portal.locale_id).prefetch_related("areas"):
        entries = CatalogueEntry.objects.filter(area__catalogue=catalogue, unit__isnull=True).order_by("sort_order", "pk")
        by_area = OrderedDict((area.pk, {"area": area, "entries": []}) for area in catalogue.areas.all())
        for entry in entries:
            by_area[entry.area_id]["entries"].append(entry)
        result.append({"catalogue": catalogue, "areas": list(by_area.values())})
    return result


def sliced(items, start, stop):
    """``list(items[start:stop])`` of an ordered queryset, sorting only the ids.

    A township's list orders thousands of items to show twenty; sorting whole page rows cost
    SQLite five times what sorting their ids does (60 against 12 ms at 100,000 items). The
    twenty rows are then read by primary key.
    """
    return items_by_ids(items, list(items.values_list("pk", flat=True)[start:stop]))


def sliced_with_total(items, start, stop):
    """(``sliced(items, start, stop)``, ``items.count()``), the total counted in the same reading."""
    rows = list(items.annotate(listed_total=Window(Count("pk"))).values_list("pk", "listed_total")[start:stop])
    if not rows:
        return [], (items.count() if start else 0)
    return items_by_ids(items, [pk for pk, _ in rows]), rows[0][1]


def items_by_ids(items, ids):
    """The items of ``items`` with these ids, in their order (those gone since are left out)."""
    found = {item.pk: item for item in items.order_by().filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class ItemPaginator(Paginator):
    """Django's paginator, reading each page with ``sliced``."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(sliced(self.object_list, bottom, top), number, self)


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of results; a missing, malformed or out-of-range page number gives the nearest page."""
    return ItemPaginator(queryset, per_page).get_page(request.GET.get("page"))
