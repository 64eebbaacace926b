"""Wagtail's ``update_index``, reading each model in keyset chunks, on PostgreSQL in parallel.

Wagtail's command (modelsearch's ``rebuild_modelsearch_index``) pages through a model with
LIMIT/OFFSET, so the database walks past every row already indexed for each chunk: a rebuild
is quadratic in the number of pages (at 100,000 items most of its time went there). Chunks
taken after the last primary key seen cost the same at the end of a rebuild as at its start.

A rebuild is mostly Python work per item (its text extracted and analysed, Wagtail's and our
rows prepared), so ``--workers N`` has N processes index a model's chunks at once, for the
database backend on PostgreSQL. Each process writes in transactions of its own, so the rebuild
is not atomic: searches see the items indexed so far until it ends. By default one process
rebuilds in one transaction (searches see the old index until the new one commits), as
Wagtail's command does; elsewhere always.
"""

import multiprocessing

from django.core.cache import caches
from django.db import connection, connections, transaction
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from modelsearch.management.commands import rebuild_modelsearch_index
from wagtail.search.models import IndexEntry

from disclosure_pages.bulk import refresh_planner_statistics

from ...backends import matches
from ...backends.database import ChineseSearchBackendMixin
from ...models import SearchDocument

# The index a rebuild writes to, inherited by the worker processes it forks.
_worker_index = None


class Command(rebuild_modelsearch_index.Command):
    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--workers", type=int, default=1,
            help="Processes indexing at once (the database backend on PostgreSQL; not atomic: searches see the "
            "items indexed so far until it ends; default 1).",
        )

    def handle(self, **options):
        self.workers = max(1, options["workers"])
        super().handle(**options)
        refresh_planner_statistics(SearchDocument, IndexEntry)  # the tables a rebuild rewrote
        if isinstance(backend := get_search_backend(), ChineseSearchBackendMixin) and not options.get("schema_only"):
            refreshed = matches.refresh(backend.item_store)
            if refreshed:
                self.write(f"Matched again the {refreshed} matches kept from before (words searched before)")

    def update_backend(self, backend_name, schema_only=False, chunk_size=rebuild_modelsearch_index.DEFAULT_CHUNK_SIZE):
        backend = get_search_backend(backend_name)
        if schema_only or not self.parallel(backend):
            return super().update_backend(backend_name, schema_only=schema_only, chunk_size=chunk_size)
        self.write(f"Updating backend: {backend_name} ({self.workers} processes)")
        for index, models in rebuild_modelsearch_index.group_models_by_index(backend, get_indexed_models()).items():
            self.write(f"{backend_name}: Rebuilding index {index}")
            # The backend's rebuilder that is not atomic: the workers cannot share a transaction.
            rebuilder = type(backend).rebuilder_class(index)
            index = rebuilder.start()
            for model in models:
                index.add_model(model)
            count = sum(self.add_model_items(backend_name, index, model, chunk_size) for model in models)
            rebuilder.finish()
            self.write(f"{backend_name}: indexed {count} objects")
            self.print_newline()

    def parallel(self, backend):
        return self.workers > 1 and connection.vendor == "postgresql" and isinstance(backend, ChineseSearchBackendMixin)

    def add_model_items(self, backend_name, index, model, chunk_size):
        """Index ``model``'s objects a keyset range at a time in the worker processes; how many."""
        global _worker_index
        self.write(f"{backend_name}: {model._meta.app_label}.{model.__name__} ".ljust(35), ending="")
        ranges = key_ranges(model.get_indexed_objects(), chunk_size)
        # The workers are forked: none may share the parent's database or cache connections.
        connections.close_all()
        for cache in caches.all(initialized_only=True):
            cache.close()
        _worker_index = index
        count = 0
        with multiprocessing.get_context("fork").Pool(min(self.workers, max(1, len(ranges)))) as pool:
            done = pool.imap_unordered(index_range, [(model._meta.label, first, last) for first, last in ranges])
            for indexed in self.print_iter_progress(done):
                count += indexed
            pool.close()
            pool.join()
        self.print_newline()
        return count

    @transaction.atomic
    def queryset_chunks(self, qs, chunk_size=rebuild_modelsearch_index.DEFAULT_CHUNK_SIZE):
        qs = qs.order_by("pk")
        last_pk = None
        while True:
            items = list((qs if last_pk is None else qs.filter(pk__gt=last_pk))[:chunk_size])
            if not items:
                break
            yield items
            last_pk = items[-1].pk


def key_ranges(queryset, size):
    """(first, last) primary keys of consecutive runs of ``size`` objects of ``queryset``."""
    keys = list(queryset.order_by("pk").values_list("pk", flat=True))
    return [(keys[start], keys[min(start + size, len(keys)) - 1]) for start in range(0, len(keys), size)]


def index_range(task):
    """In a worker: index the objects of one keyset range; how many there were."""
    from django.apps import apps

    label, first, last = task
    model = apps.get_model(label)
    objects = list(model.get_indexed_objects().filter(pk__gte=first, pk__lte=last).order_by("pk"))
    _worker_index.add_items(model, objects)
    connection.close()  # a worker's tasks are few and large: a connection each is cheap
    return len(objects)
