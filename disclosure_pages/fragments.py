"""Cached fragments of the portal's pages (Django's ``{% cache %}``), keyed so that none is ever
stale or shown to a reader it was not rendered for.

A fragment's key holds:

- the content version: a number that every write the portal can show moves. The domain does
  not count writes itself: a function registered for ``portal_content_version`` (Wagtail's
  hooks, as the panels in ``panels.py``) returns it; the API registers its ``ContentVersion``,
  which the item change feed and the saves of pages, view restrictions, catalogues and settings
  move. A publication anywhere turns every key over. Without such a function nothing is cached.
- the reader's audience keys (``visibility.user_audience_keys``): what decides which
  members-only items they may view, so one audience's copy never reaches another;
- the language and the host its links are written for.
"""

from django.utils.translation import get_language
from wagtail import hooks

from .visibility import user_audience_keys

CONTENT_VERSION_HOOK = "portal_content_version"


def content_version():
    """The number the first function registered for ``portal_content_version`` returns, or None."""
    for current in hooks.get_hooks(CONTENT_VERSION_HOOK):
        return current()
    return None


def fragment_key(request):
    """What content, for which audience, in which script and host: a fragment's cache key (with
    its name and page), or None when no content version is known (then nothing is cached)."""
    version = content_version()
    if version is None:
        return None
    audience = user_audience_keys(request.user)
    reader = "everything" if audience is None else " ".join(audience)  # None: a superuser
    return f"{version}|{reader}|{get_language()}|{request.get_host()}"
