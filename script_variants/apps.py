from django.apps import AppConfig


class ScriptVariantsConfig(AppConfig):
    """The other-script variant (简体/繁體) of every page, kept in step by OpenCC."""

    name = "script_variants"
    verbose_name = "简繁版本"

    def ready(self):
        from . import localize_compat, signals  # noqa: F401 (localize_compat registers its version check)
