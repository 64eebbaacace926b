"""Change numbers: the facet columns held in memory catch up by reading only what changed.

The document column is added with ALTER TABLE on every database: on SQLite, Django would
rebuild the table instead, dropping the triggers that keep the FTS5 index in step (0003).
"""

from django.db import migrations, models

DOC_TABLE = "disclosure_search_searchdocument"


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure_search", "0003_fts_triggers"),
    ]

    operations = [
        migrations.AddField(
            model_name="indexgeneration",
            name="change",
            field=models.BigIntegerField(default=0),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchdocument",
                    name="change",
                    field=models.BigIntegerField(db_index=True, default=0),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [
                        f'ALTER TABLE {DOC_TABLE} ADD COLUMN "change" bigint NOT NULL DEFAULT 0',
                        f'CREATE INDEX disclosure_search_searchdocument_change_d0ab40da ON {DOC_TABLE} ("change")',
                    ],
                    [
                        "DROP INDEX disclosure_search_searchdocument_change_d0ab40da",
                        f'ALTER TABLE {DOC_TABLE} DROP COLUMN "change"',
                    ],
                ),
            ],
        ),
    ]
