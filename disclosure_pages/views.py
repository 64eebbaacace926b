"""Small site-wide views of the portal."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .context_processors import ELDER_MODE_COOKIE

ONE_YEAR = 365 * 24 * 3600


@require_http_methods(["GET", "POST"])
def toggle_elder_mode(request):
    """Switch the elder-friendly mode (适老化) on or off; it persists in a cookie."""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(ELDER_MODE_COOKIE) == "1":
        response.delete_cookie(ELDER_MODE_COOKIE)
    else:
        response.set_cookie(ELDER_MODE_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax")
    return response
