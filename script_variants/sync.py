"""Create, update, publish and unpublish the other-script variant of pages and snippets.

Built on wagtail-localize's public models (TranslationSource, Translation, StringSegment,
StringTranslation): the source's segments are converted by the OpenCC machine translator,
segments an editor has overridden in wagtail-localize's editor are kept, and the variant is
made with wagtail-localize's own segment ingestion.

A re-sync has to be cheap (a 3,000-character item in under 50 ms: bench/variants_bench.py),
so a page's variant is not saved through ``TranslationSource.create_or_update_translation``, which
stores the segments one query at a time, reads them back, saves the page, saves a revision
and then publishes it (three full saves of the page). Instead (see ``_sync_page``):

- the segments are stored in bulk, and only when the source's content changed
  (``segments.refresh_segments``: the same rows refresh_segments keeps); an unchanged
  source with its variant in step costs a few reads and writes nothing;
- string translations and segment overrides are read with one query each and the
  variant is built in memory from the extracted segments (``translated_segments``, the
  list ``create_or_update_translation`` would read back) with ``copy_synchronised_fields``
  and ``ingest_segments``;
- the page is saved once: one revision, published from the object it was saved from
  (``pages_compat.PublishRevisionFromPage``), whose full save validates it and writes the
  content; what that save would redo for a variant is skipped where it is provably redundant
  (see ``pages_compat.revision_to_publish`` and ``_variant_slug``; the item's save sends no
  scope back to its source, as the scope it was given is its stored one already).

Snippets (catalogues, entries) change rarely and are still saved by
``create_or_update_translation`` after the same bookkeeping. With
``SUNSHINE_FRAMEWORK_FAST_PATHS = False`` pages are too, after wagtail-localize's own
``update_or_create_from_instance`` (``_sync_with_public_api``): the parity tests compare both.

Strings are converted by the machine translator of ``WAGTAILLOCALIZE_MACHINE_TRANSLATOR`` (the
one the editor's button uses), OpenCC unless configured otherwise.
"""

import copy
import json
from collections import defaultdict

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.text import slugify
from modelcluster.fields import ParentalKey
from wagtail.coreutils import find_available_slug
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.machine_translators import get_machine_translator
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationLog,
    TranslationSource,
)
from wagtail_localize.segments import RelatedObjectSegmentValue, StringSegmentValue
from wagtail_localize.segments.ingest import ingest_segments

from disclosure_pages.models.behaviours import AudienceScopeMixin, IndexNumberMixin
from disclosure_pages.pages_compat import PublishRevisionFromPage, fast_paths, revision_to_publish

from . import segments as bookkeeping
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


@transaction.atomic
def sync_variant(instance, user=None):
    """Create or update ``instance``'s variant in the other script; publish it if the source is live.

    Parents (units above an item) and related snippets (catalogue entries) are synced first,
    because a variant links to their variants. Idempotent: with nothing changed since the
    last sync, nothing is written.
    """
    locales = _locales(instance)
    if locales is None:
        return None
    source_locale, target = locales
    existing = type(instance).objects.filter(translation_key=instance.translation_key, locale=target).first()
    if isinstance(instance, Page) and existing is None:
        # (A variant is made under its parent's variant, so an existing one has its parent.)
        parent = instance.get_parent().specific
        if parent.depth > 1 and not _translated_in(parent, target):
            sync_variant(parent, user=user)
    # Locked (on PostgreSQL) until the sync commits: two syncs of one source run one after the
    # other, so the content a sync compares with is the one its stored segments were made from.
    source = (
        TranslationSource.objects.select_for_update()
        .filter(object_id=instance.translation_key, locale_id=instance.locale_id)
        .annotate(translated=Exists(Translation.objects.filter(source=OuterRef("pk"), target_locale=target)))
        .first()
    )
    # The source is read from a working copy (see _working_copy), never the caller's page.
    original = _working_copy(instance) if isinstance(instance, Page) else instance
    content = bookkeeping.content_json(original)
    changed = source is None or not bookkeeping.same_content(type(instance), content, source.content_json)
    if not changed and existing is not None and _same_state(instance, existing) and not _untranslated(source, target):
        return existing  # idempotent: nothing changed since the last sync
    if not fast_paths():
        return _sync_with_public_api(instance, source_locale, target, user)
    previous, schema = (source.content_json, source.schema_version) if source is not None else (None, None)
    if changed:
        source = bookkeeping.update_source(instance, source, content)
    # Only the blocks an edit changed are extracted again, unless the app's schema (its
    # blocks' definitions) changed since the segments were stored. Unchanged content (a
    # variant out of step or missing) finds every row stored: reads only.
    unchanged = bookkeeping.unchanged_blocks(type(instance), content, previous) if source.schema_version == schema else {}
    segments = bookkeeping.refresh_segments(source, original, unchanged)
    translated_objects = _sync_related(segments, instance.locale_id, target, user)
    if not getattr(source, "translated", False):
        Translation.objects.get_or_create(source=source, target_locale=target, defaults={"enabled": True})
    translations = bookkeeping.string_translations(segments, target)
    translations.update(_fill_machine_translations(segments, translations, source_locale, target))
    if not isinstance(instance, Page) or (existing is not None and existing.alias_of_id):
        # Snippets, and a variant that is still an alias (wagtail-localize converts it).
        return _sync_with_wagtail_localize(instance, source, target, user)
    overrides = bookkeeping.segment_overrides(segments, target)
    ingested = bookkeeping.translated_segments(segments, translations, overrides, translated_objects)
    return _sync_page(instance, original, existing, source, source_locale, target, ingested, user)


