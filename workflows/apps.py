from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    """Two-tier approval of disclosure items: 本单位审核 and, when needed, 县级审核."""

    name = "workflows"
    label = "disclosure_workflows"
    verbose_name = _("审核流程")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import AbstractPage
        from wagtail.permissions import register_permission_policy

        from . import signals
        from .policies import UnitScopedPagePermissionPolicy

        signals.connect_post_migrate(self)
        # Replaces Wagtail's page policy (registered for the same class) before any lookup.
        register_permission_policy(AbstractPage, UnitScopedPagePermissionPolicy())
