"""What tells the search index that a page changed (see search.updates)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from disclosure_pages.changes import item_changes
from disclosure_pages.models import DisclosureItemPage, UnitPage

from .updates import record, record_item_changes


def _with_descendants(page):
    return Page.objects.descendant_of(page, inclusive=True).values_list("pk", flat=True)


def page_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    # A unit's name is part of its items' documents.
    record(_with_descendants(instance) if isinstance(instance, UnitPage) else [instance.pk])


def page_deleted(sender, instance, **kwargs):
    record([instance.pk])


def page_moved(sender, instance, **kwargs):
    record(_with_descendants(instance))


def restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    record(_with_descendants(instance.page))


def restriction_groups_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, PageViewRestriction):
        record(_with_descendants(instance.page))


def connect():
    _connect_page_model(Page)
    item_changes.connect(record_item_changes, dispatch_uid="search_item_changes")
    post_page_move.connect(page_moved, dispatch_uid="search_page_moved")
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
    m2m_changed.connect(
        restriction_groups_changed, sender=PageViewRestriction.groups.through, dispatch_uid="search_restriction_groups"
    )


def _connect_page_model(model):
    if issubclass(model, DisclosureItemPage):
        return  # items: by the change feed
    post_save.connect(page_saved, sender=model, dispatch_uid=f"search_page_saved_{model._meta.label}")
    post_delete.connect(page_deleted, sender=model, dispatch_uid=f"search_page_deleted_{model._meta.label}")
    for subclass in model.__subclasses__():
        _connect_page_model(subclass)