def _sync_with_public_api(instance, source_locale, target, user):
    """The sync on wagtail-localize's public API only (``SUNSHINE_FRAMEWORK_FAST_PATHS = False``):
    its own source refresh, then the same related syncs and conversions, then its own build."""
    source, _ = TranslationSource.update_or_create_from_instance(instance)
    segments = bookkeeping.stored_segments(source)
    _sync_related(segments, instance.locale_id, target, user)
    Translation.objects.get_or_create(source=source, target_locale=target, defaults={"enabled": True})
    _fill_machine_translations(segments, bookkeeping.string_translations(segments, target), source_locale, target)
    return _sync_with_wagtail_localize(instance, source, target, user)


def machine_translator():
    """The translator of ``WAGTAILLOCALIZE_MACHINE_TRANSLATOR`` ({CLASS, OPTIONS}), OpenCC when none is set."""
    return get_machine_translator() or OpenCCTranslator({})


def _locales(instance):
    """``instance``'s locale and the other script's (created if missing), read in one query;
    None for a locale that is not Chinese."""
    found = Locale.objects.filter(Q(pk=instance.locale_id) | Q(language_code__in=list(OTHER_SCRIPT)))
    by_pk = {locale.pk: locale for locale in found}
    source_locale = by_pk[instance.locale_id]
    code = OTHER_SCRIPT.get(source_locale.language_code.lower())
    if code is None:
        return None
    target = next((locale for locale in by_pk.values() if locale.language_code == code), None)
    return source_locale, target or other_locale(source_locale)


def _untranslated(source, locale):
    """Whether a segment of ``source`` has no translation into ``locale`` yet (one query)."""
    return (
        StringSegment.objects.filter(source=source)
        .annotate_translation(locale, include_errors=True)
        .filter(translation__isnull=True)
        .exists()
    )


def _sync_related(segments, source_locale_id, target, user):
    """Give the snippets and pages the source refers to a variant first; returns the
    translation keys of those that have one."""
    translated = set()
    for segment in segments:
        value = segment.value
        if not isinstance(value, RelatedObjectSegmentValue) or value.translation_key in translated:
            continue
        model = value.content_type.model_class()
        in_target = model.objects.filter(translation_key=value.translation_key, locale=target)
        if not in_target.exists():
            related = model.objects.filter(translation_key=value.translation_key, locale_id=source_locale_id).first()
            if related is None:
                continue
            # An inline child (a catalogue's area) is translated with its parent, never alone.
            owner = _cluster_parent(related) or related
            sync_variant(owner.specific if isinstance(owner, Page) else owner, user=user)
            if owner is not related and not in_target.exists():
                continue
        translated.add(value.translation_key)
    return translated


def _fill_machine_translations(segments, translations, source_locale, target):
    """Convert every string that has no translation yet; editor overrides are never touched.
    Returns the new translations, as ``string_translations`` reads them."""
    missing = defaultdict(list)
    for segment in segments:
        pair = (segment.string_id, segment.context_id)
        if segment.string_id is not None and pair not in translations:
            missing[segment.value.string.data].append(pair)
    if not missing:
        return {}
    translator = machine_translator()
    values = {data: bookkeeping.StringValue(data) for data in missing}
    converted = translator.translate(source_locale, target, list(values.values()))
    StringTranslation.objects.bulk_create(
        [
            StringTranslation(
                translation_of_id=string_id,
                locale=target,
                context_id=context_id,
                data=converted[values[data]].data,
                translation_type=StringTranslation.TRANSLATION_TYPE_MACHINE,
                tool_name=translator.display_name,
            )
            for data, pairs in missing.items()
            for string_id, context_id in set(pairs)
        ],
        ignore_conflicts=True,
    )
    return {pair: (converted[values[data]].data, False) for data, pairs in missing.items() for pair in pairs}


