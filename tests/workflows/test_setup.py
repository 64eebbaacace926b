"""One review workflow for the whole portal, created with the portal and after migrate."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import TestCase
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

from tests.factories import build_tree, make_item, reload
from workflows.models import CountyReviewTask, UnitApprovalTask
from workflows.setup import ensure_disclosure_workflow
from workflows.signals import attach_workflow_to_existing_portals


class SetupTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.t = build_tree()

    def test_the_portal_gets_the_two_tier_workflow_and_every_unit_uses_it(self):
        workflow = WorkflowPage.objects.get(page=self.t.portal).workflow
        self.assertEqual(
            [type(task.specific) for task in workflow.tasks], [UnitApprovalTask, CountyReviewTask]
        )
        draft = make_item(self.t.village1, "东关村草稿", publish=False)
        for page in (self.t.county, self.t.township, self.t.village2, draft):
            self.assertEqual(page.get_workflow(), workflow)

    def test_setting_up_again_changes_nothing(self):
        workflow = ensure_disclosure_workflow(reload(self.t.portal))
        attach_workflow_to_existing_portals(sender=None)
        self.assertEqual(Workflow.objects.filter(workflow_tasks__task__in=UnitApprovalTask.objects.all()).count(), 1)
        self.assertEqual(UnitApprovalTask.objects.count(), 1)
        self.assertEqual(CountyReviewTask.objects.count(), 1)
        self.assertEqual(WorkflowPage.objects.get(page=self.t.portal).workflow, workflow)

    def test_after_migrate_an_existing_portal_without_the_workflow_gets_it(self):
        WorkflowPage.objects.all().delete()
        attach_workflow_to_existing_portals(sender=None)
        self.assertTrue(WorkflowPage.objects.filter(page=self.t.portal).exists())

    def test_the_data_migration_takes_direct_publishing_from_existing_leading_groups(self):
        township = reload(self.t.township)
        publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
        GroupPagePermission.objects.create(group=township.leading_group, page=township, permission=publish)
        # Wagtail's own group, as its migrations make it (made here: a flushing test may have run before).
        moderators_group = Group.objects.get_or_create(name="Moderators")[0]
        GroupPagePermission.objects.get_or_create(group=moderators_group, page=Page.get_first_root_node(), permission=publish)
        migration = importlib.import_module("workflows.migrations.0002_leading_groups_publish_through_review")
        migration.remove_direct_publish(apps, None)
        self.assertFalse(GroupPagePermission.objects.filter(group=township.leading_group, permission=publish).exists())
        moderators = GroupPagePermission.objects.filter(group__name="Moderators", permission=publish)
        self.assertTrue(moderators.exists())  # Wagtail's own groups are not the units'; left alone
