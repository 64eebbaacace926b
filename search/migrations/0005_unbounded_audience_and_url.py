"""The audience and URL of a document as text without a length limit.

An item disclosed to all party members names every unit's group: in a county of 239 units
its audience is 2,000 characters, which PostgreSQL refused in a varchar(500) (SQLite never
checks lengths). Altered in place on PostgreSQL only: on SQLite, Django would rebuild the
table and drop the triggers that keep the FTS5 index in step (0003).
"""

from django.db import migrations, models

DOC_TABLE = "disclosure_search_searchdocument"


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE {DOC_TABLE} ALTER COLUMN "audience" TYPE text, ALTER COLUMN "url" TYPE text')


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'ALTER TABLE {DOC_TABLE} ALTER COLUMN "audience" TYPE varchar(500), ALTER COLUMN "url" TYPE varchar(500)'
        )


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure_search", "0004_change_numbers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="searchdocument", name="audience", field=models.TextField()),
                migrations.AlterField(model_name="searchdocument", name="url", field=models.TextField()),
            ],
            database_operations=[migrations.RunPython(widen, narrow)],
        ),
    ]
