"""Elasticsearch 8 through Wagtail's backend, with disclosure items analysed for Chinese.

Item documents travel inside Wagtail's own page documents (extra ``sunshine_*`` fields), so
``update_index``'s atomic rebuild — a new index, then the alias swapped — covers them and
search keeps answering during a rebuild. The text arrives already analysed
(chinese.analysis) and is split on whitespace only, so the engine needs no plugin and finds
what the database engine finds. Queries are built with elasticsearch-dsl.
"""

import re

from elastic_transport import Transport
from elasticsearch_dsl import A, Q, Search
from modelsearch.backends.elasticsearch8 import Elasticsearch8Index, Elasticsearch8Mapping, Elasticsearch8SearchBackend
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder
from modelsearch.index import class_is_indexed
from wagtail.models import Page

from .. import schema
from ..query import SORT_DATE, EngineResults, hit_fields, make_hit
from ..schema import SUBTREE, TERMS_ANALYZER
from .base import documents_and_deletions, is_item_model

INDEX_SETTINGS = {"settings": {"analysis": {"analyzer": {TERMS_ANALYZER: {"type": "custom", "tokenizer": "whitespace"}}}}}
TITLE_BOOST = 10.0
PREFIX = "sunshine_"
ITEM_FLAG = PREFIX + "item"  # true on the documents of indexed items, beside Wagtail's fields


def engine_name(name):
    """The engine's name of the schema field ``name``."""
    return PREFIX + name


def item_properties(search_schema):
    """The mapping of the item fields the engine keeps."""
    properties = {engine_name(field.name): field.kind.mapping for field in search_schema.engine_fields()}
    return {ITEM_FLAG: {"type": "boolean"}, **properties}


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
            mapping["properties"].update(item_properties(schema.SCHEMA))
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
    fields = {page.pk: {ITEM_FLAG: False} for page in pages}
    for document in documents:
        item = {
            engine_name(field.name): field.kind.to_engine(getattr(document, field.name))
            for field in schema.SCHEMA.engine_fields()
        }
        fields[document.page_id] = {ITEM_FLAG: True, **item}
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
        search_schema = schema.SCHEMA
        response = self._raw_search(self.page_index_name, build_search(search_schema, query).to_dict())
        return parse_response(search_schema, response, query)

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
    title = Q("match_phrase", **{engine_name(f"title_{stream}"): {"query": text, "boost": TITLE_BOOST}})
    if title_only:
        return title
    return Q("bool", should=[title, Q("match_phrase", **{engine_name(f"body_{stream}"): {"query": text}})], minimum_should_match=1)


def _lapse_filter(field, state, today):
    """Documents of ``field`` in ``state`` as of ``today``, by its facet's lapse rule."""
    term, lapse = engine_name(field.name), field.facet.lapse
    lapsed = Q("term", **{term: lapse.stored}) & Q("range", **{engine_name(lapse.date): {"lt": today.isoformat()}})
    if state == lapse.stored:
        return Q("term", **{term: state}) & ~lapsed
    if state == lapse.becomes:
        return Q("term", **{term: state}) | lapsed
    return Q("term", **{term: state})


def facet_filters(search_schema, query):
    filters = {}
    for name, value in query.selected().items():
        field = search_schema.field_of(name)
        if field.facet.filter == SUBTREE:
            filters[name] = Q("term", **{engine_name(field.facet.paths): value})
        elif field.facet.lapse:
            filters[name] = _lapse_filter(field, value, query.today)
        else:
            filters[name] = Q("terms", **{engine_name(field.name): list(field.values_of(value))})
    return filters


def build_search(search_schema, query):
    """The elasticsearch-dsl search for ``query``: hits with every filter, facets without their own."""
    base = [Q("term", **{ITEM_FLAG: True}), Q("term", **{engine_name("locale"): query.locale})]
    if query.audience is not None:
        base.append(Q("terms", **{engine_name("audience"): list(query.audience)}))
    if query.page_ids is not None:
        base.append(Q("terms", **{engine_name("page_id"): [int(pk) for pk in query.page_ids]}))
    search = Search().query(Q("bool", must=[_phrase_query(p, query.title_only) for p in query.phrases], filter=base))
    filters = facet_filters(search_schema, query)
    if filters:
        search = search.post_filter(Q("bool", filter=list(filters.values())))
    if query.facets:
        for field in search_schema.facet_fields:
            name = field.facet.name
            others = [f for other, f in filters.items() if other != name]
            scope = A("filter", Q("bool", filter=others)) if others else A("filter", Q("match_all"))
            if field.facet.filter == SUBTREE:
                root = query.facet_root_path
                children = f"{root}[0-9A-Z]{{{Page.steplen}}}"
                scope.bucket("children", "terms", field=engine_name(field.facet.paths), include=children, size=500)
                scope.bucket("self", "filter", Q("term", **{engine_name(field.name): root}))
            elif field.facet.lapse:
                states = {value: _lapse_filter(field, value, query.today) for value, _label in field.facet.choices}
                scope.bucket("states", "filters", filters=states)
            else:
                scope.bucket("values", "terms", field=engine_name(field.name), size=500)
            search.aggs.bucket(name, scope)
    newest = {engine_name("publish_date"): {"order": "desc", "missing": "_last"}}
    if query.sort == SORT_DATE:
        search = search.sort(newest, {engine_name("page_id"): "desc"})
    else:
        search = search.sort("_score", newest)
    source = [engine_name(name) for name in hit_fields(search_schema)]
    return search.source(source).extra(track_total_hits=True, from_=query.offset, size=query.limit)


def parse_response(search_schema, response, query):
    names = hit_fields(search_schema)
    hits = [
        make_hit(search_schema, {name: hit["_source"].get(engine_name(name)) for name in names}, query.today, hit.get("_score") or 0.0)
        for hit in response["hits"]["hits"]
    ]
    facets = {}
    aggregations = response.get("aggregations", {})
    for facet in search_schema.facets:
        agg = aggregations.get(facet.name)
        if agg is None:
            continue
        if facet.filter == SUBTREE:
            counts = {bucket["key"]: bucket["doc_count"] for bucket in agg["children"]["buckets"]}
            if agg["self"]["doc_count"]:
                counts[query.facet_root_path] = agg["self"]["doc_count"]
        elif facet.lapse:
            counts = {state: bucket["doc_count"] for state, bucket in agg["states"]["buckets"].items() if bucket["doc_count"]}
        else:
            counts = {bucket["key"]: bucket["doc_count"] for bucket in agg["values"]["buckets"]}
        facets[facet.name] = counts
    return EngineResults(
        count=response["hits"]["total"]["value"], hits=hits, facets=facets, engine_ms=float(response.get("took", 0))
    )


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
