"""The county's own conversion phrases (简繁转换词语), kept in the admin by the county office."""

from django.core.exceptions import ValidationError
from django.db import models

from chinese.conversion import Overrides

TO_TRADITIONAL, TO_SIMPLIFIED = "s2t", "t2s"


class ConversionOverride(models.Model):
    """How one phrase converts on this portal, over OpenCC, the project's dictionary and names.

    Saving or deleting one re-converts, in the background, the variants whose source contains
    the phrase (``script_variants.overrides``). A segment an editor overrode in
    wagtail-localize's editor still wins over it.
    """

    direction = models.CharField(
        "方向", max_length=3, choices=[(TO_TRADITIONAL, "简体 → 繁体"), (TO_SIMPLIFIED, "繁体 → 简体（繁体原文的简体版本）")],
        default=TO_TRADITIONAL,
    )
    source = models.CharField("原文词语", max_length=40, help_text="原文中出现的词语，如“资金发放”。")
    converted = models.CharField("转换为", max_length=40, help_text="该词语在另一字形版本中的写法，如“資金發放”。")
    note = models.CharField("说明", max_length=200, blank=True, help_text="为什么这样转换，便于以后核对。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "简繁转换词语"
        ordering = ["direction", "source"]
        constraints = [models.UniqueConstraint(fields=["direction", "source"], name="unique_conversion_override")]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance.saved_source = instance.source  # an edit re-converts the old phrase's texts too
        return instance

    def __str__(self):
        return f"{self.source} → {self.converted}"

    def clean(self):
        self.source, self.converted = self.source.strip(), self.converted.strip()
        if len(self.source) < 2:
            raise ValidationError({"source": "请填写至少两个字的词语：单字的转换随上下文变化。"})

    @classmethod
    def overrides(cls, direction):
        """The pairs of one direction, for ``chinese.conversion.convert``."""
        return Overrides(frozenset(cls.objects.filter(direction=direction).values_list("source", "converted")))