def _sync_with_wagtail_localize(instance, source, target, user):
    if not isinstance(instance, Page):
        return source.create_or_update_translation(target, user=user, publish=True, fallback=True)[0]
    # Published here, not by wagtail-localize's on-commit callback: in the source's own step.
    variant, _ = source.create_or_update_translation(target, user=user, publish=False, fallback=True)
    if instance.live:
        variant.get_latest_revision().publish(user=user, log_action=True)
    return type(instance).objects.get(pk=variant.pk)


def _working_copy(instance):
    """A copy of the source page to serialise, extract and ingest from.

    Ingestion writes the translated blocks into the StreamField values of the object it
    reads (wagtail-localize reads a fresh copy, ``source.as_instance()``): the caller's page
    must keep its own text. The copy's blocks are all converted up front, so that it
    serialises the same however the caller's page was used before (a TableBlock adds its
    header choice to its value when first read): an unchanged page gives unchanged JSON.
    """
    original = copy.copy(instance)
    for field in instance._meta.concrete_fields:
        if isinstance(field, StreamField):
            prepared = json.dumps(field.get_prep_value(field.value_from_object(instance)), cls=DjangoJSONEncoder)
            value = field.to_python(json.loads(prepared))
            for _block in value:  # converts each block (and normalises its value)
                pass
            setattr(original, field.attname, value)
    return original


def _sync_page(instance, original, variant, source, source_locale, target, segments, user):
    """What ``create_or_update_translation`` and publishing the new revision do, with the
    segments already in memory and the page saved once (see the module's docstring)."""
    if variant is None:
        # Copied (as wagtail-localize copies it) with the slug it is going to keep, so that
        # the first save does not move it: wagtail-localize copies the source's slug, then
        # replaces it, which rewrites the URL path and leaves an automatic redirect from an
        # address that was never published.
        template = copy.copy(original)
        template.slug = original.slug if _keeps_source_slug(original) else (_first_slug(segments) or original.slug)
        variant = template.copy_for_translation(target, copy_parents=False)
    stored_slug = variant.slug
    copy_synchronised_fields(original, variant)
    ingest_segments(original, variant, source_locale, target, segments)
    # An item's variant keeps the slug it was made with, its source's: one URL in both scripts.
    variant.slug = stored_slug if _keeps_source_slug(original) else _variant_slug(variant, stored_slug)
    if not isinstance(variant, AudienceScopeMixin):
        # Items derive their view restriction from their scope on every full save (in the
        # same transaction as the live row); other pages copy their source's.
        source.sync_view_restrictions(instance, variant)
    if instance.live:
        revision = revision_to_publish(variant, user)
        PublishRevisionFromPage(revision, variant, user=user).execute()
    else:
        # A source that is not live leaves a draft, as create_or_update_translation(publish=False) does.
        variant.save()
        revision = variant.save_revision(user=user)
    TranslationLog.objects.create(source=source, locale=target, revision=revision)
    return variant


def _keeps_source_slug(page):
    """Items (anything with an index number) have one slug in both scripts: a new variant
    gets its source's (``2026-00001``, from the index number), and keeps it. A Chinese slug
    converted and slugified came out as ``2026`` from ``2026年…``."""
    return isinstance(page, IndexNumberMixin)


def _first_slug(segments):
    """The slug a new variant ends up with (see _variant_slug), from its translated slug or,
    when that is not ASCII, its translated title."""
    texts = {s.path: s.render_text() for s in segments if isinstance(s, StringSegmentValue) and s.path in ("slug", "title")}
    return slugify(texts.get("slug", "")) or slugify(
        texts.get("title", ""), allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True)
    )


def _variant_slug(variant, stored_slug):
    """The slug create_or_update_translation gives the variant, without its queries where
    the answer is known.

    wagtail-localize makes the translated slug valid among the siblings: Django's slugify
    (ASCII only) and find_available_slug. A slug that did not change is the variant's own
    already and is kept: the URL stays, and the save still checks it is unique. An empty one
    (from a Chinese slug) stays empty, as find_available_slug leaves it, and Wagtail's save
    makes it from the title; when that is the slug the variant has, it is kept (Wagtail
    would arrive at the same one: no sibling can have it, the save checks that).
    """
    slug = slugify(variant.slug)
    if not slug:
        from_title = slugify(variant.title, allow_unicode=getattr(settings, "WAGTAIL_ALLOW_UNICODE_SLUGS", True))
        return stored_slug if from_title and from_title == stored_slug else ""
    if slug == stored_slug:
        return slug
    return find_available_slug(variant.get_parent(), slug, ignore_page_id=variant.id)


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
