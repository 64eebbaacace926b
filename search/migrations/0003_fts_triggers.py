"""SQLite: keep the FTS5 index in step with the document table by triggers.

Whoever deletes or writes document rows — the index updates, ``update_index``, Django's
``flush`` between tests, a restore — the full-text entries follow, so a match can never
point at another item's row.
"""

from django.db import migrations

FTS_TABLE = "disclosure_search_fts"
DOC_TABLE = "disclosure_search_searchdocument"
COLUMNS = "title_terms, body_terms, title_chars, body_chars"
NEW = "new.title_terms, new.body_terms, new.title_chars, new.body_chars"
OLD = "old.title_terms, old.body_terms, old.title_chars, old.body_chars"


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"CREATE TRIGGER search_document_inserted AFTER INSERT ON {DOC_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES (new.page_id, {NEW}); END"
    )
    schema_editor.execute(
        f"CREATE TRIGGER search_document_deleted AFTER DELETE ON {DOC_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS}) VALUES ('delete', old.page_id, {OLD}); END"
    )
    schema_editor.execute(
        f"CREATE TRIGGER search_document_updated AFTER UPDATE ON {DOC_TABLE} BEGIN "
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {COLUMNS}) VALUES ('delete', old.page_id, {OLD}); "
        f"INSERT INTO {FTS_TABLE}(rowid, {COLUMNS}) VALUES (new.page_id, {NEW}); END"
    )
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("inserted", "deleted", "updated"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS search_document_{name}")


class Migration(migrations.Migration):
    dependencies = [("disclosure_search", "0002_index_generation")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
