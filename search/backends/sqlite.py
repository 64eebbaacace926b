"""The database engine on SQLite: Wagtail's SQLite backend with the item documents (see database.py)."""

from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteIndex,
    SQLiteSearchAtomicRebuilder,
    SQLiteSearchBackend,
    SQLiteSearchRebuilder,
)

from .database import ChineseSearchBackendMixin, ItemIndexMixin, ItemRebuilderMixin


class SQLiteChineseIndex(ItemIndexMixin, SQLiteIndex):
    defer_title_norms = False

    def _refresh_title_norms(self, full=False):
        if full or not self.defer_title_norms:
            super()._refresh_title_norms(full=full)


class SQLiteChineseRebuilder(ItemRebuilderMixin, SQLiteSearchRebuilder):
    pass


class SQLiteChineseAtomicRebuilder(ItemRebuilderMixin, SQLiteSearchAtomicRebuilder):
    pass


class SQLiteChineseSearchBackend(ChineseSearchBackendMixin, SQLiteSearchBackend):
    index_class = SQLiteChineseIndex
    rebuilder_class = SQLiteChineseRebuilder
    atomic_rebuilder_class = SQLiteChineseAtomicRebuilder
