"""The queries behind the portal's listings; every one goes through ``visible_pages``.

Withdrawn items (撤回) stay in the unit pages, the catalogue pages and the stage chain,
marked "已撤回" (as GOV.UK keeps withdrawn pages findable), but they are no longer news:
the portal's latest items and the feeds leave them out (``announced``). Removed items
(撤除) are gone everywhere (``visible_pages``).
"""

from collections import OrderedDict

from django.core.paginator import Paginator

from .choices import Takedown
from .models import Catalogue, CatalogueEntry, DisclosureItemPage, UnitPage
from .visibility import visible_pages

PAGE_SIZE = 20


def visible_items_under(page, user):
    """Items below ``page`` that ``user`` may view, newest first."""
    items = DisclosureItemPage.objects.descendant_of(page)
    return (
        visible_pages(items, user)
        .select_related("unit", "catalogue_entry__area")
        .defer_streamfields()
        .order_by("-publish_date", "-pk")
    )


def announced(items):
    """Items still current enough to announce (latest items, feeds): withdrawn ones are not."""
    return items.exclude(takedown=Takedown.WITHDRAWN)


def latest_items(portal, user, limit):
    return list(announced(visible_items_under(portal, user))[:limit])


def items_by_area(unit, user, per_entry=5):
    """The unit's catalogue, area by area, with the unit's latest items under each entry."""
    items = visible_pages(DisclosureItemPage.objects.child_of(unit), user).select_related("catalogue_entry").defer_streamfields()
    by_entry = OrderedDict()
    for item in items.order_by("-publish_date", "-pk"):
        by_entry.setdefault(item.catalogue_entry_id, []).append(item)
    areas = OrderedDict()
    for entry in unit.catalogue_entries().order_by("area__sort_order", "sort_order", "pk"):
        entry_items = by_entry.pop(entry.pk, [])
        area = areas.setdefault(entry.area_id, {"area": entry.area, "entries": []})
        area["entries"].append({"entry": entry, "items": entry_items[:per_entry], "count": len(entry_items)})
    others = [item for entry_items in by_entry.values() for item in entry_items]
    return {"areas": list(areas.values()), "others": others[:per_entry * 4], "others_count": len(others)}


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


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of results; a missing, malformed or out-of-range page number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
