"""Permissions: catalogue entries (the county office edits all, a unit its own), and page
permissions that the registered page permission policy may narrow page by page."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies import ModelPermissionPolicy

UNIT_ACTIONS = {"add", "change", "delete", "view"}


def units_managed_by(user):
    """Units whose officers or leading group ``user`` belongs to."""
    from .models import UnitPage

    if not user.is_active or not user.is_authenticated:
        return UnitPage.objects.none()
    # Ids as values: OR-ed subqueries make PostgreSQL read every page of a province-sized county.
    groups = list(user.groups.values_list("pk", flat=True))
    return UnitPage.objects.filter(Q(officers_group_id__in=groups) | Q(leading_group_id__in=groups))


def page_owners_for(request):
    """The choices of the admin's "owner" filter: who owns one of the pages listed (the children
    of the page explored), or, in a listing of no particular page, any page. Read by the owner
    index, a user at a time, or from the listed pages: never every page's owner."""
    parent_id = request.resolver_match.kwargs.get("parent_page_id") if request.resolver_match else None
    parent = Page.objects.filter(pk=parent_id).first() if parent_id else None
    if parent is None:
        return get_user_model().objects.filter(Exists(Page.objects.filter(owner=OuterRef("pk")))).order_by("username")
    listed = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1, owner__isnull=False)
    return get_user_model().objects.filter(pk__in=list(listed.values_list("owner", flat=True).distinct())).order_by("username")


class CatalogueEntryPermissionPolicy(ModelPermissionPolicy):
    """Model permissions (the county office) cover every entry; a unit's officers and
    leading group manage that unit's local entries (the "X" of 7+X) and nothing else."""

    def _county_level(self, user, action):
        return super().user_has_permission(user, action)

    def user_has_permission(self, user, action):
        if self._county_level(user, action):
            return True
        return action in UNIT_ACTIONS and units_managed_by(user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        if self._county_level(user, action):
            return True
        return (
            action in UNIT_ACTIONS
            and instance.unit_id is not None
            and units_managed_by(user).filter(pk=instance.unit_id).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if self._county_level(user, action):
            return self.model.objects.all()
        if action not in UNIT_ACTIONS:
            return self.model.objects.none()
        return self.model.objects.filter(unit__in=units_managed_by(user))

    def instances_user_has_any_permission_for(self, user, actions):
        if any(self._county_level(user, action) for action in actions):
            return self.model.objects.all()
        if not UNIT_ACTIONS.intersection(actions):
            return self.model.objects.none()
        return self.model.objects.filter(unit__in=units_managed_by(user))


class PolicyCheckedPagePermissionTester(PagePermissionTester):
    """Wagtail's page permission tester, keeping only what the page permission policy confirms for this page."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if getattr(self, "permissions", None):
            # Wagtail grants a permission on a page to its whole subtree, and its tester reads
            # the grants directly. Asking the registered policy page by page lets a site narrow
            # that (the workflows app keeps a township's officers out of its villages' drafts)
            # in one place that also governs the explorer and search listings.
            self.permissions = {
                action
                for action in self.permissions
                if self.permission_policy.user_has_permission_for_instance(user, action, page)
            }

    def can_delete(self, ignore_bulk=False):
        # A listing asks this of every row (删除, and 移动 through can_move), and Wagtail queries the
        # page's subtree for live or others' pages (PagePermissionTester.can_delete, Wagtail 8.0).
        # Where the page itself settles it (a leaf is its whole subtree; a live page, or another's,
        # is one of its pages), the same rules on the fields at hand.
        if not self.user.is_active or self.user.is_superuser or self.page_is_root:
            return super().can_delete(ignore_bulk)
        leaf = not self.page.numchild
        if not leaf and "bulk_delete" not in self.permissions and not ignore_bulk:
            return False
        if "change" in self.permissions:
            if "publish" in self.permissions:
                return True
            if self.page.live:
                return False
        elif "add" in self.permissions:
            if self.page.owner_id != self.user.pk or ("publish" not in self.permissions and self.page.live):
                return False
        else:
            return False
        return True if leaf else super().can_delete(ignore_bulk)


class PolicyCheckedPermissionsMixin:
    """A page type whose admin permissions (edit, preview, revisions, history) follow the page permission policy."""

    def permissions_for_user(self, user):
        # A listing row asks once per button (ten or so): one tester per page and user object, as
        # the policy caches the user's grants on the user object.
        cached = self.__dict__.get("_sunshine_permission_tester")
        if cached is None or cached[0] is not user:
            cached = (user, PolicyCheckedPagePermissionTester(user, self))
            self.__dict__["_sunshine_permission_tester"] = cached
        return cached[1]
