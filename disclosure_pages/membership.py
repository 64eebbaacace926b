"""全体党员: one group holding every member of any unit, kept in step with unit membership.

Items disclosed to all party members are restricted to this one group, so their view
restriction stays one row however many units the county has.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

ALL_MEMBERS_GROUP_NAME = "全体党员"


def all_members_group():
    group, _ = Group.objects.get_or_create(name=ALL_MEMBERS_GROUP_NAME)
    return group


def unit_members_group_ids():
    from .models import UnitPage

    return UnitPage.objects.exclude(members_group=None).values("members_group")


def sync_all_members(user_ids):
    """Put exactly those of ``user_ids`` who belong to some unit's members group in 全体党员."""
    user_ids = set(user_ids)
    if not user_ids:
        return
    group = all_members_group()
    User = get_user_model()
    members = set(
        User.objects.filter(pk__in=user_ids, groups__in=unit_members_group_ids()).values_list("pk", flat=True).distinct()
    )
    current = set(group.user_set.filter(pk__in=user_ids).values_list("pk", flat=True))
    if members - current:
        group.user_set.add(*(members - current))
    if (user_ids - members) & current:
        group.user_set.remove(*((user_ids - members) & current))
