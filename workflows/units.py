"""Which unit a page belongs to, who approves for it, and which units' sections a user may reach.

Wagtail grants page permissions down the tree: the officers of a township could edit its
villages' drafts, and the county office everything. The disclosure rule is narrower — a
unit's officers and leading group work in their own unit only — so this module says who
manages and who merely sees a unit's section; the permission policy and the admin hooks
apply it (``policies.py``, ``wagtail_hooks.py``).
"""

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from disclosure_pages.choices import UnitType
from disclosure_pages.conf import app_settings
from disclosure_pages.models import UnitPage

VILLAGE_TYPES = (UnitType.VILLAGE, UnitType.COMMUNITY)


def owning_unit(page):
    """The unit whose section ``page`` is in: the page itself if it is a unit, else its nearest unit ancestor."""
    if page is None or not getattr(page, "path", None):
        return None
    return UnitPage.objects.ancestor_of(page, inclusive=True).order_by("-depth").first()


def owning_units(pages):
    """``owning_unit`` of many pages in one query: {page pk: unit or None}."""
    pages = [page for page in pages if getattr(page, "path", None)]
    steplen = UnitPage.steplen
    prefixes = {page.path[:end] for page in pages for end in range(steplen, len(page.path) + 1, steplen)}
    units = {unit.path: unit for unit in UnitPage.objects.filter(path__in=prefixes)} if prefixes else {}
    found = {}
    for page in pages:
        ends = range(len(page.path), 0, -steplen)  # the page itself first, then up the tree
        found[page.pk] = next((units[page.path[:end]] for end in ends if page.path[:end] in units), None)
    return found


def county_unit(page):
    """The county (县委) unit above ``page``, or ``None`` outside a county's tree."""
    if page is None or not getattr(page, "path", None):
        return None
    return UnitPage.objects.ancestor_of(page, inclusive=True).filter(unit_type=UnitType.COUNTY).order_by("-depth").first()


def active_members(group, exclude=None):
    """Active users of ``group`` (none for a missing group), optionally without one person."""
    User = get_user_model()
    if group is None:
        return User.objects.none()
    users = User.objects.filter(groups=group, is_active=True)
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return users


def has_active_members(group_field):
    """Whether the group in ``group_field`` of the outer query has anyone in it: ``active_members``
    as a subquery, for annotating every unit of a county in the query that lists them."""
    return Exists(get_user_model().objects.filter(groups=OuterRef(group_field), is_active=True))


def in_group(user, group):
    if group is None or user is None or not user.is_authenticated or not user.is_active:
        return False
    cache = _user_cache(user, "group_ids")
    if "ids" not in cache:
        cache["ids"] = set(user.groups.values_list("pk", flat=True))
    return group.pk in cache["ids"]


def _user_cache(user, name):
    """A per-request cache on the user object (Wagtail caches page permissions the same way)."""
    caches = user.__dict__.setdefault("_sunshine_unit_cache", {})
    return caches.setdefault(name, {})


# -- who works where -------------------------------------------------------------------


class UnitReach:
    """Where one user works: the units they manage and whether they are the county office.

    ``managed`` are the units whose officers or leading group the user belongs to (plus,
    with ``SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES``, the villages and communities of a
    township whose officers they are). The county office (the county unit's officers and
    leading group) sees every unit's drafts but still manages only the county's own.
    """

    def __init__(self, user):
        self.user = user
        self.everything = bool(user.is_active and user.is_superuser)
        group_ids = set(user.groups.values_list("pk", flat=True)) if user.is_authenticated else set()
        own = list(UnitPage.objects.filter(Q(officers_group__in=group_ids) | Q(leading_group__in=group_ids)).order_by("path"))
        self.county_office = any(unit.unit_type == UnitType.COUNTY for unit in own)
        managed = {unit.pk: unit for unit in own}
        if app_settings.SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES:
            townships = [unit for unit in own if unit.unit_type == UnitType.TOWNSHIP and unit.officers_group_id in group_ids]
            if townships:
                for village in children_of(townships).filter(unit_type__in=VILLAGE_TYPES):
                    managed[village.pk] = village
        self.managed = managed
        self._hidden = None  # computed once: every permission check on a page asks for it

    @property
    def sees_everything(self):
        return self.everything or self.county_office

    def manages_unit(self, unit):
        return self.manages_unit_id(unit.pk if unit is not None else None)

    def manages_unit_id(self, unit_id):
        return self.everything or (unit_id is not None and unit_id in self.managed)

    def sees_unit(self, unit):
        return self.sees_everything or self.manages_unit(unit)

    def hidden_sections(self):
        """Paths of the sub-unit sections below the user's units that they may not see."""
        if self._hidden is None:
            self._hidden = []
            if not self.sees_everything and self.managed:
                for pk, path in children_of(self.managed.values()).order_by("path").values_list("pk", "path"):
                    if pk not in self.managed:
                        self._hidden.append(path)
        return self._hidden


def children_of(units):
    """The units directly under any of ``units`` (a non-empty list), in one query."""
    return UnitPage.objects.filter(reduce(or_, (Q(path__startswith=unit.path, depth=unit.depth + 1) for unit in units)))


def reach_of(user):
    cache = _user_cache(user, "reach")
    if "reach" not in cache:
        cache["reach"] = UnitReach(user)
    return cache["reach"]


def may_manage(user, page):
    """May ``user`` add, edit or delete in the section of ``page``? (The workflow's reviewers aside.)"""
    return reach_of(user).manages_unit(owning_unit(page))


def may_see(user, page):
    """May ``user`` see the drafts in the section of ``page``?"""
    return reach_of(user).sees_unit(owning_unit(page))
