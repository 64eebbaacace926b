"""What every engine shares: turning pages into item documents (or deletions)."""

from disclosure_pages.models import DisclosureItemPage

from ..documents import build_documents, indexable_item


def is_item_model(model):
    return issubclass(model, DisclosureItemPage)


def documents_and_deletions(pages):
    """Documents of the indexable ``pages`` and the ids of the others (drafts, removed items)."""
    items, deletions = [], []
    for page in pages:
        item = indexable_item(page)
        if item is None:
            deletions.append(page.pk)
        else:
            items.append(item)
    return (build_documents(items) if items else []), deletions
