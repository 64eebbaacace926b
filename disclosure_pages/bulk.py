"""Helpers for bulk work (the demo seed, imports, variant syncs): index once, at the end."""

from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db.models.signals import post_save
from django.test.utils import override_settings
from modelsearch import index as search_index
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.signal_handlers import disable_reference_index_auto_update


@contextmanager
def index_updates_paused():
    """Stop per-save search and reference index updates; call ``rebuild_indexes`` afterwards.

    AUTO_UPDATE=False stops the backends from writing, but the post_save handler would still
    enqueue a task per save that reloads the object only to find no backend to update, so
    the handler is detached too (and always reattached).
    """
    backends = {name: {**config, "AUTO_UPDATE": False} for name, config in settings.WAGTAILSEARCH_BACKENDS.items()}
    models = [model for model in search_index.get_indexed_models() if getattr(model, "search_auto_update", True)]
    detached = [model for model in models if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with override_settings(WAGTAILSEARCH_BACKENDS=backends), disable_reference_index_auto_update():
            yield
    finally:
        for model in detached:
            post_save.connect(post_save_signal_handler, sender=model)


def rebuild_indexes():
    """Rebuild the search index and Wagtail's reference index after bulk work."""
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    call_command("rebuild_references_index", stdout=StringIO(), stderr=StringIO())
