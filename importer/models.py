"""What the import remembers about each file, so that importing it again updates its draft."""

from django.utils.translation import gettext_lazy as _
from django.db import models
from django.utils import timezone


class ImportedDocument(models.Model):
    """A legacy file imported as a draft disclosure item, keyed by unit and source path."""

    # The unit named on the command line; the item may sit under its Traditional translation.
    unit = models.ForeignKey("disclosure_pages.UnitPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("导入单位"))
    source_path = models.CharField(_("源文件"), max_length=1024)
    content_hash = models.CharField(_("内容哈希（SHA-256）"), max_length=64)
    item = models.ForeignKey("disclosure_pages.DisclosureItemPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("公开事项"))
    # The revision the import wrote: a later revision means someone edited the draft since.
    revision = models.ForeignKey("wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+")
    script = models.CharField(_("文字"), max_length=10)
    imported_at = models.DateTimeField(_("导入时间"), default=timezone.now)

    class Meta:
        db_table = "importer_importeddocument"
        verbose_name = _("导入的文档")
        verbose_name_plural = _("导入的文档")
        constraints = [models.UniqueConstraint(fields=["unit", "source_path"], name="unique_imported_source_per_unit")]
        # Re-import looks a file up by its path or by its content, always within the unit.
        indexes = [models.Index(fields=["unit", "content_hash"], name="imported_content_per_unit")]

    def __str__(self):
        return self.source_path
