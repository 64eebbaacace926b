"""Create, update, publish and unpublish the other-script variant of pages and snippets.

Built on wagtail-localize's public models (TranslationSource, Translation and the string
translation memory): the source's segments are converted by the OpenCC machine translator,
segments an editor has overridden in wagtail-localize's editor are kept, and the variant is
saved through ``TranslationSource.create_or_update_translation``.
"""

from collections import defaultdict

from django.db import transaction
from modelcluster.fields import ParentalKey
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from .machine_translator import SIMPLIFIED, TRADITIONAL, OpenCCTranslator

OTHER_SCRIPT = {SIMPLIFIED: TRADITIONAL, TRADITIONAL: SIMPLIFIED}


def other_locale(locale):
    """The locale of the other script, created if missing; None for a non-Chinese locale."""
    code = OTHER_SCRIPT.get(locale.language_code.lower())
    if code is None:
        return None
    return Locale.objects.get_or_create(language_code=code)[0]


def is_variant(instance):
    """True when ``instance`` was made from a source in the other script (not written by hand)."""
    return Translation.objects.filter(
        source__object_id=instance.translation_key, target_locale_id=instance.locale_id
    ).exists()


def _translated_in(instance, locale):
    return type(instance).objects.filter(translation_key=instance.translation_key, locale=locale).exists()


def _cluster_parent(instance):
    """The translatable parent an inline child belongs to (through its ParentalKey), if any."""
    for field in instance._meta.fields:
        if isinstance(field, ParentalKey) and issubclass(field.related_model, TranslatableMixin):
            return getattr(instance, field.name)
    return None


def fill_machine_translations(translation, translator=None):
    """Convert every segment that has no translation yet; editor overrides are never touched."""
    translator = translator or OpenCCTranslator({})
    source = translation.source
    missing = defaultdict(list)
    existing = set(
        StringTranslation.objects.filter(locale=translation.target_locale, translation_of__segments__source=source)
        .values_list("translation_of_id", "context_id")
    )
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        if (segment.string_id, segment.context_id) not in existing:
            missing[segment.string.as_value()].append((segment.string_id, segment.context_id))
    if not missing:
        return 0
    converted = translator.translate(source.locale, translation.target_locale, list(missing))
    StringTranslation.objects.bulk_create(
        [
            StringTranslation(
                translation_of_id=string_id,
                locale=translation.target_locale,
                context_id=context_id,
                data=converted[value].data,
                translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
                tool_name=translator.display_name,
            )
            for value, places in missing.items()
            for string_id, context_id in places
        ],
        ignore_conflicts=True,
    )
    return len(missing)




@transaction.atomic
def sync_variant(instance, user=None):
    """Create or update ``instance``'s variant in the other script; publish it if the source is live.

    Parents (units above an item) and related snippets (catalogue entries) are synced first,
    because a variant links to their variants.
    """
    target = other_locale(instance.locale)
    if target is None:
        return None
    if isinstance(instance, Page):
        parent = instance.get_parent().specific
        if parent.depth > 1 and not _translated_in(parent, target):
            sync_variant(parent, user=user)
    previous = TranslationSource.objects.filter(object_id=instance.translation_key, locale=instance.locale).first()
    previous_content = previous.content_json if previous else None
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    for related in source.relatedobjectsegment_set.select_related("object"):
        related_instance = related.get_source_instance()
        if isinstance(related_instance, TranslatableMixin) and not _translated_in(related_instance, target):
            # An inline child (a catalogue's area) is translated with its parent, never alone.
            owner = _cluster_parent(related_instance) or related_instance
            sync_variant(owner.specific if isinstance(owner, Page) else owner, user=user)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=target, defaults={"enabled": True})
    converted = fill_machine_translations(translation)
    existing = type(instance).objects.filter(translation_key=instance.translation_key, locale=target).first()
    if existing is not None and not converted and source.content_json == previous_content and _same_state(instance, existing):
        return existing  # idempotent: nothing changed since the last sync
    if not isinstance(instance, Page):
        return source.create_or_update_translation(target, user=user, publish=True, fallback=True)[0]
    # Published here, not by wagtail-localize's on-commit callback: in the source's own step.
    variant, _ = source.create_or_update_translation(target, user=user, publish=False, fallback=True)
    if instance.live:
        variant.get_latest_revision().publish(user=user, log_action=True)
    return type(instance).objects.get(pk=variant.pk)


def _same_state(instance, variant):
    """A page's variant is live exactly when its source is (snippets have no live state)."""
    return not isinstance(instance, Page) or (variant.live == instance.live and not variant.has_unpublished_changes)


def variants_of(instance):
    """The variants made from ``instance`` in other scripts (not hand-written translations)."""
    made_for = Translation.objects.filter(source__object_id=instance.translation_key).exclude(
        target_locale_id=instance.locale_id
    ).values("target_locale")
    return type(instance).objects.filter(translation_key=instance.translation_key, locale__in=made_for)


def unpublish_variants(page, user=None):
    for variant in variants_of(page).live():
        variant.specific.unpublish(user=user, log_action=True)
