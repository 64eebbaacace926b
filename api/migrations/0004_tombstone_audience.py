"""Tombstones say who could read the item when it left, so that a sync tells only them.

Earlier tombstones knew only whether the public could: those keep reaching everyone; the
others (members-only items) reach nobody from now on rather than every member.
"""

from django.db import migrations, models


def public_audience(apps, schema_editor):
    Tombstone = apps.get_model("disclosure_api", "Tombstone")
    Tombstone.objects.filter(was_public=True).update(audience=" public ")


class Migration(migrations.Migration):
    dependencies = [("disclosure_api", "0003_index_pages_with_children_again")]

    operations = [
        migrations.AddField(model_name="tombstone", name="audience", field=models.TextField(blank=True, default="")),
        migrations.RunPython(public_audience, migrations.RunPython.noop),
    ]
