"""The search schema: every field of an item's search document, declared once.

From these declarations come the document (search.documents), the database engine's columns
(search.models), filters and facet counts (search.backends.database and .columns), the
Elasticsearch/OpenSearch mapping, filters and aggregations (search.backends.elasticsearch),
the facet parameters of the search form (search.forms) and the facet labels
(search.service). A new facet is one ``Field`` line with a ``Facet`` here, plus a migration
adding its column (nullable: SQLite then adds it in place and keeps the FTS5 triggers) and an
``update_index`` to fill it (tests/search/test_schema.py). The JSON API declares its query
parameters itself (api.search.SearchParams): a facet meant for API clients is one line there.
"""

import dataclasses
import datetime
from dataclasses import dataclass
from functools import cached_property, partial

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from disclosure_pages.choices import Scope, Stage, Validity
from disclosure_pages.models import CatalogueArea, CatalogueEntry

# -- kinds: how a field's values are kept ----------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A field's database column and engine mapping (None: not kept there), and the value types."""

    column: object  # a Django field class, or a partial of one
    mapping: dict | None
    python_type: type = str

    def to_engine(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value

    def to_column(self, value):
        return value

    def from_engine(self, value):
        """Dates come back as ISO text from the engines and SQLite's raw queries, flags as 0/1 from SQLite."""
        if self.python_type is datetime.date and isinstance(value, str):
            return datetime.date.fromisoformat(value[:10])
        if self.python_type is bool and value is not None:
            return bool(value)
        return value


class AudienceKind(Kind):
    """Audience keys: a keyword list in the engines, one padded text in the database (matched with LIKE)."""

    def to_column(self, keys):
        return " " + " ".join(keys) + " "


TERMS_ANALYZER = "sunshine_terms"


def keyword(max_length, **options):
    """Filtered and counted as a whole value."""
    return Kind(partial(models.CharField, max_length=max_length, **options), {"type": "keyword"})


def shown(max_length=None, **options):
    """Only shown with a hit: stored, not searched."""
    column = partial(models.CharField, max_length=max_length, **options) if max_length else partial(models.TextField, **options)
    return Kind(column, {"type": "keyword", "index": False})


def prose(**options):
    """Long text shown with a hit, not searched as it is (its analysed terms are)."""
    return Kind(partial(models.TextField, **options), {"type": "text", "index": False})


def number(column, engine_type, **options):
    """A whole number: the Django field class and the engine's type."""
    return Kind(partial(column, **options), {"type": engine_type}, int)


DATE = Kind(partial(models.DateField, null=True), {"type": "date"}, datetime.date)
FLAG = Kind(partial(models.BooleanField, default=False), {"type": "boolean"}, bool)
# Analysed text (chinese.analysis), split on whitespace only: indexed by FTS5 or tsvectors, BM25 in the engines.
TERMS = Kind(models.TextField, {"type": "text", "analyzer": TERMS_ANALYZER, "similarity": "BM25"})
AUDIENCE = AudienceKind(models.TextField, {"type": "keyword"}, list)
# Only the database keeps whether an item is public (the engines filter on the audience list).
PUBLIC_FLAG = Kind(models.BooleanField, None, bool)
# Only the engines keep every path above the unit (they have no prefix filter on keywords).
PATHS = Kind(None, {"type": "keyword"}, list)

# -- facets ----------------------------------------------------------------------------------

VALUES = "values"  # one value, or any of a tuple of them
SUBTREE = "subtree"  # a unit and everything below it; counted by child of the facet's root unit


@dataclass(frozen=True)
class Lapse:
    """A stored state that turns into another after a date: a valid item past its expiry date has expired.

    Searches filter and count the state as of the query's day; each engine translates this
    one rule (``current`` in Python, SQL, NumPy, an engine query).
    """

    date: str  # the field holding the date
    stored: str
    becomes: str

    def current(self, value, date, today):
        return self.becomes if value == self.stored and date and date < today else value


@dataclass(frozen=True)
class Facet:
    """A filter over one field, with its counts in the sidebar.

    Options are labelled by ``choices`` (in their order), by the names of ``named_by``'s rows
    with those translation keys (same-named rows are one option), by unit names (``SUBTREE``),
    or else are the values themselves, largest first.
    """

    name: str  # the query parameter and the facet's name
    label: str
    filter: str = VALUES
    choices: tuple = ()
    named_by: type | None = None
    members_only: bool = False  # shown and applied for signed-in users only
    lapse: Lapse | None = None
    paths: str | None = None  # SUBTREE: the field listing the paths above (engines without prefix filters)

    def label_of(self, value):
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Field:
    """One field of the search document; its value is the item page's attribute of that name
    unless search.documents derives it."""

    name: str
    kind: Kind
    facet: Facet | None = None

    def column(self):
        return self.kind.column()

    def values_of(self, selected):
        """A filter's accepted values, typed as this field's: one, or each of a tuple."""
        values = selected if isinstance(selected, (tuple, list, set, frozenset)) else (selected,)
        return tuple(self.kind.python_type(value) for value in values)


# -- the schema ------------------------------------------------------------------------------


class Schema:
    """The fields of the search document, in order; the facets in the order the sidebar shows them."""

    def __init__(self, fields):
        self.fields = tuple(fields)
        self.by_name = {field.name: field for field in self.fields}
        self.facet_fields = tuple(field for field in self.fields if field.facet)
        self.facets = tuple(field.facet for field in self.facet_fields)

    def facet(self, name):
        return next(facet for facet in self.facets if facet.name == name)

    def field_of(self, facet_name):
        return next(field for field in self.facet_fields if field.facet.name == facet_name)

    def facet_columns(self):
        """The fields a facet count reads: each facet's, then the dates of the lapse rules."""
        return [field.name for field in self.facet_fields] + [facet.lapse.date for facet in self.facets if facet.lapse]

    @cached_property
    def document_class(self):
        document = dataclasses.make_dataclass("ItemDocument", [(field.name, field.kind.python_type) for field in self.fields])
        document.__module__ = __name__
        return document

    def column_fields(self):
        return tuple(field for field in self.fields if field.kind.column)

    def engine_fields(self):
        return tuple(field for field in self.fields if field.kind.mapping)


VALIDITY_LAPSE = Lapse(date="expiry_date", stored=Validity.VALID, becomes=Validity.EXPIRED)

# Column order matters on SQLite: a search reads the facet columns of every match, and SQLite
# reads a row from its start, so the short columns come first and the long texts last
# (search.models keeps this order); ``page_id`` is the rowid itself.
SCHEMA = Schema([
    Field("page_id", number(models.IntegerField, "long", primary_key=True)),
    Field("locale", keyword(20)),
    Field("public", PUBLIC_FLAG),
    # The item's unit's page path: a township's path is a prefix of its villages' paths.
    Field("unit_path", keyword(255), Facet("unit", _("发布单位"), filter=SUBTREE, paths="unit_paths")),
    Field("unit_paths", PATHS),
    # Translation keys of the catalogue area and entry (the same in both scripts), as text.
    Field("area_key", keyword(36, null=True), Facet("area", _("目录板块"), named_by=CatalogueArea)),
    Field("entry_key", keyword(36, null=True), Facet("entry", _("公开目录"), named_by=CatalogueEntry)),
    Field("year", number(models.PositiveSmallIntegerField, "integer", null=True), Facet("year", _("年份"))),
    Field("stage", keyword(10), Facet("stage", _("公开阶段"), choices=tuple(Stage.choices))),
    Field("validity", keyword(10), Facet("validity", _("有效性"), choices=tuple(Validity.choices), lapse=VALIDITY_LAPSE)),
    Field("expiry_date", DATE),
    Field("scope", keyword(10), Facet("scope", _("公开范围"), choices=tuple(Scope.choices), members_only=True)),
    Field("importance", keyword(10)),
    Field("publish_date", DATE),
    Field("withdrawn", FLAG),
    # Audiences (disclosure_pages.visibility.audience_keys): an item for all party members
    # names every unit's group (2,000 characters in a county of 239).
    Field("audience", AUDIENCE),
    Field("unit_code", keyword(64)),
    Field("unit_name", shown(255)),
    Field("index_number", shown(64, blank=True)),
    Field("document_number", shown(64, blank=True)),
    Field("url", shown()),  # Chinese slugs of up to 255 characters at each level
    Field("title", prose()),
    Field("text", prose(help_text="Plain text of summary and body, for snippets.")),
    Field("title_terms", TERMS),
    Field("title_chars", TERMS),
    Field("body_terms", TERMS),
    Field("body_chars", TERMS),
])


def unit_facet_key(unit_path, root_path):
    """The facet bucket of an item's unit: the child of the root it falls under, or the root itself."""
    if len(unit_path) > len(root_path) and unit_path.startswith(root_path):
        return unit_path[: len(root_path) + Page.steplen]
    return root_path if unit_path == root_path else None
