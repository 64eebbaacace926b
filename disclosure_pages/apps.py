from django.apps import AppConfig


class DisclosurePagesConfig(AppConfig):
    """Units, the disclosure catalogue, disclosure items and the public portal."""

    name = "disclosure_pages"
    verbose_name = "党务公开"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
