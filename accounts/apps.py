from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in security (账号安全): lockout, password policy, session timeouts, second factor and the sign-in log."""

    name = "accounts"
    verbose_name = _("账号安全")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import two_factor  # noqa: F401 - registers the second factor's system check
