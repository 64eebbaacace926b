"""The outbox of item changes for consumers that need durable delivery (``disclosure_pages.changes``)."""

from django.db import models


class PendingItemChange(models.Model):
    """An item change a consumer has not handled yet, written in the change's own transaction."""

    consumer = models.CharField(max_length=64)
    page_id = models.BigIntegerField()  # no foreign key: a deleted item's change outlives it
    change = models.JSONField()  # ItemChange.as_json()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["consumer", "id"])]
