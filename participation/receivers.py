"""Participation listens to the domain's item change feed (disclosure_pages.changes): an opinion
on an item is public only while the item is. The receiver runs in the writer's transaction, so
no moment exists when an item is members-only and its opinions are still shown."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from disclosure_pages.changes import item_changes
from disclosure_pages.choices import Takedown
from disclosure_pages.visibility import PUBLIC


def item_is_public(state):
    return state is not None and state.live and state.audience == (PUBLIC,) and not state.people and state.takedown != Takedown.REMOVED


@receiver(item_changes, dispatch_uid="participation-item-audience")
def follow_item_audience(sender, changes, **kwargs):
    from .models import LedgerVersion, Opinion

    public, private = set(), set()
    for change in changes:
        (public if item_is_public(change.after) else private).add(change.translation_key)
    # Opinions point at an item in either script; both share the translation key.
    moved = 0
    if private:
        moved += Opinion.objects.filter(item__translation_key__in=private, item_public=True).update(item_public=False)
    if public:
        moved += Opinion.objects.filter(item__translation_key__in=public, item_public=False).update(item_public=True)
    if moved:
        LedgerVersion.move_on()


@receiver(post_save, sender="participation.Opinion", dispatch_uid="participation-ledger-version-opinion-saved")
@receiver(post_delete, sender="participation.Opinion", dispatch_uid="participation-ledger-version-opinion-deleted")
@receiver(post_save, sender="participation.Answer", dispatch_uid="participation-ledger-version-answer-saved")
@receiver(post_delete, sender="participation.Answer", dispatch_uid="participation-ledger-version-answer-deleted")
def move_ledger_version_on(sender, **kwargs):
    """The cached public figures (figures.py) are of the version before this change."""
    from .models import LedgerVersion

    LedgerVersion.move_on()
