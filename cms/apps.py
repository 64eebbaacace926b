from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The site itself: its settings, request logs, health checks and task workers' recovery."""

    name = "cms"
    label = "sunshine_site"
    verbose_name = _("站点运行")
    default_auto_field = "django.db.models.BigAutoField"
