"""The index of pages with children (units and the portal, not items), on Wagtail's table.

``visibility.visible_pages`` asks on every query which restricted pages have children (a
restricted section hides everything below it). Without this index that is a join over every
view restriction — one per members-only item, thousands in a county — on every request; with
it, a look at the few hundred pages that have children. Partial indexes work in SQLite and
PostgreSQL alike.

It was made by the API's migrations (``disclosure_api`` 0002 and 0003, now empty) under the
name it keeps here: on a database that has it, ``IF NOT EXISTS`` makes this a no-op. Run after
Wagtail's migrations of ``wagtailcore_page``: on SQLite, Django alters a table by rebuilding
it, which loses indexes it does not know about.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure_pages", "0007_pending_item_change"), ("wagtailcore", "0098_apitoken")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS disclosure_api_pages_with_children ON wagtailcore_page (id) WHERE numchild > 0",
            reverse_sql="DROP INDEX IF EXISTS disclosure_api_pages_with_children",
        )
    ]
