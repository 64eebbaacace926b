"""The item editor's audience choosers (指定组织、用户组、人员): searched, never listed whole.

A province has ten thousand units, four groups each, and their people; a select listing them
all made every item editor megabytes long. The editor shows only what the item names
(``widgets.AudienceChooser``) and finds the rest here, a page of matches at a time, in the
manner of Django admin's autocomplete: ``?q=`` (any part of a name or code, typed in either
script), ``&page=``, and for units ``&locale=`` (the item's script).

What may be named is what the item's form field accepts (its model field's related objects),
so a search offers exactly what the select used to list. Only people who may add or edit
pages — those who can open an item editor — may search.
"""

from collections.abc import Callable
from dataclasses import dataclass

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

    def queryset(self):
        return self.model._default_manager.all()

    def search(self, query, locale=""):
        from chinese.conversion import convert

        objects = self.queryset()
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
    found = list(source.search(request.GET.get("q", ""), request.GET.get("locale", ""))[start : start + PAGE_SIZE + 1])
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
