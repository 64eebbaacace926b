"""An index of pages by depth, then path, on Wagtail's table.

Wagtail asks for a page's children as ``depth = d AND path LIKE 'parent%'``: the explorer, the
page chooser, the menus and the unit pages' listings, on every request. Its own path indexes
serve the ``LIKE`` alone, which under a county's page is the whole county (every page of a
province-sized county: 100,000 rows read to find the 66 units under it, 60–80 ms); with depth
first the children are one narrow range of this index (under a millisecond). ``path`` has the
C collation (Wagtail's ``db_collation``), so a plain B-tree serves the prefix ``LIKE``.

Run after Wagtail's migrations of ``wagtailcore_page`` (see 0008: SQLite rebuilds a table it alters).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure_pages", "0009_stage_deadline_days"), ("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS disclosure_pages_page_depth_path ON wagtailcore_page (depth, path)",
            reverse_sql="DROP INDEX IF EXISTS disclosure_pages_page_depth_path",
        )
    ]
