"""A search as the engines receive it, and what they answer; engine-neutral.

The public page and the JSON endpoint build an ``ItemQuery`` from request parameters
(``search.forms``), the service adds the user's audience keys, and each engine turns it
into its own query language. Facet counts follow the usual rule of faceted search: a
facet's counts apply every other selected filter but not its own, so the choices within
a facet stay visible after one is chosen.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.utils import timezone

from chinese.analysis import analyse_query

SORT_RELEVANCE = "relevance"
SORT_DATE = "date"
# Facets in the order the sidebar shows them.
FACETS = ("unit", "area", "entry", "year", "stage", "validity", "scope")
# Current validity (有效性 as of today), derived from the stored validity and expiry date.
VALID, EXPIRED, REPEALED = "valid", "expired", "repealed"


@dataclass
class ItemQuery:
    text: str
    locale: str
    audience: list | None  # None: no audience filter (superusers)
    unit_path: str | None = None  # the selected unit: it and everything below it
    facet_root_path: str = ""  # the unit facet counts the children of this path
    # A catalogue area or entry: one key, or a tuple of the keys of same-named ones (one facet option).
    area: str | tuple | None = None
    entry: str | tuple | None = None
    year: int | None = None
    stage: str | None = None
    validity: str | None = None
    scope: str | None = None
    sort: str = SORT_RELEVANCE
    offset: int = 0
    limit: int = 10
    facets: bool = True
    title_only: bool = False  # autocomplete: match titles only
    today: datetime.date = field(default_factory=timezone.localdate)

    @cached_property
    def phrases(self):
        # Read by the service and several times by each engine: analysed once.
        return analyse_query(self.text)

    def selected(self):
        """The facet filters that are set, by facet name."""
        values = {
            "unit": self.unit_path,
            "area": self.area,
            "entry": self.entry,
            "year": self.year,
            "stage": self.stage,
            "validity": self.validity,
            "scope": self.scope,
        }
        return {name: value for name, value in values.items() if value not in (None, "")}


@dataclass
class Hit:
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


def current_validity(validity, expiry_date, today):
    if validity == VALID and expiry_date and expiry_date < today:
        return EXPIRED
    return validity


def unit_facet_key(unit_path, root_path, steplen=4):
    """The facet bucket of an item's unit: the child of the root it falls under, or the root itself."""
    if len(unit_path) > len(root_path) and unit_path.startswith(root_path):
        return unit_path[: len(root_path) + steplen]
    return root_path if unit_path == root_path else None
