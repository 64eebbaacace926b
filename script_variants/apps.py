from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScriptVariantsConfig(AppConfig):
    """The other-script variant (简体/繁體) of every page, kept in step by OpenCC."""

    name = "script_variants"
    verbose_name = _("简繁版本")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import localize_compat, signals  # noqa: F401 (localize_compat registers its version check)
