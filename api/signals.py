"""What the API learns from the domain's change feed and Wagtail's signals (the domain never calls the API).

- The content version goes up whenever anything the API shows may have changed, so ETags
  and cached responses turn over (``api.caching``): items by the feed
  (``disclosure_pages.changes``), every other model by its saves and deletions.
- Tombstones are written when the feed says a live item left an audience: deleted,
  unpublished, removed (撤除), or its scope narrowed; ``updated_since`` syncs hand them out,
  each only to readers of the audience that could read the item just before
  (``Tombstone.audience``).
- The images a page's live version shows are recorded on each full save, as the domain
  records attachments, so the images endpoint lists only images of pages a reader may view.
"""

from datetime import timedelta

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction, Site

from disclosure_pages.changes import item_changes
from disclosure_pages.choices import Scope, Takedown
from disclosure_pages.models import (
    Catalogue,
    CatalogueArea,
    CatalogueEntry,
    DisclosureItemPage,
    ItemChangeNote,
    PortalSettings,
    PublishedAttachment,
)
from disclosure_pages.visibility import PUBLIC

from .conf import app_settings
from .models import ContentVersion, PublishedImage, Tombstone, person_key

def shown_models():
    """Models whose rows a response may show, but items, whose changes the feed says; a
    draft saved on a page counts too, which costs only a cache turnover."""
    from wagtail.models import get_page_models

    return [
        *(model for model in get_page_models() if not issubclass(model, DisclosureItemPage)),
        PageViewRestriction,
        Catalogue,
        CatalogueArea,
        CatalogueEntry,
        ItemChangeNote,
        PublishedAttachment,
        PublishedImage,
        get_document_model(),
        get_image_model(),
        Site,
        Locale,
        PortalSettings,
    ]


# -- the content version ------------------------------------------------------------------


def content_changed(sender, **kwargs):
    ContentVersion.bump()


def connect():
    """Called once the apps are ready. Connected model by model: a receiver for every model
    would cost every bulk delete in the project Django's fast path."""
    for model in shown_models():
        post_save.connect(content_changed, sender=model, dispatch_uid=f"api-version-save-{model._meta.label}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"api-version-delete-{model._meta.label}")
    for model in get_page_models_with_bodies():
        post_save.connect(record_published_images, sender=model, dispatch_uid=f"api-images-{model._meta.label}")


@receiver(m2m_changed, sender=PageViewRestriction.groups.through)
def audience_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        ContentVersion.bump()


# -- what the domain's change feed says ----------------------------------------------------


@receiver(item_changes, dispatch_uid="api-item-changes")
def items_changed(sender, changes, **kwargs):
    """Every item change turns the version over; one that takes a live item from readers
    leaves a tombstone for them."""
    ContentVersion.bump()
    buried = [(change, reason) for change in changes if (reason := tombstone_reason(change))]
    if not buried:
        return
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    for change, reason in buried:
        before = change.before
        audience = [*before.audience, *(person_key(pk) for pk in before.people)]
        _bury(change.page_id, change.translation_key, languages.get(change.locale_id, ""), reason, audience)


def tombstone_reason(change):
    """Why the readers who had the item must drop it, or None when none must."""
    before, after = change.before, change.after
    if before is None or not before.live or before.takedown == Takedown.REMOVED:
        return None  # nobody had it
    if after is None:
        return Tombstone.DELETED
    if not after.live:
        return Tombstone.UNPUBLISHED
    if after.takedown == Takedown.REMOVED:
        return Tombstone.REMOVED
    if after.scope != before.scope and after.scope != Scope.PUBLIC:
        return Tombstone.RESTRICTED
    return None


def _bury(page_id, translation_key, language_code, reason, audience):
    """Record that readers holding one of the ``audience`` keys must drop the page."""
    now = timezone.now()
    Tombstone.objects.filter(at__lt=now - timedelta(days=app_settings.SUNSHINE_API_TOMBSTONE_DAYS)).delete()
    Tombstone.objects.update_or_create(
        page_id=page_id,
        defaults={
            "translation_key": translation_key,
            "language_code": language_code,
            "reason": reason,
            "was_public": PUBLIC in audience,
            "audience": Tombstone.audience_text(audience),
            "at": now,
        },
    )


# -- images of live pages -----------------------------------------------------------------


def _body_fields(model):
    return [field for field in model._meta.get_fields() if isinstance(field, (StreamField, RichTextField))]


def get_page_models_with_bodies():
    from wagtail.models import get_page_models

    return [model for model in get_page_models() if _body_fields(model)]


def record_published_images(sender, instance, raw=False, update_fields=None, **kwargs):
    """A full save of a page is its live content (publishing, creating, unpublishing)."""
    if raw or update_fields is not None:
        return
    fields = _body_fields(sender)
    PublishedImage.objects.filter(page_id=instance.pk).delete()
    if not instance.live:
        return
    Image = get_image_model()
    referenced = {
        str(object_id)
        for field in fields
        for model, object_id, _, _ in field.extract_references(getattr(instance, field.attname))
        if issubclass(model, Image)
    }
    image_ids = Image.objects.filter(pk__in=[pk for pk in referenced if pk.isdigit()]).values_list("pk", flat=True)
    PublishedImage.objects.bulk_create([PublishedImage(page_id=instance.pk, image_id=pk) for pk in image_ids], ignore_conflicts=True)
