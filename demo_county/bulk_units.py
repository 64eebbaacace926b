"""The demo's units written in bulk (``seed_demo --bulk-items N``), for a province's thousands.

``UnitPage.save()`` through ``add_child`` manages about 15 units a second: each unit creates
its four groups, its collection and its grants one query at a time. Here a batch of sibling
units is written with one INSERT per table, with what their save adds:

- the four groups (公开专员, 领导小组, 党员, 监督员), named as ``UnitPage._create_groups``
  names them;
- the unit's files collection, under its county's collection (``create_unit_collections``),
  its materialised path counted on from the parent collection's last child as treebeard does;
- the grants of ``UnitPage._grant_page_permissions``: admin access for the officers and the
  leading group, their add and change page permissions on the unit, and the collection grants
  of ``disclosure_pages.files.unit_grants`` (the rule itself, called for each unit).

The review workflow is the portal's (``workflows.setup``), which every unit inherits: a unit
has nothing of its own to assign. The county unit itself, with its county and shared
collections and the catalogue permissions, is made page by page (``UnitPage.save``).

Safe for the same reasons as ``bulk_items``: a fresh demo database written by one process, so
counting paths on from the last child cannot race. ``unit_created`` (disclosure_pages.signals)
gives a new unit's members the unit-scoped items of the units above it: the seed writes units
before any item, and the writer refuses a parent that already has such items. What else
listens to a unit's save is done by the caller once (the API's content version, the search
and reference indexes) or here (the cached known names of the conversion layer).
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from disclosure_pages.choices import Scope, UnitType
from disclosure_pages.files import CHOOSE, MANAGE, _permission_ids, unit_grants
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.pages_compat import child_path, child_paths
from disclosure_pages.tree import add_children

GroupPermission = Group.permissions.through


class BulkUnitWriter:
    """Adds sibling units at once, with the groups, collection and grants their save would make."""

    def __init__(self):
        self._admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin").pk
        self._page_permissions = list(
            Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=["add_page", "change_page"]).values_list("pk", flat=True)
        )
        self._manage_ids, self._choose_ids = _permission_ids(MANAGE), _permission_ids(CHOOSE)
        self._collection_parents = {}  # pk -> the collections whose children ``finish`` puts in order

    def write(self, parent, units, county):
        """Add the unsaved ``units`` (none of them a county) as the last children of ``parent``,
        in order; ``county`` is the county unit above them, whose collection holds theirs.
        Call ``finish`` after the last batch."""
        if not units:
            return units
        if any(unit.unit_type == UnitType.COUNTY for unit in units):
            raise ValueError("A county unit is made page by page: its collections and catalogue grants are its own.")
        ancestors = UnitPage.objects.ancestor_of(parent, inclusive=True).values("translation_key") if isinstance(parent, UnitPage) else []
        if ancestors and DisclosureItemPage.objects.filter(scope=Scope.UNIT_MEMBERS, unit__translation_key__in=ancestors).exists():
            raise ValueError("Units written in bulk must come before the unit-scoped items of the units above them.")
        with transaction.atomic():
            self._create_groups(units)
            self._create_collections(units, county.files_collection.get_parent())
            add_children(parent, units)
            self._grant(units, county)
        if apps.is_installed("script_variants"):
            from script_variants.names import CACHE_KEY

            cache.delete(CACHE_KEY)  # as each unit's save does (forget_known_names)
        return units

    def _create_groups(self, units):
        groups = Group.objects.bulk_create(
            Group(name=f"{unit.display_name}（{unit.code}）{role}") for unit in units for _field, role in UnitPage.GROUP_ROLES
        )
        roles = len(UnitPage.GROUP_ROLES)
        for number, unit in enumerate(units):
            for (field, _role), group in zip(UnitPage.GROUP_ROLES, groups[number * roles : (number + 1) * roles], strict=True):
                setattr(unit, field, group)

    def finish(self):
        """Put the collections written in the order ``add_child`` keeps them (call once, after the last ``write``).

        Collections are kept in name order (``Collection.node_order_by``): ``add_child`` inserts
        each new one among its siblings and moves those after it along. Written at the end of
        their parent's children, they are given their sorted places here at once: every
        sibling's path, in the database's own order of names (that of ``add_child``'s
        comparisons), the new ones after an equal name as ``add_child`` puts them.
        """
        for parent in self._collection_parents.values():
            children = list(parent.get_children().order_by("name", "path").only("pk", "path", "numchild"))
            if any(child.numchild for child in children):
                raise ValueError("Only collections without children are put in order.")
            moved = []
            for step, child in enumerate(children, start=1):
                path = child_path(parent, step)
                if child.path != path:
                    child.path = path
                    moved.append(child)
            # Through free paths first: the paths are unique, and the moved ones swap places.
            free = len(children) + 1
            final = [child.path for child in moved]
            for number, child in enumerate(moved):
                child.path = child_path(parent, free + number)
            Collection.objects.bulk_update(moved, ["path"], batch_size=1000)
            for child, path in zip(moved, final, strict=True):
                child.path = path
            Collection.objects.bulk_update(moved, ["path"], batch_size=1000)
        self._collection_parents = {}

    def _create_collections(self, units, parent):
        """The units' collections as the last children of ``parent`` (``finish`` sorts them)."""
        self._collection_parents[parent.pk] = parent
        paths = child_paths(parent, len(units))
        collections = [
            Collection(name=f"{unit.display_name}（{unit.code}）", depth=parent.depth + 1, numchild=0, path=path)
            for unit, path in zip(units, paths, strict=True)
        ]
        Collection.objects.bulk_create(collections)
        Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(collections))
        parent.numchild += len(collections)
        for unit, collection in zip(units, collections, strict=True):
            unit.files_collection = collection

    def _grant(self, units, county):
        staff = [(unit, group) for unit in units for group in (unit.officers_group, unit.leading_group)]
        GroupPermission.objects.bulk_create(
            [GroupPermission(group_id=group.pk, permission_id=self._admin_access) for _unit, group in staff], ignore_conflicts=True
        )
        GroupPagePermission.objects.bulk_create(
            GroupPagePermission(group_id=group.pk, page_id=unit.pk, permission_id=permission)
            for unit, group in staff
            for permission in self._page_permissions
        )
        rows = set()
        for unit in units:
            rows |= unit_grants(unit, self._manage_ids, self._choose_ids, county)
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(group_id=group, collection_id=collection, permission_id=permission)
            for group, collection, permission in rows
        )
