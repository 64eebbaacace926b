"""What the search app stores in the database: the database engine's documents and the outbox."""

import uuid

from django.db import connection, models

from .schema import SCHEMA

# The key of PostgreSQL's advisory lock serialising writes to the search documents.
WRITE_LOCK = 0x5EA2C4


def _schema_columns():
    """An abstract model with the column of every schema field the database keeps, in schema order."""
    columns = {field.name: field.column() for field in SCHEMA.column_fields()}
    return type("SchemaColumns", (models.Model,), {"__module__": __name__, "Meta": type("Meta", (), {"abstract": True}), **columns})


class SearchDocument(_schema_columns()):
    """One live disclosure item as the database engine indexes it (its columns: search.schema).

    The columns are the facets and filters, so that a search reads one table: no join to the
    page tree per hit. The four ``*_terms``/``*_chars`` columns hold the analysed text
    (chinese.analysis); on SQLite an FTS5 table indexes them (external content, rowid = page
    id), on PostgreSQL they are turned into ``terms_vector`` and ``chars_vector``. A deleted
    page's row stays until the index update removes it together with its full-text entry
    (which needs the row's terms), so ``page_id`` is not a foreign key.
    """

    indexed_at = models.DateTimeField(auto_now=True)
    # The IndexGeneration change that wrote this row: processes holding the facet columns in
    # memory read only the rows written since they last looked (search.backends.columns).
    change = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["locale", "public", "publish_date"], name="search_doc_listing"),
            models.Index(fields=["unit_path"], name="search_doc_unit_path"),
        ]

    def __str__(self):
        return self.title


class PendingIndexUpdate(models.Model):
    """An index change not yet applied to one search backend (an outbox row).

    Written in the same transaction as the change that caused it, deleted once the backend
    took it: when an engine is down, its rows wait and are applied when it returns.
    """

    page_id = models.PositiveIntegerField()
    backend = models.CharField(max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped when the page changes again while waiting: the row is deleted only if the change
    # that was applied is still the latest one.
    changes = models.PositiveIntegerField(default=1)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page_id", "backend"], name="one_pending_update_per_page_backend")]
        indexes = [models.Index(fields=["backend", "next_attempt_at"], name="search_pending_due")]

    def __str__(self):
        return f"page {self.page_id} → {self.backend}"


class IndexGeneration(models.Model):
    """Changes on every write to a locale's documents: processes holding them in memory reload.

    (search.backends.columns: the database engine.) A random token rather than a
    counter: a rolled-back write must not leave a later, different write with the same value.
    """

    locale = models.CharField(max_length=20, primary_key=True)
    token = models.CharField(max_length=32)
    # The number of the last write, counted over all locales; the rows it wrote carry it.
    change = models.BigIntegerField(default=0)

    @classmethod
    def current(cls, locale):
        return cls.state(locale)[0]

    @classmethod
    def state(cls, locale):
        """(token, change) of ``locale``: ("", 0) before its first write."""
        return cls.objects.filter(locale=locale).values_list("token", "change").first() or ("", 0)

    @classmethod
    def lock_writes(cls):
        """Wait for other writes to the documents to commit; first thing in a write's transaction.

        Processes catching up read the rows written since the last number they saw, so the
        numbers must follow the commits: SQLite lets one writer at a time anyway, PostgreSQL
        takes a lock held to the end of the transaction.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])

    @classmethod
    def next_change(cls):
        """The number for a write about to happen, inside the write's transaction after
        ``lock_writes``."""
        return (cls.objects.aggregate(last=models.Max("change"))["last"] or 0) + 1

    @classmethod
    def bump(cls, locales, change=None):
        change = change or cls.next_change()
        for locale in locales:
            cls.objects.update_or_create(locale=locale, defaults={"token": uuid.uuid4().hex, "change": change})

    def __str__(self):
        return f"{self.locale}: {self.token}"


class KeptMatch(models.Model):
    """A large match of the database engine's, kept for its other processes (search.backends.matches).

    Written by the process that read it in full, read by the others as they start: at
    1,000,000 items a word in half of them takes seconds to match again in each process.
    """

    key = models.CharField(max_length=40, primary_key=True)  # SHA-1 of ``query``
    query = models.TextField()  # JSON: [locale, titles only, [[stream, [term, …]], …]]
    locale = models.CharField(max_length=20)
    token = models.CharField(max_length=32)
    change = models.BigIntegerField()
    size = models.PositiveIntegerField()
    ids = models.BinaryField()  # sorted page ids, 4 bytes each, little-endian
    read_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return self.query
