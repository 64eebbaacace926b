"""OpenSearch 3 through Wagtail's backend, with the item fields and query of the Elasticsearch one."""

from modelsearch.backends.opensearch3 import OpenSearch3Mapping, OpenSearch3SearchBackend

from .elasticsearch import ItemMappingMixin, ItemSearchMixin


class OpenSearchChineseMapping(ItemMappingMixin, OpenSearch3Mapping):
    pass


class OpenSearchChineseSearchBackend(ItemSearchMixin, OpenSearch3SearchBackend):
    name = "opensearch"
    mapping_class = OpenSearchChineseMapping

    def _raw_search(self, index, body):
        return self.es.search(index=index, body=body)


SearchBackend = OpenSearchChineseSearchBackend
