"""Who may do what with opinions. One place, asked by the admin views, the API and the templates.

- A unit's officers and leading group handle the opinions of their unit (``reach.manages_unit``):
  moderate, assign within the unit, answer, close, enter offline opinions, read contacts.
- The county office sees every unit's opinions, assigns with deadlines, transfers anywhere
  in its county and approves the answers to important opinions; it reads contacts only of
  opinions its own unit handles.
- The handling unit's leading group approves answers, never one its member wrote (four-eyes).
"""

from disclosure_pages.choices import UnitType
from disclosure_pages.models import UnitPage
from workflows.units import in_group, reach_of


def sees(user, opinion):
    return bool(user.is_authenticated and user.is_active) and reach_of(user).sees_unit(opinion.unit)


def handles(user, opinion):
    return bool(user.is_authenticated and user.is_active) and reach_of(user).manages_unit(opinion.unit)


def is_county_office(user):
    return bool(user.is_authenticated and user.is_active) and reach_of(user).sees_everything


def reads_contact(user, opinion):
    """Only the handling unit's officers (and superusers) read who wrote an opinion and how to reach them."""
    return handles(user, opinion)


def approves_for_unit(user, unit):
    return user.is_active and (user.is_superuser or in_group(user, unit.leading_group))


def approves_for_county(user, unit):
    county = county_of(unit)
    return user.is_active and (user.is_superuser or (county is not None and in_group(user, county.leading_group)))


def county_of(unit):
    return UnitPage.objects.ancestor_of(unit, inclusive=True).filter(unit_type=UnitType.COUNTY).order_by("-depth").first()


def visible_opinions(user, queryset=None):
    """The opinions ``user`` may see in the admin: their units' (everything for the county office)."""
    from .models import Opinion

    queryset = Opinion.objects.all() if queryset is None else queryset
    reach = reach_of(user)
    if reach.sees_everything:
        return queryset
    return queryset.filter(unit_id__in=list(reach.managed))


def transfer_targets(user, opinion):
    """Units an opinion may be transferred to (转办): the handling unit's parent and children;
    the county office may send it to any unit of the county."""
    unit = opinion.unit
    if is_county_office(user):
        county = county_of(unit)
        units = UnitPage.objects.descendant_of(county, inclusive=True) if county else UnitPage.objects.none()
    else:
        parent = UnitPage.objects.filter(path=unit.path[: -unit.steplen])
        units = UnitPage.objects.child_of(unit) | parent
    return units.filter(locale_id=unit.locale_id).exclude(pk=unit.pk).live().order_by("path")


def assignable_people(unit):
    """Who an opinion of ``unit`` may be assigned to: the unit's officers and leading group."""
    from django.contrib.auth import get_user_model

    groups = [group for group in (unit.officers_group, unit.leading_group) if group is not None]
    return get_user_model().objects.filter(groups__in=groups, is_active=True).distinct().order_by("username")
