"""What happens when the last required tier approves: the approved revision is published.

Wired through ``WAGTAIL_FINISH_WORKFLOW_ACTION``. Wagtail's default publishes as the last
approver and checks that they hold the publish permission; here nobody below the
superusers holds it (all publishing goes through the review), so the completed review is
the permission. ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` guarantees that every
required tier approved this very revision.

Wagtail imports this module while its own models load: no model imports at module level.
"""


def publish_approved_revision(workflow_state, user=None):
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
