"""Elasticsearch 8 through Wagtail's backend, with disclosure items analysed for Chinese.

Item documents travel inside Wagtail's own page documents (extra ``sunshine_*`` fields), so
``update_index``'s atomic rebuild — a new index, then the alias swapped — covers them and
search keeps answering during a rebuild. The text arrives already analysed
(chinese.analysis) and is split on whitespace only, so the engine needs no plugin and finds
what the database engine finds. Queries are built with elasticsearch-dsl.
"""

import datetime
import re

from elastic_transport import Transport
from elasticsearch_dsl import A, Q, Search
from modelsearch.backends.elasticsearch8 import Elasticsearch8Index, Elasticsearch8Mapping, Elasticsearch8SearchBackend
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder
from modelsearch.index import class_is_indexed
from wagtail.models import Page

from ..query import EXPIRED, FACETS, REPEALED, SORT_DATE, VALID, EngineResults, Hit, current_validity, filter_values
from .base import documents_and_deletions, is_item_model

TERMS_ANALYZER = "sunshine_terms"
INDEX_SETTINGS = {"settings": {"analysis": {"analyzer": {TERMS_ANALYZER: {"type": "custom", "tokenizer": "whitespace"}}}}}
TITLE_BOOST = 10.0
_TERMS = {"type": "text", "analyzer": TERMS_ANALYZER, "similarity": "BM25"}
_KEYWORD = {"type": "keyword"}
_STORED = {"type": "keyword", "index": False}
ITEM_PROPERTIES = {
    "sunshine_item": {"type": "boolean"},
    "sunshine_page_id": {"type": "long"},
    "sunshine_locale": _KEYWORD,
    "sunshine_title": {"type": "text", "index": False},
    "sunshine_text": {"type": "text", "index": False},
    "sunshine_url": _STORED,
    "sunshine_unit_code": _KEYWORD,
    "sunshine_unit_name": _STORED,
    "sunshine_unit_path": _KEYWORD,
    "sunshine_unit_paths": _KEYWORD,
    "sunshine_area_key": _KEYWORD,
    "sunshine_entry_key": _KEYWORD,
    "sunshine_publish_date": {"type": "date"},
    "sunshine_year": {"type": "integer"},
    "sunshine_stage": _KEYWORD,
    "sunshine_importance": _KEYWORD,
    "sunshine_scope": _KEYWORD,
    "sunshine_validity": _KEYWORD,
    "sunshine_expiry_date": {"type": "date"},
    "sunshine_withdrawn": {"type": "boolean"},
    "sunshine_index_number": _STORED,
    "sunshine_document_number": _STORED,
    "sunshine_audience": _KEYWORD,
    "sunshine_title_terms": _TERMS,
    "sunshine_body_terms": _TERMS,
    "sunshine_title_chars": _TERMS,
    "sunshine_body_chars": _TERMS,
}
SOURCE_FIELDS = [
    "sunshine_page_id", "sunshine_title", "sunshine_text", "sunshine_url", "sunshine_unit_name", "sunshine_unit_code",
    "sunshine_publish_date", "sunshine_index_number", "sunshine_document_number", "sunshine_stage", "sunshine_validity",
    "sunshine_expiry_date", "sunshine_withdrawn",
]


class PlainJSONTransport(Transport):
    """Sends plain ``application/json`` instead of Elasticsearch 8's compatibility media type.

    The Elasticsearch 8 client marks every request ``application/vnd.elasticsearch+json;
    compatible-with=8``; OpenSearch-compatible engines (the in-memory engine the tests run
    against) answer that with 406. Passed as the client's ``transport_class`` (the backend's
    ``OPTIONS``) for such an engine only; a real Elasticsearch needs nothing.
    """

    def perform_request(self, method, target, *, headers=None, **kwargs):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                value = headers.get(name)
                if value and "vnd.elasticsearch+" in value:
                    headers[name] = value.split(";")[0].replace("vnd.elasticsearch+", "")
        return super().perform_request(method, target, headers=headers, **kwargs)


class ItemMappingMixin:
    """Adds the item fields to Wagtail's mapping and documents of disclosure items."""

    def get_mapping(self):
        mapping = super().get_mapping()
        if is_item_model(self.model):
            mapping["properties"].update(ITEM_PROPERTIES)
        return mapping

    def get_document(self, obj):
        return self.get_documents([obj])[0]

    def get_documents(self, objs):
        """Wagtail's documents of ``objs`` with the item fields, read for all of them at once."""
        documents = [super(ItemMappingMixin, self).get_document(obj) for obj in objs]
        if is_item_model(self.model):
            fields = items_fields(objs)
            for obj, document in zip(objs, documents, strict=True):
                document.update(fields[obj.pk])
        return documents


class IndexMissing(Exception):
    """The engine has no index for a write yet; ``update_index`` makes it."""


# ElasticsearchAtomicIndexRebuilder names the index it fills "<alias>_<7 random characters>".
_REBUILD_SUFFIX = re.compile(r"_[a-z0-9]{7}")


