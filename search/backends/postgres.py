"""The database engine on PostgreSQL: Wagtail's PostgreSQL backend with the item documents (see database.py)."""

from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchRebuilder,
)

from .database import ChineseSearchBackendMixin, ItemIndexMixin, ItemRebuilderMixin


class PostgresChineseIndex(ItemIndexMixin, PostgresIndex):
    pass


class PostgresChineseRebuilder(ItemRebuilderMixin, PostgresSearchRebuilder):
    pass


class PostgresChineseAtomicRebuilder(ItemRebuilderMixin, PostgresSearchAtomicRebuilder):
    pass


class PostgresChineseSearchBackend(ChineseSearchBackendMixin, PostgresSearchBackend):
    index_class = PostgresChineseIndex
    rebuilder_class = PostgresChineseRebuilder
    atomic_rebuilder_class = PostgresChineseAtomicRebuilder
