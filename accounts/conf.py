"""Accounts' settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

# Who SUNSHINE_OTP_REQUIRED_FOR may name (checked at startup: cms/settings/base.py, two_factor's system check).
OTP_ROLES = ("approvers", "superusers", "admins")

app_settings = AppSettings(
    # Wrong passwords for one account name from one address before that pair waits (the admin's
    # and the portal's sign-in alike, django-axes), and how long it waits.
    SUNSHINE_LOGIN_ATTEMPTS=5,
    SUNSHINE_LOGIN_LOCKOUT_SECONDS=15 * 60,
    # Characters a new password needs at least (accounts/passwords.py).
    SUNSHINE_PASSWORD_MIN_LENGTH=10,
    # Sessions (accounts/sessions.py), seconds: signed out after this long without a request,
    # or this long after signing in. The admin's apply to anyone who may use the admin.
    SUNSHINE_ADMIN_SESSION_IDLE_SECONDS=30 * 60,
    SUNSHINE_ADMIN_SESSION_MAX_SECONDS=12 * 60 * 60,
    SUNSHINE_MEMBER_SESSION_IDLE_SECONDS=2 * 60 * 60,
    SUNSHINE_MEMBER_SESSION_MAX_SECONDS=14 * 24 * 60 * 60,
    # Days the sign-in log keeps its rows (purge_sign_in_log); 等保 level 3 asks for at least 180.
    SUNSHINE_SIGN_IN_LOG_RETENTION_DAYS=180,
    # Admin users who must enrol a second factor (TOTP, 两步验证) before any other admin page:
    # "approvers" (members of a leading group or of a group-approval task's groups), "superusers",
    # "admins" (everyone who may use the admin); [] requires no one. Users with a device enter a
    # code at every sign-in whatever this says. The dev and test settings make it [].
    SUNSHINE_OTP_REQUIRED_FOR=["approvers", "superusers"],
    # Single-use recovery codes given at enrolment (and each time they are regenerated).
    SUNSHINE_OTP_RECOVERY_CODES=10,
)
