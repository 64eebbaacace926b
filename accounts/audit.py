"""The sign-in log fed by Django's own signals: whoever signs in, out or fails, wherever.

Why a model of ours rather than axes' AccessLog and AccessFailureLog: one table answers the
report (one queryset to filter by person, date and outcome and to export), a sign-out or a
timeout is a row of its own rather than a time written into the sign-in's row, a try refused
during a lockout is recorded too, and one retention setting and purge command cover it all.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse

from .lockout import client_address
from .models import SignInEvent


def area_of(request):
    try:
        admin = reverse("wagtailadmin_home")
    except NoReverseMatch:  # pragma: no cover - a site without the admin
        return SignInEvent.Area.PORTAL
    return SignInEvent.Area.ADMIN if request.path.startswith(admin) else SignInEvent.Area.PORTAL


def record(request, kind, username, user=None):
    # Only what came from a browser: a sign-in from code (a management command, the test
    # client's force_login) has no request or one without a client address.
    if request is None or "REMOTE_ADDR" not in request.META:
        return
    SignInEvent.objects.create(
        kind=kind,
        area=area_of(request),
        username=(username or "")[:150],
        user=user,
        address=client_address(request)[:45],
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
    )


@receiver(user_logged_in, dispatch_uid="accounts_log_sign_in")
def log_sign_in(sender, request, user, **kwargs):
    record(request, SignInEvent.Kind.SIGNED_IN, user.get_username(), user)


@receiver(user_logged_out, dispatch_uid="accounts_log_sign_out")
def log_sign_out(sender, request, user, **kwargs):
    if user is None:  # signing out without being signed in
        return
    timed_out = getattr(request, "accounts_sign_out_reason", None) == "timeout"
    record(request, SignInEvent.Kind.TIMED_OUT if timed_out else SignInEvent.Kind.SIGNED_OUT, user.get_username(), user)


@receiver(user_login_failed, dispatch_uid="accounts_log_failure")
def log_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD, "") or ""
    # axes' backend marks a try it refused because of a lockout before this signal is sent
    # (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT=False); accounts' receivers are connected
    # before axes' (INSTALLED_APPS order), so a counted failure is not yet marked here.
    locked = getattr(request, "axes_locked_out", False)
    user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first() if username else None
    record(request, SignInEvent.Kind.LOCKED_OUT if locked else SignInEvent.Kind.FAILED, username, user)
