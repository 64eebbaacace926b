"""A source's segment bookkeeping in bulk, on wagtail-localize's own models.

``TranslationSource.refresh_segments`` stores each extracted segment with its own
``get_or_create`` calls (string, context, segment): about four queries a segment, 370 for
a 3,000-character item. ``refresh_segments`` here keeps exactly the same rows — the same
strings, contexts, templates and segments, found by the same hashes and keys, stale
segments deleted — with a few queries in all, and writes only what an edit changed (the
sync calls it only when the source's content changed, or to rebuild a variant). The target
locale's string translations and segment overrides are read with one query each, so that
a variant can be built from the segments in memory.
"""

import copy
import json
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from wagtail.fields import StreamField
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    SegmentOverride,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslatableObject,
    TranslationContext,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.strings import StringValue

from .localize_compat import context_path_id, string_data_hash, template_uuid


@dataclass
class Segment:
    """An extracted segment with the ids of the rows that store it."""

    value: object
    context_id: int
    string_id: int | None = None  # string segments only


def content_json(instance):
    """The instance serialised as wagtail-localize serialises a source (``TranslationSource.content_json``)."""
    if isinstance(instance, ClusterableModel):
        return instance.to_json()
    return json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)


def same_content(model, first, second):
    """Whether two serialisations of a ``model`` instance hold the same content. As
    wagtail-localize does, the parsed JSON is compared (key order may differ); a StreamField
    is serialised as a JSON text of its own, whose key order depends on where the value
    came from (PostgreSQL's jsonb orders keys), so it is compared parsed as well."""
    if first == second:
        return True
    first, second = json.loads(first), json.loads(second)
    for field in model._meta.concrete_fields:
        if isinstance(field, StreamField):
            for data in (first, second):
                if isinstance(data.get(field.name), str):
                    try:
                        data[field.name] = json.loads(data[field.name])
                    except ValueError:
                        pass  # not JSON (legacy raw text): compared as text
    return first == second


def update_source(instance, source, content):
    """Create or update ``instance``'s TranslationSource with ``content`` (as
    ``TranslationSource.update_or_create_from_instance`` does, without refreshing segments)."""
    fields = {
        "object_repr": str(instance)[:200],
        "content_json": content,
        "schema_version": get_schema_version(instance._meta.app_label),
        "last_updated_at": timezone.now(),
    }
    if source is not None:
        for name, value in fields.items():
            setattr(source, name, value)
        source.save(update_fields=list(fields))
        return source
    translatable_object, _ = TranslatableObject.objects.get_or_create_from_instance(instance)
    return TranslationSource.objects.create(
        object=translatable_object,
        locale_id=instance.locale_id,
        specific_content_type=ContentType.objects.get_for_model(type(instance)),
        **fields,
    )


def _rows_by_key(model, key, wanted, only=(), **scope):
    """``{key value: row}`` for every key in ``wanted`` (``{key value: field values}``),
    creating the missing rows: one query when all exist, three otherwise. Concurrent
    creators are harmless: conflicts are ignored and the rows read back. Rows are read
    with their primary key, ``key`` and the fields in ``only``."""
    lookup = f"{key}__in"
    rows = model.objects.filter(**scope).only(key, *only)
    found = {getattr(row, key): row for row in rows.filter(**{lookup: list(wanted)})}
    missing = [value for value in wanted if value not in found]
    if missing:
        model.objects.bulk_create([model(**scope, **wanted[value]) for value in missing], ignore_conflicts=True)
        found.update((getattr(row, key), row) for row in rows.filter(**{lookup: missing}))
    return found


# The fields that identify each kind of segment (what refresh_segments passes to get_or_create),
# and what is read with them: the keys of the rows they point to.
SEGMENT_FIELDS = {
    StringSegment: ("string_id", "attrs"),
    TemplateSegment: ("template_id",),
    RelatedObjectSegment: ("object_id",),
    OverridableSegment: ("data_json",),
}
POINTED_KEYS = {
    StringSegment: ("string__data_hash", "string__data"),
    TemplateSegment: ("template__uuid", "template__template", "template__template_format", "template__string_count"),
    RelatedObjectSegment: ("object__content_type",),
}


def unchanged_blocks(model, content, previous):
    """``{StreamField name: ids of its blocks}`` that the source's previous content (JSON)
    holds exactly as its new content does. A block's segments depend only on its value (and
    the block definitions, which change with a migration: see ``refresh_segments``), so
    those already stored for such a block are what extracting it again would give."""
    if not previous:
        return {}
    content, previous = json.loads(content), json.loads(previous)
    unchanged = {}
    for field in model._meta.concrete_fields:
        if not isinstance(field, StreamField):
            continue
        blocks, old_blocks = _blocks(content.get(field.name)), _blocks(previous.get(field.name))
        old_by_id = {block.get("id"): block for block in old_blocks if isinstance(block, dict) and block.get("id")}
        same = {block["id"] for block in blocks if isinstance(block, dict) and block.get("id")
                and old_by_id.get(block["id"]) == block}
        if same:
            unchanged[field.name] = same
    return unchanged


