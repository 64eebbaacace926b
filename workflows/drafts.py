"""A few fields of the latest version of many items at once, for the lists of what is under review.

``page.get_latest_revision_as_object()`` rebuilds the whole page from its revision and checks each
of its foreign keys with a query of its own: a dozen queries per item. The county's lists need
two or three fields of hundreds of items; a revision stores each field under its name
(``Revision.content``), so they are read from there, for all the items in one query.
"""

from django.db.models import F
from wagtail.models import Revision

from disclosure_pages.models import DisclosureItemPage


def latest_values(items, names):
    """{item pk: {name: value}}: the fields ``names`` of each of ``items`` (``DisclosureItemPage``
    rows) as ``get_latest_revision_as_object()`` would give them: from the latest revision when the
    item has unpublished changes, else the item's own."""
    fields = [DisclosureItemPage._meta.get_field(name) for name in names]
    values = {item.pk: {field.name: getattr(item, field.attname) for field in fields} for item in items}
    drafts = [item.latest_revision_id for item in items if item.has_unpublished_changes and item.latest_revision_id]
    if drafts:
        revisions = Revision.objects.filter(pk__in=drafts).values_list(
            "object_id", *(F(f"content__{field.name}") for field in fields)
        )
        for object_id, *stored in revisions:
            values[int(object_id)] = {field.name: field.to_python(value) for field, value in zip(fields, stored)}
    return values
