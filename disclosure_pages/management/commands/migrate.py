"""Django's ``migrate``, first carrying a database over to the apps' current labels.

``importer`` and ``workflows`` were labelled after their modules, generic names a county's own
site may use too; they are now ``disclosure_importer`` and ``disclosure_workflows``. Their tables
keep their names (``db_table``), so a database migrated before the change only needs its
records of applied migrations and its content types (which permissions and Wagtail's tasks point
to) under the new labels. Done before the migration plan is made, since the plan reads those
records; nothing to do on a new database or one already carried over.
"""

from django.apps import apps
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

RELABELLED = {"importer": "disclosure_importer", "workflows": "disclosure_workflows"}


def carry_over_relabelled_apps(connection):
    """Move the old labels' migration records and content types to the new labels; returns the labels moved."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    ContentType = apps.get_model("contenttypes", "ContentType")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    moved = []
    for old, new in RELABELLED.items():
        ours = {name for label, name in loader.disk_migrations if label == new}
        records = recorder.migration_qs.filter(app=old, name__in=ours)
        # Another app of the site may carry the old label: only records of our migrations move.
        if not records.exists() or recorder.migration_qs.filter(app=new).exists():
            continue
        records.update(app=new)
        models = [model._meta.model_name for model in apps.get_app_config(new).get_models()]
        if "django_content_type" in connection.introspection.table_names():
            ContentType.objects.using(connection.alias).filter(app_label=old, model__in=models).update(app_label=new)
        moved.append(old)
    return moved


class Command(MigrateCommand):
    def handle(self, *args, **options):
        for old in carry_over_relabelled_apps(connections[options["database"]]):
            self.stdout.write(f"Carried app {old} over to its label {RELABELLED[old]}.")
        return super().handle(*args, **options)
