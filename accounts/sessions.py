"""Idle and absolute session timeouts (会话超时), shorter for those who may use the admin.

Django's session lasts ``SESSION_COOKIE_AGE`` (two weeks) from its last save and never notices
an idle one. This middleware keeps two times in the session — when the person signed in and
when they were last seen — and signs them out once either limit is passed: for anyone who may
use the admin (officers, approvers, superusers: their session reaches the admin wherever they
use it) ``SUNSHINE_ADMIN_SESSION_IDLE_SECONDS`` / ``SUNSHINE_ADMIN_SESSION_MAX_SECONDS``, for
members ``SUNSHINE_MEMBER_SESSION_IDLE_SECONDS`` / ``SUNSHINE_MEMBER_SESSION_MAX_SECONDS``.
The admin then asks them to sign in again; the portal goes on as for a reader not signed in.
"""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .conf import app_settings

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
# The last-seen time is written at most this often: not a session write on every request.
TOUCH_SECONDS = 60
# Requests a page open in a tab makes by itself (the editor's "who else is editing" ping):
# they show that a tab is open, not that someone is there, so they keep no session alive.
BACKGROUND_NAMESPACES = {"wagtailadmin_editing_sessions"}


def may_use_admin(user):
    return user.has_perm("wagtailadmin.access_admin")


def limits(user):
    """(idle, absolute) seconds for ``user``'s session."""
    if may_use_admin(user):
        return app_settings.SUNSHINE_ADMIN_SESSION_IDLE_SECONDS, app_settings.SUNSHINE_ADMIN_SESSION_MAX_SECONDS
    return app_settings.SUNSHINE_MEMBER_SESSION_IDLE_SECONDS, app_settings.SUNSHINE_MEMBER_SESSION_MAX_SECONDS


@receiver(user_logged_in, dispatch_uid="accounts_session_signed_in_at")
def stamp_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN_AT] = now


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        session = request.session
        now = int(time.time())
        # A session from before this middleware (or from force_login) starts counting now.
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.setdefault(LAST_SEEN_AT, now)
        idle, absolute = limits(user)
        if now - last_seen_at > idle or now - signed_in_at > absolute:
            request.accounts_sign_out_reason = "timeout"
            logout(request)
            messages.warning(request, _("您长时间未操作或登录时间过长，已自动退出登录，请重新登录。"))
            return None
        background = BACKGROUND_NAMESPACES & set(request.resolver_match.namespaces)
        if not background and now - last_seen_at >= TOUCH_SECONDS:
            session[LAST_SEEN_AT] = now
        return None
