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


def handled_units(user):
    """The units whose opinions ``user`` handles (enters offline opinions for): every unit for a superuser."""
    from wagtail.models import Locale

    reach = reach_of(user)
    units = UnitPage.objects.filter(locale=Locale.get_default()).live().order_by("path")
    return units if reach.everything else units.filter(pk__in=list(reach.managed))


def works_on_opinions(user):
    """Who the 意见办理 admin is for: a unit's officers or leading group, the county office, superusers."""
    if not (user.is_authenticated and user.is_active):
        return False
    reach = reach_of(user)
    return reach.everything or bool(reach.managed)


def answers_awaiting(user):
    """Answers waiting on ``user``'s approval: at the unit tier, of units whose leading group they are in
    (never an answer they wrote or approved already); at the county tier, of the units of counties whose leading group they are in."""
    from django.db.models import Q

    from .choices import AnswerStatus
    from .models import Answer

    pending = Answer.objects.filter(status__in=[AnswerStatus.PENDING_UNIT, AnswerStatus.PENDING_COUNTY])
    if not (user.is_authenticated and user.is_active):
        return pending.none()
    if user.is_superuser:
        return pending
    group_ids = list(user.groups.values_list("pk", flat=True))
    led = UnitPage.objects.filter(leading_group__in=group_ids)
    counties = [unit for unit in led if unit.unit_type == UnitType.COUNTY]
    county_tier = Q()
    for county in counties:
        county_tier |= Q(opinion__unit__path__startswith=county.path)
    condition = Q(status=AnswerStatus.PENDING_UNIT, opinion__unit__in=led)
    if counties:
        condition |= Q(status=AnswerStatus.PENDING_COUNTY) & county_tier
    return pending.filter(condition).exclude(author=user).exclude(unit_approver=user)
