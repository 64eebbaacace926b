from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    """Opinions on disclosures and their handling ledger (意见反馈 · 台帐 · 销号)."""

    name = "participation"
    verbose_name = _("意见办理")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401 (the item change feed: opinions follow their item's audience)
        from . import notifications  # noqa: F401 (who is told about an opinion's steps)
