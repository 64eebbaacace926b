"""The title part of each document's tsvectors in columns of its own, with GIN indexes (PostgreSQL).

The title tier of a search and autocomplete match titles only: matching a phrase there with
weight A in the full vectors read (and decompressed) the full vector of every candidate.
PostgreSQL keeps the new columns from the full ones (generated columns), so writing a
document stays one UPDATE. Nothing on SQLite, where FTS5 has title columns of its own.
"""

from django.db import migrations

DOC_TABLE = "disclosure_search_searchdocument"
COLUMNS = ("terms_vector", "chars_vector")


def add_title_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"ALTER TABLE {DOC_TABLE} ADD COLUMN title_{column} tsvector "
            f"GENERATED ALWAYS AS (ts_filter({column}, '{{a}}')) STORED"
        )
        schema_editor.execute(f"CREATE INDEX search_doc_title_{column} ON {DOC_TABLE} USING gin (title_{column})")


def drop_title_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"ALTER TABLE {DOC_TABLE} DROP COLUMN title_{column}")


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure_search", "0005_unbounded_audience_and_url"),
    ]

    operations = [
        migrations.RunPython(add_title_vectors, drop_title_vectors),
    ]
