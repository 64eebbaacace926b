"""The names the system knows, for the conversion layer (``chinese.conversion.KnownNames``).

People: every user's name (officers, leading-group members and supervisors are users in the
units' groups) and each unit's contact person; places: each unit's name and short name.
Read once and kept in the cache until a user or a unit is saved or deleted.
"""

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from chinese.conversion import KnownNames
from disclosure_pages.models import UnitPage

CACHE_KEY = "script_variants:known-names"


def _read():
    people = set()
    for first, last in get_user_model().objects.values_list("first_name", "last_name"):
        # Chinese names are kept whole in one field (the demo's first_name) or split, surname last_name.
        people.update(name for name in (first.strip(), last.strip() + first.strip()) if len(name) > 1)
    places = set()
    for title, short_name, contact in UnitPage.objects.values_list("title", "short_name", "contact_person"):
        places.update(name for name in (title, short_name) if name)
        if len(contact.strip()) > 1:
            people.add(contact.strip())
    return KnownNames(frozenset(people), frozenset(places))


def known_names():
    return cache.get_or_set(CACHE_KEY, _read, timeout=None)


@receiver(post_save)
@receiver(post_delete)
def forget_known_names(sender, **kwargs):
    if sender is get_user_model() or issubclass(sender, UnitPage):
        cache.delete(CACHE_KEY)
