from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision and assessment (督办 · 评议 · 考核): what each unit owes, who is late, how units are rated."""

    name = "supervision"
    verbose_name = _("监督考核")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 (the item change feed keeps the obligations current)
