"""Variants follow their source: published with it, unpublished with it."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .sync import is_variant, sync_variant, unpublish_variants, variants_of


@receiver(page_published)
def publish_variant(sender, instance, revision=None, **kwargs):
    # A variant being published by the sync itself must not sync back to its source (the
    # sync marks the page it publishes; any other variant is found by its Translation).
    if instance.locale_id is None or getattr(instance, "published_by_variant_sync", False) or is_variant(instance):
        return
    sync_variant(instance.specific)


@receiver(page_unpublished)
def unpublish_variant(sender, instance, **kwargs):
    if not is_variant(instance):
        unpublish_variants(instance)


@receiver(post_delete, sender=Page)
def delete_variants(sender, instance, **kwargs):
    """A deleted source takes its variants with it (a variant deleted alone leaves the source)."""
    for variant in variants_of(instance):
        variant.delete()
