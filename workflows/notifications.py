"""Chinese email notifications (sent through Django's email backend).

- a tier starts → its approvers (the resolved leading group, never the submitter);
- the review finishes or an item is sent back → the submitter: these are Wagtail's own
  workflow notifications, in Chinese through the templates in
  ``templates/wagtailadmin/notifications/workflow_state_{approved,rejected}*``.

Recipients with no email address or who turned the notification off in their Wagtail
account settings get nothing, as with Wagtail's notifications.
"""

from django.dispatch import receiver
from wagtail.admin.mail import EmailNotificationMixin, Notifier
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from .units import active_members


class ReviewTaskSubmittedNotifier(EmailNotificationMixin, Notifier):
    """Tells a tier's approvers that an item is waiting for them."""

    notification = "submitted"

    def __init__(self):
        super().__init__((TaskState,))

    def can_handle(self, instance, **kwargs):
        from .models import DisclosureReviewTask

        task = instance.task.specific
        return (
            isinstance(task, DisclosureReviewTask)
            and instance.status == TaskState.STATUS_IN_PROGRESS
        )

    def get_recipient_users(self, task_state, **kwargs):
        task = task_state.task.specific
        page = task_state.workflow_state.content_object
        requester = task_state.workflow_state.requested_by
        recipients = active_members(task.approvers_group(page), exclude=requester)
        triggering_user = kwargs.get("user")
        if triggering_user is not None:
            recipients = recipients.exclude(pk=triggering_user.pk)
        return set(recipients)

    def get_template_set(self, instance, **kwargs):
        base = "workflows/notifications/review_task_submitted"
        return {"subject": base + "_subject.txt", "text": base + ".txt", "html": base + ".html"}

    def get_context(self, task_state, **kwargs):
        from .takedowns import pending_takedown
        from .units import owning_unit

        context = super().get_context(task_state, **kwargs)
        page = task_state.workflow_state.content_object
        context.update(
            task=task_state.task.specific,
            task_state=task_state,
            page=task_state.revision.as_object(),
            unit=owning_unit(page),
            requested_by=task_state.workflow_state.requested_by,
            required_because=getattr(task_state, "required_because", ""),
            takedown=pending_takedown(page.specific),
        )
        return context


notify_approvers = ReviewTaskSubmittedNotifier()


@receiver(task_submitted, dispatch_uid="workflows_notify_approvers")
def task_submitted_handler(sender, instance, user=None, **kwargs):
    notify_approvers(instance=instance, user=user)
