"""An index of the pages with children (units and the portal, not items), on Wagtail's table.

``visible_pages`` asks on every query which restricted pages have children (a restricted
section hides everything below it). Without this index that is a join over every view
restriction — one per members-only item, thousands in a county — on every API request; with
it, a look at the few hundred pages that have children. Partial indexes work in SQLite and
PostgreSQL alike.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("disclosure_api", "0001_initial"), ("wagtailcore", "0001_initial")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX disclosure_api_pages_with_children ON wagtailcore_page (id) WHERE numchild > 0",
            reverse_sql="DROP INDEX disclosure_api_pages_with_children",
        )
    ]
