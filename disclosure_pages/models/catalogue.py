"""The disclosure catalogue (党务公开目录): a county outline of areas and entries."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, TranslatableMixin
from wagtail.search import index

from ..choices import CatalogueShape, Period, Scope, TimingKind
from ..forms import CatalogueEntryForm


class Catalogue(TranslatableMixin, ClusterableModel):
    """A catalogue outline issued by the county; units derive theirs from it."""

    name = models.CharField(_("名称"), max_length=100)
    shape = models.CharField(_("结构"), max_length=20, choices=CatalogueShape.choices, default=CatalogueShape.FIVE_AREAS)
    description = models.TextField(_("说明"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("shape"), FieldPanel("description"), InlinePanel("areas", label=_("板块"))]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("公开目录")
        verbose_name_plural = _("公开目录")

    def __str__(self):
        return self.name


class CatalogueArea(TranslatableMixin, Orderable):
    """An area of a catalogue (e.g. 组织建设, or the seven mandatory entries of 7+X)."""

    catalogue = ParentalKey(Catalogue, on_delete=models.CASCADE, related_name="areas", verbose_name=_("所属目录"))
    name = models.CharField(_("板块名称"), max_length=100)

    panels = [FieldPanel("name")]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("目录板块")
        verbose_name_plural = _("目录板块")

    def __str__(self):
        return self.name


class CatalogueEntry(TranslatableMixin, index.Indexed, models.Model):
    """An entry of the catalogue: what to disclose, to whom by default, and how often.

    An entry with a unit is that unit's own local entry (the "X" of 7+X); without one it
    belongs to the county outline and applies to every unit using the catalogue.
    """

    area = models.ForeignKey(CatalogueArea, on_delete=models.CASCADE, related_name="entries", verbose_name=_("所属板块"))
    unit = models.ForeignKey(
        "disclosure_pages.UnitPage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_entries",
        verbose_name=_("本单位自设（留空为县级目录）"),
    )
    code = models.CharField(_("编号"), max_length=20, blank=True)
    name = models.CharField(_("目录名称"), max_length=120)
    description = models.TextField(_("公开内容说明"), blank=True)
    default_scope = models.CharField(_("默认公开范围"), max_length=10, choices=Scope.choices, default=Scope.PUBLIC)
    timing = models.CharField(_("公开时限"), max_length=10, choices=TimingKind.choices, default=TimingKind.AD_HOC)
    period = models.CharField(_("公开周期"), max_length=10, choices=Period.choices, blank=True)
    # Ad hoc entries: days after the event; per-stage entries: days from one stage of a matter to the next.
    deadline_days = models.PositiveSmallIntegerField(
        _("公开期限（事项发生后天数）"), null=True, blank=True, help_text=_("阶段公开：上一阶段公开（或意见征集截止）后多少天内公开下一阶段")
    )
    mandatory = models.BooleanField(_("必须公开（7+X 中的“7”）"), default=False)
    responsible = models.CharField(_("责任部门/责任人"), max_length=100, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    panels = [
        FieldPanel("area"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("default_scope"),
                FieldRowPanel([FieldPanel("timing"), FieldPanel("period"), FieldPanel("deadline_days")]),
                FieldPanel("mandatory"),
                FieldPanel("responsible"),
            ],
            heading=_("公开要求"),
        ),
        FieldPanel("unit"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        # Listings narrow by unit and script (locale) before searching.
        index.FilterField("unit"),
        index.FilterField("locale"),
    ]
    base_form_class = CatalogueEntryForm

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("目录条目")
        verbose_name_plural = _("目录条目")
        ordering = ["area__sort_order", "sort_order", "pk"]

    def __str__(self):
        return f"{self.area.name} · {self.name}"

    @property
    def is_local(self):
        return self.unit_id is not None

    def clean(self):
        errors = {}
        if self.timing == TimingKind.PERIODIC and not self.period:
            errors["period"] = _("定期公开的目录条目须选择公开周期（每月、每季度或每年）。")
        if self.timing != TimingKind.PERIODIC and self.period:
            errors["period"] = _("只有定期公开的目录条目才设置公开周期。")
        if self.timing == TimingKind.AD_HOC and not self.deadline_days:
            errors["deadline_days"] = _("及时公开的目录条目须填写事项发生后多少天内公开。")
        if self.timing not in (TimingKind.AD_HOC, TimingKind.PER_STAGE) and self.deadline_days:
            errors["deadline_days"] = _("只有及时公开和阶段公开的目录条目才填写公开期限天数。")
        # By translation key, so an entry's variant in the other script passes too.
        if (
            self.unit_id
            and self.area_id
            and self.unit.catalogue_id
            and self.area.catalogue.translation_key != self.unit.catalogue.translation_key
        ):
            errors["area"] = _("本单位自设条目须放在“%(catalogue)s”的板块下。") % {"catalogue": self.unit.catalogue}
        if errors:
            raise ValidationError(errors)

    def timing_display(self):
        """The timing rule in words, e.g. “定期公开（每季度）” or “及时公开（7日内）”."""
        label = self.get_timing_display()
        if self.timing == TimingKind.PERIODIC and self.period:
            return f"{label}（{self.get_period_display()}）"
        if self.timing == TimingKind.AD_HOC and self.deadline_days:
            return f"{label}（{self.deadline_days}日内）"
        if self.timing == TimingKind.PER_STAGE and self.deadline_days:
            return f"{label}（各阶段间隔{self.deadline_days}日内）"
        return label
