"""One rule for wrong passwords, at the admin's sign-in (/admin/login/) and the portal's (党员登录).

django-axes counts failures per *account name and address together*
(``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``): after ``SUNSHINE_LOGIN_ATTEMPTS``
wrong passwords that pair waits ``SUNSHINE_LOGIN_LOCKOUT_SECONDS``, the right password included.
Counting per account alone would let anyone who knows an officer's account name (they are
printed on notices) lock that officer out from anywhere; counting per address alone would lock
out a whole township's service centre behind one NAT address for one mistyping member. The
pair stops guessing at one account while the officer still signs in from the office.

The refusal is the sign-in page itself with its message in Chinese and the minutes left,
answered 429, not axes' bare text: ``lockout_response`` (``AXES_LOCKOUT_CALLABLE``).
A superuser lifts a lockout under 报告 → 登录锁定 (accounts/views.py), or with
``manage.py axes_reset_username <name>`` (``axes_reset_ip_username <address> <name>``).
"""

import math
from datetime import timedelta

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.forms import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

from .conf import app_settings


def failure_limit(request, credentials):
    """``AXES_FAILURE_LIMIT``: read at each attempt, so that a site's setting (and a test's) applies."""
    return app_settings.SUNSHINE_LOGIN_ATTEMPTS


def cool_off(request):
    """``AXES_COOLOFF_TIME``."""
    return timedelta(seconds=app_settings.SUNSHINE_LOGIN_LOCKOUT_SECONDS)


def client_address(request):
    """The client's address: behind ``API_NUM_PROXIES`` reverse proxies, the one the nearest proxy saw.

    The same rule as the API's rate limits, except that without proxies X-Forwarded-For is not
    read at all: a client could otherwise write any address there and never be counted.
    """
    proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxies and forwarded:
        addresses = [address.strip() for address in forwarded.split(",")]
        return addresses[-min(proxies, len(addresses))]
    return request.META.get("REMOTE_ADDR", "")


def minutes_left(request, credentials):
    """Whole minutes (at least 1) until the account name and address of this attempt may try again."""
    last = (
        AccessAttempt.objects.filter(username=get_client_username(request, credentials), ip_address=client_address(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    wait = cool_off(request)
    if last is not None:
        wait = last + wait - timezone.now()
    return max(1, math.ceil(wait.total_seconds() / 60))


def lockout_message(request, credentials):
    return _("密码错误次数过多，登录已暂停。请 %(minutes)s 分钟后再试，或联系管理员解除锁定。") % {
        "minutes": minutes_left(request, credentials)
    }


def lockout_response(request, original_response, credentials):
    """The sign-in page that was about to answer "wrong password", saying instead that it waits; 429."""
    message = lockout_message(request, credentials)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None and hasattr(form, "add_error"):
        # Only the lockout is said: "wrong password" would invite more guesses.
        form.errors.clear()
        form.add_error(None, ValidationError(message, code="locked_out"))
        original_response.content = original_response.rendered_content
        original_response.status_code = 429
        return original_response
    response = TemplateResponse(request, "accounts/locked_out.html", {"message": message}, status=429)
    return response.render()
