"""Every portal gets the review workflow as it is created (existing ones after ``migrate``); the demo gets review items."""

from django.db.models.signals import post_migrate, post_save
from django.dispatch import receiver

from disclosure_pages.demo.builder import demo_county_built
from disclosure_pages.models import PortalPage

from .notifications import notify_approvers  # noqa: F401  (connects the notification receivers)
from .setup import ensure_disclosure_workflow


@receiver(post_save, sender=PortalPage)
def portal_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_disclosure_workflow(instance)


def attach_workflow_to_existing_portals(sender, **kwargs):
    for portal in PortalPage.objects.all():
        ensure_disclosure_workflow(portal)


def connect_post_migrate(app_config):
    post_migrate.connect(attach_workflow_to_existing_portals, sender=app_config, dispatch_uid="workflows_attach_portals")


@receiver(demo_county_built, dispatch_uid="workflows_review_demo")
def add_review_demo(sender, builder, **kwargs):
    from .demo import seed_review_demo

    seed_review_demo(log=builder.log)
