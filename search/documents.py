"""The search document of a disclosure item: the same fields for every engine."""

from wagtail.models import Locale, Page

from chinese.analysis import analyse
from disclosure_pages.choices import Takedown
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from disclosure_pages.tree import paths_above
from disclosure_pages.visibility import PUBLIC, audience_keys_for

from . import schema

# Longer bodies are cut for the index (PostgreSQL positions end at 16,383; snippets need less).
MAX_TEXT = 20_000


def indexable_item(page):
    """The disclosure item ``page`` is, if it belongs in the search index, else None.

    Live items are indexed, withdrawn ones too (they stay findable, marked); drafts and
    removed items are not.
    """
    page = page.specific if type(page) is Page else page
    if not isinstance(page, DisclosureItemPage) or not page.live or page.takedown == Takedown.REMOVED:
        return None
    return page


def plain_text(page):
    """Summary, document number and body of ``page`` as plain text, paragraph per line."""
    parts = [page.summary, page.document_number, page.body_text]
    return "\n".join(part.strip() for part in parts if part and part.strip())[:MAX_TEXT]


def build_documents(pages):
    """Search documents of indexable items, reading their units, entries and restrictions in bulk."""
    unit_ids = {page.unit_id for page in pages if page.unit_id}
    units = UnitPage.objects.in_bulk(unit_ids) if unit_ids else {}
    entry_ids = {page.catalogue_entry_id for page in pages if page.catalogue_entry_id}
    entries = CatalogueEntry.objects.select_related("area").in_bulk(entry_ids) if entry_ids else {}
    locales = Locale.objects.in_bulk()
    audiences = audience_keys_for(pages)
    return [
        _document(page, units.get(page.unit_id) or page.get_parent().specific, entries.get(page.catalogue_entry_id),
                  locales[page.locale_id], audiences[page.pk])
        for page in pages
    ]


def _document(page, unit, entry, locale, audience):
    """The item's document: the schema's fields, derived here or read from the page's attribute of that name."""
    title, text = page.title, plain_text(page)
    analysed_title, analysed_text = analyse(title), analyse(text)
    date = page.publish_date or (page.first_published_at.date() if page.first_published_at else None)
    derived = {
        "page_id": page.pk,
        "locale": locale.language_code,
        "public": PUBLIC in audience,
        "text": text,
        "url": page.get_url() or "",
        "unit_code": unit.code,
        "unit_name": unit.display_name,
        "unit_path": unit.path,
        "unit_paths": paths_above(unit.path),
        "area_key": str(entry.area.translation_key) if entry else None,
        "entry_key": str(entry.translation_key) if entry else None,
        "publish_date": date,
        "year": date.year if date else None,
        "withdrawn": page.takedown == Takedown.WITHDRAWN,
        "audience": audience,
        "title_terms": analysed_title.bigrams,
        "body_terms": analysed_text.bigrams,
        "title_chars": analysed_title.chars,
        "body_chars": analysed_text.chars,
    }
    fields = schema.SCHEMA.fields
    return schema.SCHEMA.document_class(
        **{field.name: derived[field.name] if field.name in derived else getattr(page, field.name) for field in fields}
    )
