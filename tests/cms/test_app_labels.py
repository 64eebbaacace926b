"""The apps' labels are unique to the plugin, and a database migrated under the old labels carries over."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test import TestCase

from disclosure_pages.management.commands.migrate import RELABELLED, carry_over_relabelled_apps

PLUGIN_APPS = ["disclosure_pages", "workflows", "search", "importer", "script_variants", "api"]
# Labels of apps a county's site commonly has (wagtail start's search, Django's own) or may have.
GENERIC = {"search", "api", "importer", "workflows", "home", "pages", "core", "blog", "documents"}


class AppLabelTests(TestCase):
    def test_no_plugin_app_has_a_generic_label(self):
        labels = {config.name: config.label for config in apps.get_app_configs()}
        for name in PLUGIN_APPS:
            self.assertNotIn(labels[name], GENERIC, name)

    def test_tables_keep_their_names(self):
        self.assertEqual(apps.get_model("disclosure_workflows", "UnitApprovalTask")._meta.db_table, "workflows_unitapprovaltask")
        self.assertEqual(apps.get_model("disclosure_importer", "ImportedDocument")._meta.db_table, "importer_importeddocument")

    def test_a_database_migrated_under_the_old_labels_is_carried_over(self):
        recorder = MigrationRecorder(connection)
        for old, new in RELABELLED.items():
            recorder.migration_qs.filter(app=new).update(app=old)
            ContentType.objects.filter(app_label=new).update(app_label=old)
        ContentType.objects.clear_cache()
        # Under the old labels the plan would create the apps' tables again.
        self.assertTrue(MigrationExecutor(connection).migration_plan(MigrationExecutor(connection).loader.graph.leaf_nodes()))

        self.assertEqual(sorted(carry_over_relabelled_apps(connection)), sorted(RELABELLED))

        executor = MigrationExecutor(connection)
        self.assertEqual(executor.migration_plan(executor.loader.graph.leaf_nodes()), [])
        ContentType.objects.clear_cache()
        task_type = ContentType.objects.get_for_model(apps.get_model("disclosure_workflows", "UnitApprovalTask"))
        self.assertEqual(task_type.app_label, "disclosure_workflows")
        self.assertFalse(ContentType.objects.filter(app_label__in=list(RELABELLED)).exists())
        # Done once: a second run finds nothing to move.
        self.assertEqual(carry_over_relabelled_apps(connection), [])
