"""Publishing a variant page from the object it was just built from."""

from wagtail.actions.base import BaseAction
from wagtail.actions.publish_page_revision import PublishPageRevisionAction
from wagtail.permissions import policy_registry


class PublishVariantRevisionAction(PublishPageRevisionAction):
    """Wagtail's publish of a page revision, given the page the revision was saved from.

    The stock action rebuilds the page from the revision (``revision.as_object()``: the
    page fetched again and its content deserialised, a few milliseconds for a long item).
    The sync has just saved ``revision`` from ``page`` in the same transaction, so the two
    hold the same content; everything else — validation in the full save, live state,
    timestamps, signals, the log entry, aliases — is Wagtail's own code.
    """

    def __init__(self, revision, page, user=None, changed=True, log_action=True, previous_revision=None):
        # PublishRevisionAction.__init__ without its as_object() call.
        BaseAction.__init__(self, page, user=user)
        self.revision = revision
        self.object = page
        self.permission_policy = policy_registry.get(page)
        self.changed = changed
        self.log_action = log_action
        self.previous_revision = previous_revision
