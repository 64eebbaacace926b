"""What the search app stores in the database: the database engine's documents and the outbox."""

import uuid

from django.db import models


class SearchDocument(models.Model):
    """One live disclosure item as the database engine indexes it.

    The columns are the facets and filters, so that a search reads one table: no join to the
    page tree per hit. The four ``*_terms``/``*_chars`` columns hold the analysed text
    (chinese.analysis); on SQLite an FTS5 table indexes them (external content, rowid = page
    id), on PostgreSQL they are turned into ``terms_vector`` and ``chars_vector``.

    Column order matters on SQLite: a search reads the facet columns of every match, and
    SQLite reads a row from its start, so the short columns come first and the long texts
    last; ``page_id`` is an INTEGER PRIMARY KEY, i.e. the rowid itself (one lookup per match).
    """

    # Not a foreign key: a deleted page's row stays until the index update removes it together
    # with its full-text entry (which needs the row's terms to be removed).
    page_id = models.IntegerField(primary_key=True)
    locale = models.CharField(max_length=20)
    public = models.BooleanField()  # public items need no audience lookup
    # The item's unit's page path: a township's path is a prefix of its villages' paths.
    unit_path = models.CharField(max_length=255)
    # Translation keys of the catalogue area and entry (the same in both scripts), as text.
    area_key = models.CharField(max_length=36, null=True)
    entry_key = models.CharField(max_length=36, null=True)
    year = models.PositiveSmallIntegerField(null=True)
    stage = models.CharField(max_length=10)
    validity = models.CharField(max_length=10)
    expiry_date = models.DateField(null=True)
    scope = models.CharField(max_length=10)
    importance = models.CharField(max_length=10)
    publish_date = models.DateField(null=True)
    withdrawn = models.BooleanField(default=False)
    # Audiences (disclosure_pages.visibility.audience_keys), space-separated and padded: an
    # item for all party members names every unit's group (2,000 characters in a county of 239).
    audience = models.TextField()
    unit_code = models.CharField(max_length=64)
    unit_name = models.CharField(max_length=255)
    index_number = models.CharField(max_length=64, blank=True)
    document_number = models.CharField(max_length=64, blank=True)
    url = models.TextField()  # Chinese slugs of up to 255 characters at each level
    indexed_at = models.DateTimeField(auto_now=True)
    # The IndexGeneration change that wrote this row: processes holding the facet columns in
    # memory read only the rows written since they last looked (search.backends.columns).
    change = models.BigIntegerField(default=0, db_index=True)
    title = models.TextField()
    text = models.TextField(help_text="Plain text of summary and body, for snippets.")
    title_terms = models.TextField()
    title_chars = models.TextField()
    body_terms = models.TextField()
    body_chars = models.TextField()

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

    (search.backends.columns; the database engine on SQLite.) A random token rather than a
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
    def next_change(cls):
        """The number for a write about to happen. Inside the write's transaction, after its
        first write: SQLite lets one writer at a time, so the numbers follow the commits."""
        return (cls.objects.aggregate(last=models.Max("change"))["last"] or 0) + 1

    @classmethod
    def bump(cls, locales, change=None):
        change = change or cls.next_change()
        for locale in locales:
            cls.objects.update_or_create(locale=locale, defaults={"token": uuid.uuid4().hex, "change": change})

    def __str__(self):
        return f"{self.locale}: {self.token}"
