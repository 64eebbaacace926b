"""Who may see what: one place that turns Wagtail view restrictions into query filters.

Every listing, feed, sitemap and attachment check goes through ``visible_pages`` so that
members-only content is filtered the same way everywhere. It reads the real restrictions
(the mechanism that guards the page itself), not a copy of the scope. Removed items (撤除)
are live pages that answer 410 Gone: they are left out here too, so they vanish from every
listing, feed, the sitemap and the stage chain, and their attachments are no longer served.
Withdrawn items (撤回) stay visible: their pages still answer, marked as withdrawn.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from wagtail.models import BaseViewRestriction, PageViewRestriction

from .choices import Takedown

ANONYMOUS = AnonymousUser()


def blocking_restrictions(user):
    """The view restrictions ``user`` does not pass (all of them for anonymous users)."""
    restrictions = PageViewRestriction.objects.all()
    if user is None or not user.is_authenticated:
        return restrictions
    member_of = PageViewRestriction.groups.through.objects.filter(
        pageviewrestriction_id=OuterRef("pk"), group__user=user
    )
    passed = Q(restriction_type=BaseViewRestriction.LOGIN) | Q(
        Q(restriction_type=BaseViewRestriction.GROUPS) & Exists(member_of)
    )
    # Password restrictions are per session and never passed in listings.
    return restrictions.exclude(passed)


def visible_pages(queryset, user):
    """Live, not removed pages of ``queryset`` that ``user`` may view, given restrictions on them and above."""
    queryset = without_removed_items(queryset.live())
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    blocking = blocking_restrictions(user)
    queryset = queryset.exclude(Exists(blocking.filter(page_id=OuterRef("pk"))))
    # Restrictions on pages with children (a unit made private) hide their whole section.
    for path in blocking.filter(page__numchild__gt=0).values_list("page__path", flat=True):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def without_removed_items(queryset):
    """``queryset`` (of any page type) without the disclosure items that were removed (撤除)."""
    from .models import DisclosureItemPage

    if issubclass(queryset.model, DisclosureItemPage):
        return queryset.exclude(takedown=Takedown.REMOVED)
    if not issubclass(DisclosureItemPage, queryset.model):
        return queryset  # e.g. units: no disclosure item among them
    removed = DisclosureItemPage.objects.filter(pk=OuterRef("pk"), takedown=Takedown.REMOVED)
    return queryset.exclude(Exists(removed))


def user_can_view(page, user):
    return visible_pages(type(page).objects.filter(pk=page.pk), user).exists()
