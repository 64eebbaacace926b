"""A search as the engines receive it, and what they answer; engine-neutral.

The public page and the JSON endpoint build an ``ItemQuery`` from request parameters
(``search.forms``), the service adds the user's audience keys, and each engine turns it
into its own query language. Facet counts follow the usual rule of faceted search: a
facet's counts apply every other selected filter but not its own, so the choices within
a facet stay visible after one is chosen. The facets and their filters are the schema's
(``search.schema``).
"""

import dataclasses
import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from chinese.analysis import analyse_query

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"


@dataclass
class ItemQuery:
    text: str
    locale: str
    audience: list | None  # None: no audience filter (superusers)
    # Facet name → the selected value: a unit's path (it and everything below it), one value,
    # or a tuple of values (same-named catalogue areas or entries are one facet option).
    filters: dict = field(default_factory=dict)
    facet_root_path: str = ""  # the unit facet counts the children of this path
    sort: str = SORT_RELEVANCE
    offset: int = 0
    limit: int = 10
    facets: bool = True
    title_only: bool = False  # autocomplete: match titles only
    # Only these documents (by the schema's ``page_id``), or None for all: whether new items
    # match a saved search (alerts), asked of the engine that answers the search page.
    page_ids: tuple | None = None
    today: datetime.date = field(default_factory=timezone.localdate)

    @cached_property
    def phrases(self):
        # Read by the service and several times by each engine: analysed once.
        return analyse_query(self.text)

    def selected(self):
        """The facet filters that are set, by facet name."""
        return {name: value for name, value in self.filters.items() if value not in (None, "")}


@dataclass
class Hit:
    """What a result shows; the engines read these fields of the document back (and the lapse date)."""

    page_id: int
    title: str
    url: str
    text: str
    unit_name: str
    unit_code: str
    publish_date: datetime.date | None
    index_number: str
    document_number: str
    stage: str
    validity: str
    withdrawn: bool
    score: float = 0.0


@dataclass
class EngineResults:
    """What an engine answers: exact total, one page of hits, and raw facet counts by key."""

    count: int
    hits: list
    facets: dict  # facet name → {key: count}
    engine_ms: float = 0.0  # the engine's own time, where it reports one


def filter_values(value):
    """A filter's accepted values as strings: one, or each of a tuple (same-named catalogue entries)."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return tuple(str(item) for item in value)
    return (str(value),)


def hit_fields(schema):
    """The document fields an engine reads back for a hit: ``Hit``'s, and the dates its lapse rules need."""
    names = [hit_field.name for hit_field in dataclasses.fields(Hit) if hit_field.name != "score"]
    return names + [field.facet.lapse.date for field in schema.facet_fields if field.facet.lapse and field.name in names]


def make_hit(schema, values, today, score=0.0):
    """A ``Hit`` of a document's ``values`` (by field name, as the engine returned them) as of ``today``."""
    values = {name: schema.by_name[name].kind.from_engine(value) for name, value in values.items()}
    for field in schema.facet_fields:
        if field.facet.lapse and field.name in values:
            lapse = field.facet.lapse
            values[field.name] = lapse.current(values[field.name], values.pop(lapse.date), today)
    return Hit(score=score, **values)
