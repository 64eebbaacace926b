"""Recreate the index of pages with children where a later Wagtail migration dropped it.

On SQLite, Django alters a table by rebuilding it, which loses indexes it does not know
about; 0002 ran before Wagtail's later migrations of ``wagtailcore_page``. This one runs
after them all.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure_api", "0002_index_pages_with_children"), ("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS disclosure_api_pages_with_children ON wagtailcore_page (id) WHERE numchild > 0",
            reverse_sql=migrations.RunSQL.noop,
        )
    ]
