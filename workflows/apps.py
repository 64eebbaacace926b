from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    """Two-tier approval of disclosure items (filled by its own issue)."""

    name = "workflows"
    verbose_name = "审核流程"
