"""The demo county's settings with their defaults (``disclosure_pages.conf.AppSettings``)."""

from disclosure_pages.conf import AppSettings

app_settings = AppSettings(
    # seed_demo also makes logins with known passwords (officer, approver, reviewer …): development only.
    SUNSHINE_DEMO_LOGINS=False,
)
