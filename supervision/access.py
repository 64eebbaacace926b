"""Who may do what in supervision. One place, asked by the admin, the portal and the templates.

- The county office (the county unit's officers and leading group) sets the rules, sees the
  督办 board and every unit's obligations, chases, runs evaluation rounds, records findings
  and reads every scorecard.
- A unit's officers and leading group see their unit's obligations, chases and inspection
  notes, and answer the notes (``reach.manages_unit``).
- A unit's supervisors (监督员, its supervisors group) see that unit's work and file
  inspection notes on it; nothing of any other unit.
- A unit's members and supervisors vote in its evaluation rounds, once each.
"""

from wagtail.models import Locale

from disclosure_pages.models import UnitPage
from workflows.units import in_group, reach_of


def is_active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_county_office(user):
    return is_active(user) and reach_of(user).sees_everything


def manages(user, unit):
    return is_active(user) and reach_of(user).manages_unit(unit)


def sees_unit(user, unit):
    """The unit's obligations, chases and inspection notes: county office, the unit's own people, its supervisors."""
    return is_active(user) and (reach_of(user).sees_unit(unit) or supervises(user, unit))


def supervises(user, unit):
    return is_active(user) and in_group(user, unit.supervisors_group)


def supervised_units(user):
    """The units (default locale) whose supervisors group ``user`` is in."""
    if not is_active(user):
        return UnitPage.objects.none()
    return _default_units().filter(supervisors_group__in=group_ids(user)).order_by("path")


def voting_units(user):
    """The units ``user`` votes for in evaluation: those whose members or supervisors group they are in."""
    if not is_active(user):
        return UnitPage.objects.none()
    groups = group_ids(user)
    from django.db.models import Q

    return _default_units().filter(Q(members_group__in=groups) | Q(supervisors_group__in=groups)).order_by("path")


def group_ids(user):
    """The ids of ``user``'s groups, as values: as a subquery (OR-ed, with DISTINCT) PostgreSQL reads
    every page of a province-sized county to find a user's few units."""
    return list(user.groups.values_list("pk", flat=True))


def _default_units():
    return UnitPage.objects.filter(locale=Locale.get_default())
