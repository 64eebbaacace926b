"""The search document of a disclosure item: the same fields for every engine."""

import datetime
from dataclasses import asdict, dataclass

from django.utils.html import strip_tags
from wagtail.models import Locale, Page

from chinese.analysis import analyse
from disclosure_pages.choices import Takedown
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage, UnitPage
from disclosure_pages.visibility import PUBLIC, audience_keys_for

# Longer bodies are cut for the index (PostgreSQL positions end at 16,383; snippets need less).
MAX_TEXT = 20_000


@dataclass
class ItemDocument:
    page_id: int
    locale: str
    title: str
    text: str
    url: str
    unit_code: str
    unit_name: str
    unit_path: str
    unit_paths: list  # the paths of the item's unit and the pages above it, for engines without prefix queries
    area_key: str | None
    entry_key: str | None
    publish_date: datetime.date | None
    year: int | None
    stage: str
    importance: str
    scope: str
    validity: str
    expiry_date: datetime.date | None
    withdrawn: bool
    index_number: str
    document_number: str
    audience: list
    title_terms: str
    body_terms: str
    title_chars: str
    body_chars: str

    @property
    def public(self):
        return PUBLIC in self.audience

    def as_dict(self):
        return asdict(self)


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
    parts = [page.summary, page.document_number]
    parts += [strip_tags(str(value)) for value in page.body.stream_block.get_searchable_content(page.body)]
    return "\n".join(part.strip() for part in parts if part and part.strip())[:MAX_TEXT]


def build_document(page):
    """The ``ItemDocument`` of an indexable item (see ``indexable_item``)."""
    return build_documents([page])[0]


def build_documents(pages):
    """``ItemDocument``s of indexable items, reading their units, entries and restrictions in bulk."""
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
    title = page.title
    text = plain_text(page)
    analysed_title, analysed_text = analyse(title), analyse(text)
    date = page.publish_date or (page.first_published_at.date() if page.first_published_at else None)
    return ItemDocument(
        page_id=page.pk,
        locale=locale.language_code,
        title=title,
        text=text,
        url=page.get_url() or "",
        unit_code=unit.code,
        unit_name=unit.display_name,
        unit_path=unit.path,
        unit_paths=[unit.path[:end] for end in range(unit.steplen, len(unit.path) + 1, unit.steplen)],
        area_key=str(entry.area.translation_key) if entry else None,
        entry_key=str(entry.translation_key) if entry else None,
        publish_date=date,
        year=date.year if date else None,
        stage=page.stage,
        importance=page.importance,
        scope=page.scope,
        validity=page.validity,
        expiry_date=page.expiry_date,
        withdrawn=page.takedown == Takedown.WITHDRAWN,
        index_number=page.index_number,
        document_number=page.document_number,
        audience=audience,
        title_terms=analysed_title.bigrams,
        body_terms=analysed_text.bigrams,
        title_chars=analysed_title.chars,
        body_chars=analysed_text.chars,
    )