class EngineIndexMixin:
    """Index writes that never make an index on the fly and are not lost to a rebuild.

    The engines create a missing index on the first write to it, with mappings guessed from
    that document: the item fields would become standard-analysed text and the item search,
    which filters and counts keyword fields, would fail. Only ``update_index`` makes indices
    here; a write to a missing one fails, and its outbox rows wait until the index exists.

    ``update_index`` fills a new index while the alias still points to the old one, and a
    change written only to the old one would be undone by the swap (a scope narrowed to
    members would be public again). A change goes to the index being filled as well, and
    the rebuild only creates documents, so a page it read before the change cannot replace
    what the change wrote.
    """

    loading = False  # set on the new index of an atomic rebuild

    def add_item(self, item):
        self.add_items(type(item), [item])

    def add_items(self, model, items):
        if not class_is_indexed(model) or not items:
            return
        mapping = self.mapping_class(model)
        documents = mapping.get_documents(items)
        actions = [{"_id": mapping.get_document_id(item), **document} for item, document in zip(items, documents, strict=True)]
        if self.loading:
            actions = [{"_op_type": "create", **action} for action in actions]
        for name in self._targets(required=True):
            self.backend.bulk(self.es, actions, index=name, ignore_status=(409,) if self.loading else ())

    def delete_item(self, item):
        if not class_is_indexed(type(item)):
            return
        document_id = self.mapping_class(type(item)).get_document_id(item)
        for name in self._targets():
            try:
                self.es.delete(index=name, id=document_id)
            except self.backend.NotFoundError:
                pass

    def _targets(self, required=False):
        """The indices a write goes to: this one, if it exists, and any a rebuild is filling for it."""
        if self.loading:
            return [self.name]
        found = self.es.indices.get_alias(index=f"{self.name}*").items()
        exists = any(name == self.name or self.name in info["aliases"] for name, info in found)
        if required and not exists:
            raise IndexMissing(f"The search index {self.name!r} does not exist: run `manage.py update_index`.")
        filling = [
            name for name, info in found
            if _REBUILD_SUFFIX.fullmatch(name.removeprefix(self.name)) and self.name not in info["aliases"]
        ]
        return ([self.name] if exists else []) + filling


class AtomicRebuilder(ElasticsearchAtomicIndexRebuilder):
    """Fills the new index create-only (see EngineIndexMixin) and swaps the alias in one request.

    Wagtail's rebuilder adds the alias to the new index before removing the old one: for that
    moment searches count every document twice and writes through the alias are refused.
    """

    def __init__(self, index):
        super().__init__(index)
        self.index.loading = True

    def finish(self):
        self.index.refresh()
        old = [index.name for index in self.alias.aliased_indices()] if self.alias.is_alias() else []
        if not old:
            self.alias.delete()  # an index named like the alias, from before atomic rebuilds
        actions = [{"remove": {"index": name, "alias": self.alias.name}} for name in old]
        actions.append({"add": {"index": self.index.name, "alias": self.alias.name}})
        self.index.es.indices.update_aliases(body={"actions": actions})
        backend = self.index.backend
        for name in old:
            backend.index_class(backend, name).delete()


def items_fields(pages):
    """The item fields of each page, by id: a draft or removed item is in Wagtail's index, not in ours."""
    documents, _deleted = documents_and_deletions(pages)
    fields = {page.pk: {"sunshine_item": False} for page in pages}
    for document in documents:
        values = document.as_dict()
        item = {f"sunshine_{name}": value for name, value in values.items() if f"sunshine_{name}" in ITEM_PROPERTIES}
        item["sunshine_item"] = True
        for name in ("sunshine_publish_date", "sunshine_expiry_date"):
            if item[name]:
                item[name] = item[name].isoformat()
        fields[document.page_id] = item
    return fields


class ItemSearchMixin:
    """The item search of an Elasticsearch-family backend (the same query on OpenSearch)."""

    def __init__(self, params):
        params = dict(params)
        params["INDEX_SETTINGS"] = _merge(INDEX_SETTINGS, params.get("INDEX_SETTINGS", {}))
        super().__init__(params)

    @property
    def page_index_name(self):
        return self.get_index_for_model(Page).name

    def search_items(self, query):
        body = build_search(query).to_dict()
        response = self._raw_search(self.page_index_name, body)
        return parse_response(response, query)

    def _raw_search(self, index, body):
        return self.es.search(index=index, **body)


def _merge(base, extra):
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _phrase_query(phrase, title_only):
    stream = "terms" if phrase.stream == "bigrams" else "chars"
    text = " ".join(phrase.terms)
    title = Q("match_phrase", **{f"sunshine_title_{stream}": {"query": text, "boost": TITLE_BOOST}})
    if title_only:
        return title
    return Q("bool", should=[title, Q("match_phrase", **{f"sunshine_body_{stream}": {"query": text}})], minimum_should_match=1)


