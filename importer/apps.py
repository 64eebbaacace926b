from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    """Import of legacy documents (.txt, .html, .docx) as draft disclosure items."""

    name = "importer"
    label = "disclosure_importer"
    verbose_name = _("历史文档导入")
    default_auto_field = "django.db.models.BigAutoField"
