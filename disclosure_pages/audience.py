"""The item editor's audience choosers (指定组织、用户组、人员): searched, never listed whole.

A province has ten thousand units, four groups each, and their people; a select listing them
all made every item editor megabytes long. The editor shows only what the item names
(``widgets.AudienceChooser``) and finds the rest here, a page of matches at a time, in the
manner of Django admin's autocomplete: ``?q=`` (any part of a name or code, typed in either
script), ``&page=``, and for units ``&locale=`` (the item's script).

What may be named is what the item's form field accepts (its model field's related objects),
so a search offers what the select used to list — except people: an editor finds the people
of their own units and the units below them (a township's officer, its villages' members), not
the names and account names of a whole province (superusers find everyone). Only people who may
add or edit pages — those who can open an item editor — may search.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path
from wagtail.models import Page
from wagtail.permissions import policy_registry

PAGE_SIZE = 20


@dataclass(frozen=True)
class AudienceSource:
    """One kind of audience an item names: its field, how it is searched, ordered and labelled."""

    key: str  # the URL's part and the widget's argument
    field: str  # the item's ParentalManyToManyField
    search_fields: tuple
    ordering: tuple
    label: Callable

    @property
    def model(self):
        from .models import DisclosureItemPage

        return DisclosureItemPage._meta.get_field(self.field).related_model

    def queryset(self, user):
        objects = self.model._default_manager.all()
        if self.key == "people" and not user.is_superuser:
            objects = objects.filter(groups__in=_groups_of_units_below(user)).distinct()
        return objects

    def search(self, query, user, locale=""):
        from chinese.conversion import convert

        objects = self.queryset(user)
        if self.key == "units" and locale:
            objects = objects.filter(locale__language_code=locale)
        query = query.strip()
        if query:
            # Names are stored in Simplified; an editor may type either script.
            match = Q()
            for text in {query, convert(query, "s2tw"), convert(query, "t2s")}:
                for name in self.search_fields:
                    match |= Q(**{f"{name}__icontains": text})
            objects = objects.filter(match)
        return objects.order_by(*self.ordering)


def _groups_of_units_below(user):
    """The groups of the units ``user`` manages and of every unit below them, in any script."""
    from .models import UnitPage
    from .permissions import units_managed_by

    below = Q(pk__in=[])
    for unit_path in units_managed_by(user).values_list("path", flat=True):
        below |= Q(path__startswith=unit_path)
    units = UnitPage.objects.filter(below)
    return Group.objects.filter(
        Q(pk__in=units.values("officers_group")) | Q(pk__in=units.values("leading_group"))
        | Q(pk__in=units.values("members_group")) | Q(pk__in=units.values("supervisors_group"))
    )


def _unit_label(unit):
    # Many branches share a name (第一党支部); the code tells them apart.
    return f"{unit.title}（{unit.code}）"


def _person_label(user):
    # Searched by the name people know them by, shown with the username the select showed.
    name = user.get_full_name().strip()
    return f"{name}（{user.get_username()}）" if name else user.get_username()


SOURCES = {
    source.key: source
    for source in (
        AudienceSource("units", "named_units", ("title", "short_name", "code"), ("path",), _unit_label),
        AudienceSource("groups", "named_groups", ("name",), ("name", "pk"), str),
        AudienceSource("people", "named_people", ("username", "first_name", "last_name"), ("username",), _person_label),
    )
}


def may_choose_audiences(user):
    """Those who can open an item editor: who may add or edit some page."""
    return policy_registry.get_by_type(Page).user_has_any_permission(user, {"add", "change"})


def audience_choices(request, source):
    """A page of the ``source``'s matches: ``{"results": [{"id", "text"}], "pagination": {"more"}}``."""
    if not may_choose_audiences(request.user):
        raise PermissionDenied
    source = SOURCES[source]
    page = request.GET.get("page", "1")
    page = int(page) if page.isdigit() and 0 < int(page) <= 10_000 else 1
    start = (page - 1) * PAGE_SIZE
    # One row more than a page says whether another page follows, without counting them all.
    found = list(source.search(request.GET.get("q", ""), request.user, request.GET.get("locale", ""))[start : start + PAGE_SIZE + 1])
    return JsonResponse(
        {
            "results": [{"id": obj.pk, "text": source.label(obj)} for obj in found[:PAGE_SIZE]],
            "pagination": {"more": len(found) > PAGE_SIZE},
        }
    )


def search_url_name(source):
    return f"disclosure_pages_audience_{source}"


urlpatterns = [
    path(f"audience/{key}/", audience_choices, {"source": key}, name=search_url_name(key)) for key in SOURCES
]
