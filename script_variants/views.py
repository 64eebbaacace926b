"""The 简/繁 switch: go to the same page in the other script and remember the choice."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

ONE_YEAR = 365 * 24 * 3600


def switch_script(request, language):
    """Set the language cookie (the bare root then opens this script) and go to ``next``."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next") or f"/{language}/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = f"/{language}/"
    response = HttpResponseRedirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=ONE_YEAR, samesite="Lax")
    return response
