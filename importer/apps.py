from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """Import of legacy documents (.txt, .html, .docx) as draft disclosure items."""

    name = "importer"
    label = "disclosure_importer"
    verbose_name = "历史文档导入"
    default_auto_field = "django.db.models.BigAutoField"
