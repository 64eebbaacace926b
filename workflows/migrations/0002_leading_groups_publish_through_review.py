"""Existing units: their leading groups no longer publish directly; publishing goes through the review.

New units get no publish permission (UnitPage._grant_page_permissions); this removes the
one already granted to the leading groups of units created before the review workflow.
"""

from django.db import migrations


def remove_direct_publish(apps, schema_editor):
    UnitPage = apps.get_model("disclosure_pages", "UnitPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    leading_groups = UnitPage.objects.exclude(leading_group=None).values("leading_group")
    GroupPagePermission.objects.filter(
        group__in=leading_groups, permission__codename="publish_page", permission__content_type__app_label="wagtailcore"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure_workflows", "0001_initial"),
        ("disclosure_pages", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(remove_direct_publish, migrations.RunPython.noop)]
