from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The site itself: its settings, request logs, health checks and task workers' recovery."""

    name = "cms"
    label = "sunshine_site"
    verbose_name = "站点运行"
    default_auto_field = "django.db.models.BigAutoField"
