"""What the API learns from the domain's and Wagtail's signals (the domain never calls the API).

- The content version goes up whenever anything the API shows may have changed, so ETags
  and cached responses turn over (``api.caching``).
- Tombstones are written when a live item leaves an audience: deleted, unpublished,
  removed (撤除), or its scope narrowed; ``updated_since`` syncs hand them out, each only to
  readers of the audience that could read the item just before (``Tombstone.audience``).
- The images a page's live version shows are recorded on each full save, as the domain
  records attachments, so the images endpoint lists only images of pages a reader may view.
"""

from datetime import timedelta

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Locale, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished

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
from disclosure_pages.visibility import PUBLIC, audience_keys, audience_keys_for, group_key

from .conf import app_settings
from .models import ContentVersion, PublishedImage, Tombstone, person_key

def shown_models():
    """Models whose rows a response may show; a draft saved on a page counts too, which
    costs only a cache turnover."""
    from wagtail.models import get_page_models

    return [
        *get_page_models(),
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


# -- tombstones ---------------------------------------------------------------------------


def _states(translation_key):
    """``{pk: (live, scope, takedown, audience)}`` of the item's pages in every script, the
    audience being the keys of who may read the page now (``audience_keys``)."""
    pages = list(DisclosureItemPage.objects.filter(translation_key=translation_key).only(
        "pk", "path", "depth", "live", "scope", "takedown", "audience_group_id"
    ))
    audiences = audience_keys_for(pages)
    return {page.pk: (page.live, page.scope, page.takedown, _with_people(page, audiences[page.pk])) for page in pages}


def _audience(page):
    return _with_people(page, audience_keys(page))


def _with_people(page, keys):
    """The keys, with an item's own named-people group (deleted with the item) as its people."""
    if not page.audience_group_id or group_key(page.audience_group_id) not in keys:
        return keys
    people = Group.objects.filter(pk=page.audience_group_id).values_list("user", flat=True)
    return [key for key in keys if key != group_key(page.audience_group_id)] + [person_key(pk) for pk in people if pk]


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


@receiver(pre_save, sender=DisclosureItemPage)
def remember_audience(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a full save of a stored item (what publishing does), note who could read it
    and its variants: the scope follows to the variants within the same save."""
    if raw or update_fields is not None or instance.pk is None:
        return
    instance._api_states_before = _states(instance.translation_key)


@receiver(page_published, sender=DisclosureItemPage)
def bury_what_left(sender, instance, **kwargs):
    before = getattr(instance, "_api_states_before", None)
    if before is None:
        return
    del instance._api_states_before
    languages = dict(Locale.objects.values_list("pk", "language_code"))
    for page in DisclosureItemPage.objects.filter(pk__in=before).only("pk", "translation_key", "locale_id", "live", "scope", "takedown"):
        was_live, old_scope, old_takedown, audience = before[page.pk]
        if not was_live or old_takedown == Takedown.REMOVED:
            continue  # nobody had it
        if not page.live:
            reason = Tombstone.UNPUBLISHED
        elif page.takedown == Takedown.REMOVED:
            reason = Tombstone.REMOVED
        elif page.scope != old_scope and page.scope != Scope.PUBLIC:
            reason = Tombstone.RESTRICTED
        else:
            continue
        _bury(page.pk, page.translation_key, languages[page.locale_id], reason, audience)


@receiver(page_unpublished, sender=DisclosureItemPage)
def bury_unpublished(sender, instance, **kwargs):
    # Sent only when a live item was unpublished; its restriction is still in place. Wagtail
    # also sends it when deleting a page, unpublishing it in memory only (the row is still
    # live): then the deletion's tombstone says it.
    if DisclosureItemPage.objects.filter(pk=instance.pk, live=True).exists():
        return
    if instance.takedown == Takedown.REMOVED:
        return  # nobody had it
    _bury(instance.pk, instance.translation_key, instance.locale.language_code, Tombstone.UNPUBLISHED, _audience(instance))


@receiver(pre_delete, sender=DisclosureItemPage)
def bury_deleted(sender, instance, **kwargs):
    if not instance.live or instance.takedown == Takedown.REMOVED:
        return
    # Before any row goes (Django sends every pre_delete first): the restrictions still say who had it.
    language_code = Locale.objects.filter(pk=instance.locale_id).values_list("language_code", flat=True).first() or ""
    _bury(instance.pk, instance.translation_key, language_code, Tombstone.DELETED, _audience(instance))


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
