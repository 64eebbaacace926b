"""Every portal gets the review workflow as it is created (existing ones after ``migrate``); a takedown
taking effect on publication is logged."""

from django.db.models.signals import post_migrate, post_save, pre_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published

from disclosure_pages.models import DisclosureItemPage, PortalPage

from .models import restart_if_changed
from .notifications import notify_approvers  # noqa: F401  (connects the notification receivers)
from .setup import ensure_disclosure_workflow
from .takedowns import log_takedown_taking_effect, remember_takedown_before_save


@receiver(post_save, sender=PortalPage)
def portal_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_disclosure_workflow(instance)


def attach_workflow_to_existing_portals(sender, **kwargs):
    for portal in PortalPage.objects.all():
        ensure_disclosure_workflow(portal)


def connect_post_migrate(app_config):
    post_migrate.connect(attach_workflow_to_existing_portals, sender=app_config, dispatch_uid="workflows_attach_portals")


@receiver(pre_save, sender=DisclosureItemPage, dispatch_uid="workflows_takedown_before_save")
def takedown_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    # Only full saves publish; draft revisions save a few bookkeeping fields.
    if not raw and update_fields is None:
        remember_takedown_before_save(instance)


@receiver(page_published, dispatch_uid="workflows_takedown_took_effect")
def takedown_took_effect(sender, instance, revision=None, **kwargs):
    if isinstance(instance, DisclosureItemPage):
        log_takedown_taking_effect(instance, revision)


@receiver(post_save, dispatch_uid="workflows_restart_review_after_edit")
def restart_review_after_edit(sender, instance, raw=False, update_fields=None, **kwargs):
    # ``save_revision`` ends with this save, on every path that writes a revision (editor,
    # autosave, code): the one place to see that the content under review changed.
    if raw or not isinstance(instance, Page) or not update_fields or "latest_revision" not in update_fields:
        return
    restart_if_changed(instance, user=instance.latest_revision.user if instance.latest_revision_id else None)
