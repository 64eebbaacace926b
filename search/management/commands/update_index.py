"""Wagtail's ``update_index``, reading each model in keyset chunks.

Wagtail's command (modelsearch's ``rebuild_modelsearch_index``) pages through a model with
LIMIT/OFFSET, so the database walks past every row already indexed for each chunk: a rebuild
is quadratic in the number of pages (at 100,000 items most of its time went there). Chunks
taken after the last primary key seen cost the same at the end of a rebuild as at its start.
"""

from django.db import transaction
from modelsearch.management.commands import rebuild_modelsearch_index
from wagtail.search.models import IndexEntry

from disclosure_pages.bulk import refresh_planner_statistics

from ...models import SearchDocument


class Command(rebuild_modelsearch_index.Command):
    def handle(self, **options):
        super().handle(**options)
        refresh_planner_statistics(SearchDocument, IndexEntry)  # the tables a rebuild rewrote

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
