"""OpenSearch 3 through Wagtail's backend, with the item fields and query of the Elasticsearch one."""

from modelsearch.backends.opensearch3 import OpenSearch3Index, OpenSearch3Mapping, OpenSearch3SearchBackend

from .elasticsearch import AtomicRebuilder, EngineIndexMixin, ItemMappingMixin, ItemSearchMixin


class OpenSearchChineseMapping(ItemMappingMixin, OpenSearch3Mapping):
    pass


class OpenSearchChineseIndex(EngineIndexMixin, OpenSearch3Index):
    pass


class OpenSearchChineseSearchBackend(ItemSearchMixin, OpenSearch3SearchBackend):
    name = "opensearch"
    mapping_class = OpenSearchChineseMapping
    index_class = OpenSearchChineseIndex
    atomic_rebuilder_class = AtomicRebuilder

    def _raw_search(self, index, body):
        return self.es.search(index=index, body=body)


SearchBackend = OpenSearchChineseSearchBackend
