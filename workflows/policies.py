"""Wagtail's page permission policy, minus the sub-unit sections a user may not see.

Wagtail grants a permission on a page to everything below it: a township's officers would
list, preview and read the revisions and history of their villages' drafts. This policy
takes those sections out of every listing (explorer, search, admin API) and refuses every
permission on a page inside them; the disclosure page types ask it page by page
(``disclosure_pages.permissions.PolicyCheckedPagePermissionTester``), so the editor, the
preview, revisions and history follow the same rule. The admin hooks add what the tree
cannot express (the county office sees every unit's drafts but edits only the county's).
"""

from django.db.models import Q
from wagtail.permission_policies.pages import PagePermissionPolicy

from .units import reach_of


class UnitScopedPagePermissionPolicy(PagePermissionPolicy):
    """Pages a user may act on or explore, within the units they work in (see ``units.UnitReach``)."""

    def _in_hidden_section(self, user, page):
        if not user.is_active or user.is_superuser or not getattr(page, "path", None):
            return False
        return any(page.path.startswith(path) for path in reach_of(user).hidden_sections())

    def _without_hidden_sections(self, user, pages):
        if not user.is_active or user.is_superuser:
            return pages
        hidden = reach_of(user).hidden_sections()
        if not hidden:
            return pages
        sections = Q()
        for path in hidden:
            sections |= Q(path__startswith=path)
        return pages.exclude(sections)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if self._in_hidden_section(user, instance):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self._without_hidden_sections(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return self._without_hidden_sections(user, super().explorable_instances(user))
