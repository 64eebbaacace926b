"""Wagtail's page permission policy, minus the sub-unit sections a user may not see.

Wagtail lists in the explorer, search and admin API every page below one a user holds a
permission on; a township's officers would see their villages' drafts. This policy takes
those sections out of every such listing; the admin hooks refuse the actions themselves.
"""

from django.db.models import Q
from wagtail.permission_policies.pages import PagePermissionPolicy

from .units import reach_of


class UnitScopedPagePermissionPolicy(PagePermissionPolicy):
    """Pages a user may act on or explore, within the units they work in (see ``units.UnitReach``)."""

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

    def instances_user_has_any_permission_for(self, user, actions):
        return self._without_hidden_sections(user, super().instances_user_has_any_permission_for(user, actions))

    def explorable_instances(self, user):
        return self._without_hidden_sections(user, super().explorable_instances(user))