def _blocks(value):
    """A StreamField's blocks from serialised content (a JSON text, or the list itself)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


def refresh_segments(source, instance, unchanged=None):
    """Store the segments of ``instance`` (whose content ``source`` holds) as
    ``source.refresh_segments()`` would, and return them as ``Segment``s, in order.

    The source's stored segments are read first (one query a kind), with the context path,
    string and template each points to: after an edit most are still wanted, so only the
    contexts, strings and templates of new segments are looked up (or created). The blocks
    in ``unchanged`` (see ``unchanged_blocks``; only while the app's schema version is the
    one the segments were stored with) are not extracted again: their stored segments are
    used, in the order extract_segments gives.
    """
    stored = _stored_rows(source)
    values = _extract(instance, unchanged, stored) if unchanged else extract_segments(instance)
    context_of, string_of, template_of = {}, {}, {}
    for model, rows in stored.items():
        for row in rows:
            if row["context__field_path"]:  # an empty one is filled below, as refresh_segments does
                context_of[row["context__path"]] = row["context_id"]
            if model is StringSegment:
                string_of[row["string__data_hash"]] = row["string_id"]
            elif model is TemplateSegment:
                template_of[row["template__uuid"]] = row["template_id"]

    paths = {value.path for value in values if value.path not in context_of}
    if paths:
        contexts = _rows_by_key(
            TranslationContext,
            "path_id",
            {context_path_id(path): {"path": path, "path_id": context_path_id(path)} for path in paths},
            only=("object_id", "path", "field_path"),
            object_id=source.object_id,
        )
        for context in contexts.values():
            context.get_field_path(instance)  # fills (and saves) the field path of new contexts
            context_of[context.path] = context.pk
    hashes = {value.string.data: string_data_hash(value.string.data)
              for value in values if isinstance(value, StringSegmentValue)}
    new_strings = {data_hash: {"data": data, "data_hash": data_hash}
                   for data, data_hash in hashes.items() if data_hash not in string_of}
    if new_strings:
        string_of.update((key, row.pk) for key, row in _rows_by_key(String, "data_hash", new_strings,
                                                                    locale_id=source.locale_id).items())
    template_uuids = {id(value): template_uuid(value.format, value.template) for value in values if isinstance(value, TemplateSegmentValue)}
    new_templates = {
        template_uuids[id(value)]: {"uuid": template_uuids[id(value)], "template": value.template,
                                    "template_format": value.format, "string_count": value.string_count}
        for value in values if id(value) in template_uuids and template_uuids[id(value)] not in template_of
    }
    if new_templates:
        template_of.update((key, row.pk) for key, row in _rows_by_key(Template, "uuid", new_templates).items())
    # A related object's TranslatableObject has its translation key as primary key.
    related = {value.translation_key: value.content_type for value in values if isinstance(value, RelatedObjectSegmentValue)}
    new_objects = {key: {"translation_key": key, "content_type": content_type}
                   for key, content_type in related.items()
                   if key not in {row["object_id"] for row in stored[RelatedObjectSegment]}}
    if new_objects:
        _rows_by_key(TranslatableObject, "translation_key", new_objects)

    segments, wanted = [], {model: {} for model in SEGMENT_FIELDS}
    for value in values:
        context_id = context_of[value.path]
        if isinstance(value, TemplateSegmentValue):
            model, fields = TemplateSegment, {"template_id": template_of[template_uuids[id(value)]]}
        elif isinstance(value, RelatedObjectSegmentValue):
            model, fields = RelatedObjectSegment, {"object_id": value.translation_key}
        elif isinstance(value, OverridableSegmentValue):
            model, fields = OverridableSegment, {"data_json": json.dumps(value.data, cls=DjangoJSONEncoder)}
        else:
            model, fields = StringSegment, {"string_id": string_of[hashes[value.string.data]],
                                            "attrs": json.dumps(value.attrs, cls=DjangoJSONEncoder) if value.attrs else "null"}
        fields.update(context_id=context_id, order=value.order)
        wanted[model][_segment_key(model, fields)] = fields
        segments.append(Segment(value, context_id, fields.get("string_id")))

    for model, by_key in wanted.items():
        stale = [row["id"] for row in stored[model] if by_key.pop(_segment_key(model, row), None) is None]
        if stale:
            model.objects.filter(id__in=stale).delete()
        if by_key:
            model.objects.bulk_create([model(source=source, **fields) for fields in by_key.values()])
    return segments


def _stored_rows(source):
    """``{segment model: rows}`` of the segments stored for ``source``, with the context path,
    string and template each points to: one query a kind."""
    return {
        model: list(
            model.objects.filter(source=source).values("id", "order", "context_id", "context__path",
                                                        "context__field_path", *fields, *POINTED_KEYS.get(model, ()))
        )
        for model, fields in SEGMENT_FIELDS.items()
    }


def stored_segments(source):
    """The segments stored for ``source`` as ``Segment``s, in order (what ``refresh_segments``
    returned when it stored them)."""
    rows = sorted(((row["order"], model, row) for model, rows in _stored_rows(source).items() for row in rows),
                  key=lambda entry: entry[0])
    return [Segment(_stored_value(model, row).with_order(order), row["context_id"], row.get("string_id"))
            for order, model, row in rows]


def _extract(instance, unchanged, stored):
    """What ``extract_segments(instance)`` returns, extracting only the blocks not in
    ``unchanged`` and taking the others' segments from the ``stored`` rows.

    extract_segments numbers the segments in the order of the translatable fields, a
    StreamField's in the order of its blocks, each block's together: the same order is
    rebuilt from the extracted and the stored groups, and numbered again.
    """
    reduced = copy.copy(instance)
    positions = {}
    for name, ids in unchanged.items():
        field = instance._meta.get_field(name)
        blocks = field.get_prep_value(field.value_from_object(instance))
        positions[name] = {block["id"]: index for index, block in enumerate(blocks)}
        setattr(reduced, field.attname, field.to_python([block for block in blocks if block["id"] not in ids]))
    field_index = {field.field_name: index for index, field in enumerate(get_translatable_fields(type(instance)))}

    def group(path):
        name, _, rest = path.partition(".")
        block = positions[name][rest.split(".", 1)[0]] if name in positions else -1
        return field_index[name], block

    groups = defaultdict(list)
    for value in extract_segments(reduced):
        groups[group(value.path)].append(value)
    reused = defaultdict(list)
    for model, rows in stored.items():
        for row in rows:
            name, _, rest = row["context__path"].partition(".")
            if rest.split(".", 1)[0] in unchanged.get(name, ()):
                reused[group(row["context__path"])].append((row["order"], _stored_value(model, row)))
    for key, values in reused.items():
        groups[key] = [value for _, value in sorted(values, key=lambda item: item[0])]
    ordered = [value for key in sorted(groups) for value in groups[key]]
    return [value.with_order(number) for number, value in enumerate(ordered, 1)]


def _stored_value(model, row):
    """The segment value a stored segment row was made from."""
    path = row["context__path"]
    if model is StringSegment:
        return StringSegmentValue(path, StringValue(row["string__data"]), attrs=json.loads(row["attrs"]))
    if model is TemplateSegment:
        return TemplateSegmentValue(path, row["template__template_format"], row["template__template"],
                                    row["template__string_count"])
    if model is RelatedObjectSegment:
        return RelatedObjectSegmentValue(path, ContentType.objects.get_for_id(row["object__content_type"]), row["object_id"])
    return OverridableSegmentValue(path, json.loads(row["data_json"]))


def _segment_key(model, fields):
    return (fields["context_id"], fields["order"], *(fields[name] for name in SEGMENT_FIELDS[model]))


def string_translations(segments, locale):
    """``{(string id, context id): (data, has_error)}`` of ``locale``: one query."""
    pairs = {(s.string_id, s.context_id) for s in segments if s.string_id is not None}
    if not pairs:
        return {}
    rows = StringTranslation.objects.filter(
        locale=locale,
        translation_of_id__in={string_id for string_id, _ in pairs},
        context_id__in={context_id for _, context_id in pairs},
    ).values_list("translation_of_id", "context_id", "data", "has_error")
    return {(string_id, context_id): (data, has_error) for string_id, context_id, data, has_error in rows
            if (string_id, context_id) in pairs}


def segment_overrides(segments, locale):
    """``{context id: data}`` of the overridable segments an editor overrode for ``locale``
    (without errors, as ``annotate_override_json`` reads them): one query, if any."""
    context_ids = {s.context_id for s in segments if isinstance(s.value, OverridableSegmentValue)}
    if not context_ids:
        return {}
    rows = SegmentOverride.objects.filter(locale=locale, context_id__in=context_ids, has_error=False)
    return {context_id: json.loads(data) for context_id, data in rows.values_list("context_id", "data_json")}


def translated_segments(segments, translations, overrides, translated_objects):
    """The segment values to ingest into the variant, as ``TranslationSource.create_or_update_translation``
    reads them back with ``fallback=True``: a string without a usable translation keeps its source
    text, a related object without a variant is left as it is, an overridable segment is
    ingested only when overridden."""
    result = []
    for segment in segments:
        value = segment.value
        if isinstance(value, StringSegmentValue):
            data, has_error = translations.get((segment.string_id, segment.context_id), (None, False))
            string = StringValue(data) if data is not None and not has_error else value.string
            # attrs are copied: ingestion rewrites overridden hrefs in them in place.
            attrs = json.loads(json.dumps(value.attrs, cls=DjangoJSONEncoder)) if value.attrs else None
            result.append(StringSegmentValue(value.path, string, attrs=attrs, order=value.order))
        elif isinstance(value, TemplateSegmentValue):
            result.append(value.clone())
        elif isinstance(value, RelatedObjectSegmentValue):
            if value.translation_key in translated_objects:
                result.append(value.clone())
        elif segment.context_id in overrides:
            result.append(OverridableSegmentValue(value.path, overrides[segment.context_id], order=value.order))
    return result
