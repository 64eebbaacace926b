"""Variants follow their source: published with it, unpublished with it, deleted with it.

Items are followed through the domain's change feed (``disclosure_pages.changes``); other
pages through Wagtail's publishing signals.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from disclosure_pages.changes import ChangeKind, item_changes
from disclosure_pages.models import DisclosureItemPage

from .sync import is_variant, sync_variant, unpublish_variants, variants_of


@receiver(item_changes, dispatch_uid="script_variants_item_changes")
def follow_item(sender, changes, pages, **kwargs):
    for change in changes:
        if change.after is None or not change.kinds & {ChangeKind.REVISED, ChangeKind.UNPUBLISHED}:
            continue
        page = pages.get(change.page_id) or DisclosureItemPage.objects.get(pk=change.page_id)
        # A variant's own publish (the sync's, or an editor's) is not sent back to its source.
        if is_variant(page):
            continue
        if ChangeKind.REVISED in change.kinds:
            sync_variant(page)
        else:
            unpublish_variants(page)


@receiver(page_published)
def publish_variant(sender, instance, revision=None, **kwargs):
    if issubclass(sender, DisclosureItemPage) or instance.locale_id is None or is_variant(instance):
        return
    sync_variant(instance.specific)


@receiver(page_unpublished)
def unpublish_variant(sender, instance, **kwargs):
    if not issubclass(sender, DisclosureItemPage) and not is_variant(instance):
        unpublish_variants(instance)


@receiver(post_delete, sender=Page)
def delete_variants(sender, instance, **kwargs):
    """A deleted source takes its variants with it (a variant deleted alone leaves the source).

    After the deletion, for items too: their feed says it before the rows go."""
    for variant in variants_of(instance):
        variant.delete()
