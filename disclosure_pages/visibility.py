"""Who may see what: one place that turns Wagtail view restrictions into query filters.

Every listing, feed, sitemap and attachment check goes through ``visible_pages`` so that
members-only content is filtered the same way everywhere. It reads the real restrictions
(the mechanism that guards the page itself), not a copy of the scope. Removed items (撤除)
are live pages that answer 410 Gone: they are left out here too, so they vanish from every
listing, feed, the sitemap and the stage chain, and their attachments are no longer served.
Withdrawn items (撤回) stay visible: their pages still answer, marked as withdrawn.
"""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from wagtail.models import BaseViewRestriction, Page, PageViewRestriction

from .choices import Takedown
from .tree import paths_above

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


def visible_pages(queryset, user, parent=None):
    """Live, not removed pages of ``queryset`` that ``user`` may view, given restrictions on them and above.

    ``parent``: a page that every page of ``queryset`` is, or is a child of (a unit's items, a
    page asked about alone). Only restrictions on it and its ancestors can then hide them as a
    section: a few rows read by path, instead of the restrictions on every page with children.
    """
    queryset = without_removed_items(queryset.live())
    if user is not None and user.is_authenticated and user.is_superuser:
        return queryset
    blocking = blocking_restrictions(user)
    queryset = queryset.exclude(Exists(blocking.filter(page_id=OuterRef("pk"))))
    # Restrictions on pages with children (a unit made private) hide their whole section. Mostly
    # there are none, and nothing more is asked.
    if parent is None:
        sections = blocking.filter(page_id__in=restricted_sections())
    else:
        sections = blocking.filter(page__path__in=paths_above(parent.path))
    for path in sections.values_list("page__path", flat=True):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def restricted_sections():
    """Ids of the pages with children that carry a view restriction (units made private).

    Kept in the cache by content version (``fragments.content_version``, which the saves of
    view restrictions move): asking for them costs 15-35 ms at 10,000 units, twice on the
    portal's home. The version is read first, so that what is kept under a number was read no
    earlier than that number; inside a transaction (whose writes may yet be rolled back, and
    their number taken by another write) they are read afresh.
    """
    from .fragments import content_version

    version = content_version() if _reads_are_committed() else None
    key = f"sunshine:restricted-sections:{version}"
    if version is not None:
        kept = cache.get(key)
        if kept is not None:
            return kept
    # Driven from the few pages with children (a partial index) and the restrictions' page index,
    # both read without their tables; PostgreSQL joined every item's restriction with them
    # otherwise (290,000 at 1,000,000 items).
    restricted = Page.objects.filter(numchild__gt=0).filter(Exists(PageViewRestriction.objects.filter(page_id=OuterRef("pk"))))
    ids = list(restricted.values_list("pk", flat=True))
    if version is not None:
        cache.set(key, ids, timeout=24 * 3600)
    return ids


def _reads_are_committed():
    return not connection.in_atomic_block


def page_is_public_in_admin(request, page, rows=()):
    """Whether no view restriction covers ``page``: the admin's privacy icon and status (Wagtail's
    ``test_page_is_public``, which reads every restriction of the county into each request, one
    per members-only item, and tests each page against all of them). Only restrictions on the
    page's path and above can cover it; they are read by path, a few rows by index, for the page
    and ``rows`` (the other pages of the table it is listed in) at once, then kept on the request."""
    asked, restricted = request.__dict__.setdefault("_sunshine_restriction_paths", (set(), set()))
    if page.path not in asked:  # (a path asked for was asked with every path above it)
        pages = [page, *(row for row in rows if getattr(row, "path", None))]
        paths = {path for each in pages for path in paths_above(each.path)} - asked
        restricted.update(PageViewRestriction.objects.filter(page__path__in=paths).values_list("page__path", flat=True))
        asked.update(paths)
    return not any(path in restricted for path in paths_above(page.path))


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
    return visible_pages(type(page).objects.filter(pk=page.pk), user, parent=page).exists()


# -- the same rule as audience keys, for search engines ----------------------------------------
# A search index cannot run ``visible_pages`` per query, so each indexed page carries the keys
# of the audiences that may view it and each query the keys of its user: a page is found when
# they share one. Both are derived from the same view restrictions as ``visible_pages``.
PUBLIC = "public"
SIGNED_IN = "login"
NOBODY = "nobody"


def group_key(group_id):
    return f"group{group_id}"


def audience_keys(page):
    """Keys of the audiences that may view ``page`` given its and its ancestors' restrictions."""
    return audience_keys_for([page])[page.pk]


def audience_keys_for(pages):
    """``audience_keys`` of many pages, with one query for all their restrictions."""
    by_path = _restrictions_by_path({path for page in pages for path in paths_above(page.path)})
    return {page.pk: _keys_of([restriction for path in paths_above(page.path) for restriction in by_path.get(path, ())]) for page in pages}


def child_audience_keys(parent):
    """A function giving the audience keys of a new child of ``parent`` from the child's own view
    restrictions, held in memory as ``(restriction type, group ids)`` pairs: ``audience_keys_for``'s
    rule, with the restrictions of ``parent`` and its ancestors read once for all its new children
    (the bulk writers')."""
    by_path = _restrictions_by_path(paths_above(parent.path))
    inherited = [restriction for path in paths_above(parent.path) for restriction in by_path.get(path, ())]
    return lambda own: _keys_of([*inherited, *own])


def _restrictions_by_path(paths):
    """``{path: [(restriction type, group ids), …]}``: the view restrictions of the pages at ``paths``."""
    by_path = {}
    for restriction in PageViewRestriction.objects.filter(page__path__in=list(paths)).select_related("page").prefetch_related("groups"):
        groups = {group.pk for group in restriction.groups.all()}
        by_path.setdefault(restriction.page.path, []).append((restriction.restriction_type, groups))
    return by_path


def _keys_of(restrictions):
    allowed_groups = None  # None: not limited to groups
    signed_in_only = False
    for restriction_type, groups in restrictions:
        if restriction_type == BaseViewRestriction.PASSWORD:
            return [NOBODY]  # per-session passwords are never passed in listings
        if restriction_type == BaseViewRestriction.LOGIN:
            signed_in_only = True
        elif restriction_type == BaseViewRestriction.GROUPS:
            allowed_groups = set(groups) if allowed_groups is None else allowed_groups & set(groups)
    if allowed_groups is not None:
        return sorted(group_key(pk) for pk in allowed_groups) or [NOBODY]
    return [SIGNED_IN] if signed_in_only else [PUBLIC]


def user_audience_keys(user):
    """The audience keys ``user`` holds, or None for superusers, who see everything live."""
    if user is None or not user.is_authenticated:
        return [PUBLIC]
    if user.is_superuser:
        return None
    return [PUBLIC, SIGNED_IN] + [group_key(pk) for pk in user.groups.values_list("pk", flat=True)]
