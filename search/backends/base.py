"""What every engine shares: turning pages into item documents (or deletions)."""

from disclosure_pages.models import DisclosureItemPage

from ..documents import build_document, indexable_item


def is_item_model(model):
    return issubclass(model, DisclosureItemPage)


def documents_and_deletions(pages):
    """Documents of the indexable ``pages`` and the ids of the others (drafts, removed items)."""
    documents, deletions = [], []
    for page in pages:
        item = indexable_item(page)
        if item is None:
            deletions.append(page.pk)
        else:
            documents.append(build_document(item))
    return documents, deletions
