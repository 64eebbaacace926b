from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in security (账号安全): lockout, password policy, session timeouts, second factor and the sign-in log."""

    name = "accounts"
    verbose_name = _("账号安全")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Their signal receivers (the session's sign-in time, the sign-in log) and the second factor's system check.
        from . import audit, sessions, two_factor  # noqa: F401
