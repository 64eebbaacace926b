"""The county's conversion phrases at work: read for each conversion, and re-converting on change.

Saving or deleting a ``ConversionOverride`` enqueues, once the change is committed, a background
task that converts again the machine-converted strings containing the phrase (the old one
too, when it was edited) and re-syncs the variants whose text changed.
"""

from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_tasks import task
from wagtail.models import Page
from wagtail_localize.models import String, StringSegment, TranslationSource

from .models import TO_SIMPLIFIED, TO_TRADITIONAL, ConversionOverride

CACHE_KEY = "script_variants:conversion-overrides"
SOURCE_LANGUAGE = {TO_TRADITIONAL: "zh-hans", TO_SIMPLIFIED: "zh-hant"}


def overrides_for(to_traditional):
    """The county's pairs for one direction (cached until one is saved or deleted)."""
    pairs = cache.get_or_set(
        CACHE_KEY, lambda: {direction: ConversionOverride.overrides(direction) for direction in SOURCE_LANGUAGE}, timeout=None
    )
    return pairs[TO_TRADITIONAL if to_traditional else TO_SIMPLIFIED]


@receiver(post_save, sender=ConversionOverride)
@receiver(post_delete, sender=ConversionOverride)
def reconvert_on_change(sender, instance, **kwargs):
    cache.delete(CACHE_KEY)
    phrases = {instance.source, *([instance.saved_source] if getattr(instance, "saved_source", None) else [])}
    transaction.on_commit(lambda: reconvert_phrases.enqueue(instance.direction, sorted(phrases)))


@task()
def reconvert_phrases(direction, phrases):
    """Convert again the strings of the sources containing ``phrases`` and re-sync the variants
    whose text changed; returns how many were re-synced."""
    from .machine_translator import refresh_machine_translations
    from .sync import sync_variant

    containing = Q()
    for phrase in phrases:
        containing |= Q(data__contains=phrase)
    strings = String.objects.filter(containing, locale__language_code=SOURCE_LANGUAGE[direction])
    changed = refresh_machine_translations(translation_of__in=strings)
    sources = TranslationSource.objects.filter(
        pk__in=StringSegment.objects.filter(string__in=changed).values("source")
    )
    synced = 0
    for source in sources:
        try:
            instance = source.get_source_instance()
        except ObjectDoesNotExist:  # deleted since: its variants went with it
            continue
        if isinstance(instance, Page):
            if not instance.live:
                continue
            instance = instance.specific
        sync_variant(instance)
        synced += 1
    return synced
