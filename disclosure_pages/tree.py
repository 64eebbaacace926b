"""Adding new pages under a parent: one place for the importer (a page at a time) and the bulk
seed (a unit's items at once).

With ``SUNSHINE_FRAMEWORK_FAST_PATHS`` on (the default) the tree positions are computed here
(``pages_compat.child_paths``) under the parent's row lock; off, treebeard's ``add_child`` adds
each page, as Wagtail's editor does. The parity tests build the same pages both ways
(tests/disclosure_pages/test_tree.py, tests/demo_county/test_bulk_seed.py).
"""

from django.db import NotSupportedError, connections, router, transaction
from django.db.models import F
from wagtail.models import Page

from .pages_compat import child_paths, fast_paths, insert_rows, mark_not_site_root, remember_parent, take_related_ids


def paths_above(path):
    """``path`` and the paths of the pages above it, shortest first (materialised path prefixes)."""
    return [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]


# The fields a page gets from its place in the tree (the slug is made free among its siblings).
PLACE_FIELDS = ("path", "depth", "url_path", "slug")


def add_child(parent, page, validate=lambda page, exclude: None):
    """Save the unsaved ``page`` as ``parent``'s last child, after ``validate(page, exclude)``
    (``page.full_clean``'s work, which may change the page; ``exclude``: the fields that the
    page does not have yet).

    Fast path: the parent's ``numchild`` UPDATE takes its row lock first, so the last child's
    path, read under it, stays the last until the caller's transaction ends; ``validate`` runs
    with the page in its place (Wagtail's slug checks included) and the page is saved once,
    without Wagtail's draft validation. ``add_child`` would read the parent again (locked) and
    its last child as a whole page. Slow path: ``validate`` runs before the page has a place
    (without ``PLACE_FIELDS``), then ``add_child`` saves it with Wagtail's draft validation,
    which makes the slug free among the siblings.
    """
    if not fast_paths():
        validate(page, PLACE_FIELDS)
        parent.add_child(instance=page)
        return page
    with transaction.atomic(savepoint=False):  # the caller's transaction, or one of its own
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
        # In memory too, as add_child does: get_children() takes a parent counted as a leaf
        # to have no children, without asking.
        parent.numchild += 1
        page.depth = parent.depth + 1
        (page.path,) = child_paths(parent, 1)
        remember_parent(page, parent)
        # A new page under a parent is no site's root: its saves need not ask the sites table.
        mark_not_site_root(page)
        validate(page, ())
        page.save(clean=False)
    return page


def add_children(parent, pages):
    """Add the unsaved ``pages`` (all of one type, with their slugs) as the last children of
    ``parent``, in order.

    Slow path: ``add_child`` for each page, whose ``save()`` does all it does. Fast path: each
    table of the pages (``wagtailcore_page``, then the specific type's) is written with one
    INSERT per batch, as ``bulk_create`` does for a single table. Only what Wagtail and
    treebeard set when a page is first saved is filled in: the tree position (materialised
    path, depth, the parent's ``numchild``), ``url_path``, ``draft_title`` and ``locale``.
    Nothing else runs: no ``save()``, no validation, no signals, no revision, no log entry. So
    the caller writes whatever the type's ``save()`` adds (see
    ``disclosure_pages.demo.bulk_items``), and must be the only writer under ``parent``: the
    paths are counted on from its last child as it is now.
    """
    if not pages:
        return pages
    if not fast_paths():
        for page in pages:
            parent.add_child(instance=page)
        return pages
    model = type(pages[0])
    using = router.db_for_write(model)
    if not connections[using].features.can_return_rows_from_bulk_insert:
        # The specific type's rows need the new pages' ids (SQLite ≥ 3.35 and PostgreSQL return them).
        raise NotSupportedError("add_children needs a database that returns the ids of a bulk INSERT.")
    depth = parent.depth + 1
    for page, path in zip(pages, child_paths(parent, len(pages)), strict=True):
        page.depth, page.path, page.numchild = depth, path, 0
        page.set_url_path(parent)
        page.draft_title = page.draft_title or page.title
        if page.locale_id is None:
            page.locale_id = parent.locale_id

    # Django's bulk_create refuses multi-table models because it cannot in general get the
    # parent rows' new keys back; with RETURNING it can, so the tables are written in turn,
    # root first, as Model.save() writes them for one row.
    root, *children = [*reversed(model._meta.get_parent_list()), model]
    with transaction.atomic(using=using):
        ids = insert_rows(root, pages, using)
        for page, (pk,) in zip(pages, ids, strict=True):
            setattr(page, root._meta.pk.attname, pk)
            for table in children:
                for parent_model, link in table._meta.parents.items():
                    setattr(page, link.attname, getattr(page, parent_model._meta.pk.attname))
        # A page may point at another of ``pages`` (e.g. an earlier stage of the same matter)
        # that had no id when it was assigned: it takes the id now, as save() would.
        take_related_ids(pages)
        for table in children:
            insert_rows(table, pages, using)
        Page.objects.using(using).filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    parent.numchild += len(pages)
    for page in pages:
        page._state.adding = False
        page._state.db = using
    return pages
