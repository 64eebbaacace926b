"""Keep groups and view restrictions right as the unit tree changes."""

from django.contrib.auth.models import Group
from django.db.models import Q
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from .changes import announce, audience_updates, change_of, states_of
from .choices import Scope
from .membership import ALL_MEMBERS_GROUP_NAME, all_members_group, sync_all_members
from .models import DisclosureItemPage, UnitPage


def _add_group_to_items(group, items):
    """Let ``group`` view ``items`` (bulk: a new unit joins every all-members item at once)."""
    through = PageViewRestriction.groups.through
    restriction_ids = PageViewRestriction.objects.filter(
        page__in=items.values("pk"), restriction_type=PageViewRestriction.GROUPS
    ).values_list("pk", flat=True)
    through.objects.bulk_create(
        [through(pageviewrestriction_id=pk, group_id=group.pk) for pk in restriction_ids], ignore_conflicts=True
    )


def _items_scoped_to_units(units):
    """Unit-scoped items of ``units``, in every script (a variant shares its source's audience)."""
    return DisclosureItemPage.objects.filter(scope=Scope.UNIT_MEMBERS, unit__translation_key__in=units.values("translation_key"))


@receiver(post_save, sender=UnitPage)
def unit_created(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.members_group is None:
        return
    items = _items_scoped_to_units(UnitPage.objects.ancestor_of(instance))
    with audience_updates(items.defer_streamfields()):
        _add_group_to_items(instance.members_group, items)


@receiver(post_page_move)
def page_moved_handler(sender, instance, parent_page_before, parent_page_after, **kwargs):
    page = instance.specific
    if isinstance(page, DisclosureItemPage):
        # The unit is the parent: a full save refreshes it and the unit-scoped audience.
        # The move is already committed, so the audience must follow whatever the item's
        # fields say; validation (e.g. a local catalogue entry of the old unit) is for the
        # next edit, and must not leave the item guarded for the old unit's members.
        DisclosureItemPage.objects.get(pk=page.pk).save(clean=False)
    elif isinstance(page, UnitPage):
        affected = UnitPage.objects.filter(
            Q(pk__in=UnitPage.objects.ancestor_of(parent_page_before, inclusive=True).values("pk"))
            | Q(pk__in=UnitPage.objects.ancestor_of(parent_page_after, inclusive=True).values("pk"))
        )
        items = list(_items_scoped_to_units(affected).defer_streamfields())
        with audience_updates(items):
            for item in items:
                item.apply_scope()


@receiver(post_delete, sender=UnitPage)
def unit_deleted(sender, instance, **kwargs):
    """Delete the unit's groups, unless another unit page (its translation) still uses them."""
    former_members = list(instance.members_group.user_set.values_list("pk", flat=True)) if instance.members_group else []
    for group in instance.groups():
        still_used = UnitPage.objects.filter(
            Q(officers_group=group) | Q(leading_group=group) | Q(members_group=group) | Q(supervisors_group=group)
        ).exists()
        if not still_used:
            Group.objects.filter(pk=group.pk).delete()
    sync_all_members(former_members)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def membership_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Keep 全体党员 in step when users join or leave a unit's members group."""
    if action == "pre_clear":
        instance._members_before_clear = (
            set(instance.user_set.values_list("pk", flat=True)) if reverse else {instance.pk}
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.user_set changed
        if instance.name == ALL_MEMBERS_GROUP_NAME:
            return
        user_ids = pk_set if action != "post_clear" else getattr(instance, "_members_before_clear", set())
    else:  # user.groups changed
        if pk_set is not None and all_members_group().pk in pk_set and len(pk_set) == 1:
            return
        user_ids = {instance.pk}
    sync_all_members(user_ids)


@receiver(pre_delete, sender=DisclosureItemPage)
def item_deleting(sender, instance, **kwargs):
    # Before any row goes (Django sends every pre_delete first): the view restrictions and
    # the item's own group still say who had it.
    announce([change_of(instance, states_of([instance])[instance.pk], None)], [instance])


@receiver(post_delete, sender=DisclosureItemPage)
def item_deleted(sender, instance, **kwargs):
    if instance.audience_group_id:
        Group.objects.filter(pk=instance.audience_group_id).delete()
