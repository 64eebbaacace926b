from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The headless API (开放接口) for mobile apps and service-centre kiosks: /api/v2/.

    It reads the domain (disclosure_pages) and never the other way round: what it needs to
    remember (tombstones, the content version, images of live pages) it learns from the
    domain's and Wagtail's signals.
    """

    name = "api"
    label = "disclosure_api"
    verbose_name = _("开放接口")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema, signals  # noqa: F401  (schema registers drf-spectacular extensions)

        signals.connect()
