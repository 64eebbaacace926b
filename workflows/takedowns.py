"""Taking a public item down (撤回/撤除), and putting it back, through the review workflow.

An officer asks for it with a reason (``views.TakedownRequestView``): a new revision of the
live item is saved with the takedown fields set and submitted to the same workflow as any
change, so the same tiers approve it (the unit's leading group; the county when the item
needs it) and four-eyes applies. Nothing changes on the public site until the last
required tier approves and the revision is published. ``disclosure_pages`` then does the
rest: a withdrawn item keeps answering, marked; a removed one answers 410 Gone or
redirects to its replacement; the other-script variant follows on publication.

The audit log records the request (``sunshine.takedown.requested``) and the moment it takes
effect (``sunshine.takedown.withdrawn`` / ``.removed`` / ``.restored``), however the
revision came to be published.
"""

from dataclasses import dataclass

from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import PageLogEntry, TaskState

from disclosure_pages.choices import Takedown
from disclosure_pages.models import DisclosureItemPage

from .drafts import latest_values

REQUESTED = "sunshine.takedown.requested"
TOOK_EFFECT = {
    Takedown.WITHDRAWN: "sunshine.takedown.withdrawn",
    Takedown.REMOVED: "sunshine.takedown.removed",
    Takedown.NONE: "sunshine.takedown.restored",
}
# What an officer may ask for, as offered in the request form.
REQUEST_LABELS = {
    Takedown.WITHDRAWN: "撤回：网址保留，页面顶部标注“已撤回”及日期和原因，不再列入最新公开和订阅",
    Takedown.REMOVED: "撤除：页面不再公开（显示“已撤除”或跳转到替代事项），从所有列表、订阅和网站地图中移除，附件不再提供下载",
    Takedown.NONE: "恢复公开：取消撤回或撤除，恢复正常公开",
}
VERBS = {Takedown.WITHDRAWN: "撤回", Takedown.REMOVED: "撤除", Takedown.NONE: "恢复公开"}


@dataclass
class TakedownChange:
    """A takedown waiting in the submitted revision: what it asks for and why."""

    kind: str
    reason: str
    replacement: DisclosureItemPage | None

    @property
    def verb(self):
        return VERBS[self.kind]


def pending_takedown(page):
    """The takedown the latest revision of ``page`` would bring on publication, or ``None``."""
    if not isinstance(page, DisclosureItemPage) or not page.pk or not page.live:
        return None
    draft = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
    live = DisclosureItemPage.objects.filter(pk=page.pk).values_list("takedown", flat=True).first()
    if draft.takedown == live:
        return None
    return TakedownChange(draft.takedown, draft.takedown_reason, draft.replacement if draft.replacement_id else None)


def pending_takedowns(page_ids):
    """``pending_takedown`` of many pages in a fixed number of queries: {page pk: TakedownChange}
    of those whose latest version brings one."""
    items = list(DisclosureItemPage.objects.filter(pk__in=page_ids, live=True).defer_streamfields())
    latest = latest_values(items, ["takedown", "takedown_reason", "replacement"])
    asked = {item.pk: latest[item.pk] for item in items if latest[item.pk]["takedown"] != item.takedown}
    replacements = DisclosureItemPage.objects.defer_streamfields().in_bulk({draft["replacement"] for draft in asked.values()} - {None})
    return {
        pk: TakedownChange(draft["takedown"], draft["takedown_reason"], replacements.get(draft["replacement"]))
        for pk, draft in asked.items()
    }


def log_data(item):
    replacement = item.replacement if item.replacement_id else None
    return {
        "kind": item.takedown,
        "reason": item.takedown_reason,
        "date": item.takedown_date.isoformat() if item.takedown_date else None,
        "replacement": {"id": replacement.pk, "title": replacement.title} if replacement else None,
    }


@transaction.atomic
def request_takedown(item, user, kind, reason, replacement=None):
    """Save a revision of the live ``item`` with the takedown set and submit it for review.

    The revision is made from the live content, not from an unpublished draft: approvers
    approve the takedown they were asked for, not edits that came along with it (an earlier
    draft stays in the revision history). Returns ``None`` when another submission got there
    first; raises ``ValidationError`` if the live content no longer passes the item's validation.
    """
    live = DisclosureItemPage.objects.select_for_update().get(pk=item.pk)
    if live.workflow_in_progress:
        return None  # two requests at once: the second waited on the lock and finds the first
    live.takedown = kind
    live.takedown_reason = reason if kind != Takedown.NONE else ""
    live.replacement = replacement if kind == Takedown.REMOVED else None
    live.takedown_date = None  # set on publication: the day it takes effect
    revision = live.save_revision(user=user, log_action=True)
    log(
        instance=live,
        action=REQUESTED,
        user=user,
        revision=revision,
        data={**log_data(live), "reason": reason},
    )
    live.get_workflow().start(live, user)
    return live


def remember_takedown_before_save(item):
    """Note the stored takedown before a full save, to tell afterwards whether publishing changed it."""
    item._sunshine_takedown_before = (
        DisclosureItemPage.objects.filter(pk=item.pk).values_list("takedown", flat=True).first() if item.pk else None
    )


def log_takedown_taking_effect(item, revision=None):
    """On publication: log the takedown (or restoration) that this publication brought into effect."""
    before = getattr(item, "_sunshine_takedown_before", None)
    if before is None or before == item.takedown:
        return
    # Logged on the page it was requested for; its variant in the other script, published
    # along with it, needs no entry of its own in the review record.
    if not PageLogEntry.objects.filter(page_id=item.pk, action=REQUESTED).exists():
        return
    log(
        instance=item,
        action=TOOK_EFFECT[Takedown(item.takedown)],
        user=_who_made_it_effective(revision),
        revision=revision,
        data=log_data(item),
    )
    item._sunshine_takedown_before = item.takedown


def _who_made_it_effective(revision):
    """The approver whose approval completed the review of ``revision``; else whoever saved it."""
    if revision is None:
        return None
    last_approval = (
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED).order_by("-finished_at").first()
    )
    return last_approval.finished_by if last_approval is not None else revision.user