def _validity_filter(state, today):
    if state == VALID:
        return Q("term", sunshine_validity=VALID) & ~Q("range", sunshine_expiry_date={"lt": today.isoformat()})
    if state == EXPIRED:
        return Q("term", sunshine_validity=EXPIRED) | (
            Q("term", sunshine_validity=VALID) & Q("range", sunshine_expiry_date={"lt": today.isoformat()})
        )
    return Q("term", sunshine_validity=state)


def facet_filters(query):
    filters = {}
    if query.unit_path:
        filters["unit"] = Q("term", sunshine_unit_paths=query.unit_path)
    for name, field in (("area", "sunshine_area_key"), ("entry", "sunshine_entry_key"), ("year", "sunshine_year"),
                        ("stage", "sunshine_stage"), ("scope", "sunshine_scope")):
        value = getattr(query, name)
        if value not in (None, ""):
            if name in ("area", "entry"):
                filters[name] = Q("terms", **{field: list(filter_values(value))})
            else:
                filters[name] = Q("term", **{field: value})
    if query.validity:
        filters["validity"] = _validity_filter(query.validity, query.today)
    return filters


def build_search(query):
    """The elasticsearch-dsl search for ``query``: hits with every filter, facets without their own."""
    base = [Q("term", sunshine_item=True), Q("term", sunshine_locale=query.locale)]
    if query.audience is not None:
        base.append(Q("terms", sunshine_audience=list(query.audience)))
    search = Search().query(Q("bool", must=[_phrase_query(p, query.title_only) for p in query.phrases], filter=base))
    filters = facet_filters(query)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    if query.facets:
        for name in FACETS:
            others = [f for other, f in filters.items() if other != name]
            scope = A("filter", Q("bool", filter=others)) if others else A("filter", Q("match_all"))
            if name == "unit":
                root = query.facet_root_path
                scope.bucket("children", "terms", field="sunshine_unit_paths", include=f"{root}[0-9A-Z]{{4}}", size=500)
                scope.bucket("self", "filter", Q("term", sunshine_unit_path=root))
            elif name == "validity":
                scope.bucket("states", "filters", filters={s: _validity_filter(s, query.today) for s in (VALID, EXPIRED, REPEALED)})
            else:
                field = {"area": "sunshine_area_key", "entry": "sunshine_entry_key", "year": "sunshine_year",
                         "stage": "sunshine_stage", "scope": "sunshine_scope"}[name]
                scope.bucket("values", "terms", field=field, size=500)
            search.aggs.bucket(name, scope)
    if query.sort == SORT_DATE:
        search = search.sort({"sunshine_publish_date": {"order": "desc", "missing": "_last"}}, {"sunshine_page_id": "desc"})
    else:
        search = search.sort("_score", {"sunshine_publish_date": {"order": "desc", "missing": "_last"}})
    search = search.source(SOURCE_FIELDS).extra(track_total_hits=True, from_=query.offset, size=query.limit)
    return search


def parse_response(response, query):
    hits = []
    for hit in response["hits"]["hits"]:
        source = hit["_source"]
        expiry = _date(source.get("sunshine_expiry_date"))
        hits.append(
            Hit(
                page_id=source["sunshine_page_id"], title=source["sunshine_title"], url=source["sunshine_url"],
                text=source.get("sunshine_text", ""), unit_name=source["sunshine_unit_name"],
                unit_code=source["sunshine_unit_code"], publish_date=_date(source.get("sunshine_publish_date")),
                index_number=source.get("sunshine_index_number", ""), document_number=source.get("sunshine_document_number", ""),
                stage=source["sunshine_stage"], validity=current_validity(source["sunshine_validity"], expiry, query.today),
                withdrawn=source.get("sunshine_withdrawn", False), score=hit.get("_score") or 0.0,
            )
        )
    facets = {}
    aggregations = response.get("aggregations", {})
    for name in FACETS:
        if name not in aggregations:
            continue
        agg = aggregations[name]
        if name == "unit":
            counts = {bucket["key"]: bucket["doc_count"] for bucket in agg["children"]["buckets"]}
            if agg["self"]["doc_count"]:
                counts[query.facet_root_path] = agg["self"]["doc_count"]
        elif name == "validity":
            counts = {state: bucket["doc_count"] for state, bucket in agg["states"]["buckets"].items() if bucket["doc_count"]}
        else:
            counts = {bucket["key"]: bucket["doc_count"] for bucket in agg["values"]["buckets"]}
        facets[name] = counts
    return EngineResults(
        count=response["hits"]["total"]["value"], hits=hits, facets=facets, engine_ms=float(response.get("took", 0))
    )


def _date(value):
    return datetime.date.fromisoformat(value[:10]) if value else None


class ElasticsearchChineseMapping(ItemMappingMixin, Elasticsearch8Mapping):
    pass


class ElasticsearchChineseIndex(EngineIndexMixin, Elasticsearch8Index):
    pass


class ElasticsearchChineseSearchBackend(ItemSearchMixin, Elasticsearch8SearchBackend):
    name = "elasticsearch"
    mapping_class = ElasticsearchChineseMapping
    index_class = ElasticsearchChineseIndex
    atomic_rebuilder_class = AtomicRebuilder


SearchBackend = ElasticsearchChineseSearchBackend
