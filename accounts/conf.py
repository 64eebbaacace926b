"""Accounts' settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

# Who SUNSHINE_OTP_REQUIRED_FOR may name (checked at startup: cms/settings/base.py, two_factor's system check).
OTP_ROLES = ("approvers", "superusers", "admins")

app_settings = AppSettings(
    # Admin users who must enrol a second factor (TOTP, 两步验证) before any other admin page:
    # "approvers" (members of a leading group or of a group-approval task's groups), "superusers",
    # "admins" (everyone who may use the admin); [] requires no one. Users with a device enter a
    # code at every sign-in whatever this says. The dev and test settings make it [].
    SUNSHINE_OTP_REQUIRED_FOR=["approvers", "superusers"],
    # Single-use recovery codes given at enrolment (and each time they are regenerated).
    SUNSHINE_OTP_RECOVERY_CODES=10,
)
