"""Conditional GET and cached responses, keyed by the content version.

Every response is a function of the content (one version number, ``ContentVersion``), the
request's path and parameters, and who reads: the public, or a member with their groups
(which decide what they may view). The ETag hashes exactly that, so it costs one indexed
read to answer ``If-None-Match`` with 304, and the rendered body is cached under the same
key: a publication anywhere turns every key over, and nothing stale is ever served.
"""

import hashlib
from email.utils import parsedate_to_datetime

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from disclosure_pages.listings import items_by_ids, sliced_with_total

from .conf import app_settings
from .models import ContentVersion

# Longer lists are counted and sliced by the database for each page instead.
LISTED_IDS_MAX = 20_000


def reader_key(request):
    """Who reads, as far as visibility goes: the public, or a user and their groups."""
    user = request.user
    if not user.is_authenticated:
        return "public"
    groups = ",".join(str(pk) for pk in sorted(user.groups.values_list("pk", flat=True)))
    return f"user{user.pk}:{groups}"


def etag_for(version, request, reader):
    query = "&".join(f"{name}={value}" for name, value in sorted(request.GET.lists()))
    digest = hashlib.sha256(f"{version.number}|{request.path}|{query}|{reader}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def _matches(header, etag):
    if header.strip() == "*":
        return True
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return etag in tags


def _not_modified_since(header, changed_at):
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None or since.tzinfo is None:
        return False
    return int(changed_at.timestamp()) <= since.timestamp()


def is_not_modified(request, etag, changed_at):
    """RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return _matches(if_none_match, etag)
    if_modified_since = request.headers.get("If-Modified-Since")
    return if_modified_since is not None and _not_modified_since(if_modified_since, changed_at)


def validators(request, etag, changed_at):
    headers = {"ETag": etag, "Last-Modified": http_date(changed_at.timestamp()), "Vary": "Authorization"}
    if request.user.is_authenticated:
        headers["Cache-Control"] = "private, no-cache"
    else:
        headers["Cache-Control"] = f"public, max-age={app_settings.SUNSHINE_API_CACHE_MAX_AGE}"
    return headers


def conditional_response(request, build):
    """The response to a GET: 304, the cached body, or ``build()`` rendered and cached.

    ``build`` returns the data, or a DRF ``Response`` (Wagtail's endpoints); only complete
    200 answers are cached. Errors ``build`` raises go to the view's exception handler.
    """
    version = request.content_version = ContentVersion.current()
    etag = etag_for(version, request, reader_key(request))
    headers = validators(request, etag, version.changed_at)
    if is_not_modified(request, etag, version.changed_at):
        return HttpResponseNotModified(headers=headers)
    key = f"api:response:{etag}"
    body = cache.get(key)
    if body is None:
        data = build()
        if isinstance(data, Response):
            if data.status_code != 200:
                return data
            data = data.data
        body = JSONRenderer().render(data)
        cache.set(key, body, app_settings.SUNSHINE_API_RESPONSE_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json", headers=headers)


def listed_page(request, items, offset, limit):
    """A page of the ordered queryset ``items`` and its total; the list's ids kept per content version.

    A client pages through one list: the ids of the whole list are read once per content
    version, reader and parameters (the scan of a township's thousands of items), and each
    further page reads only its own rows. A publication anywhere moves the version, so an id
    list never outlives the content it was read from. Called in ``conditional_response``'s
    build: the version is the one its ETag names.
    """
    version = request.content_version
    query = "&".join(f"{name}={value}" for name, value in sorted(request.GET.lists()) if name not in ("offset", "limit"))
    list_key = f"{version.number}|{request.path}|{query}|{reader_key(request)}"
    key = "api:listed-ids:" + hashlib.sha256(list_key.encode()).hexdigest()[:32]
    ids = cache.get(key)
    if ids is None:
        ids = list(items.values_list("pk", flat=True)[: LISTED_IDS_MAX + 1])
        if len(ids) > LISTED_IDS_MAX:
            return sliced_with_total(items, offset, offset + limit)
        cache.set(key, ids, app_settings.SUNSHINE_API_RESPONSE_CACHE_SECONDS)
    return items_by_ids(items, ids[offset : offset + limit]), len(ids)
