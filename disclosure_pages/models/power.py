"""Power lists (权力清单): each power of a unit with its basis, post, procedure and results."""

from django.utils.translation import gettext_lazy as _
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import PowerBlock
from ..forms import PowerListForm
from ..permissions import PolicyCheckedPermissionsMixin


class PowerListPage(PolicyCheckedPermissionsMixin, Page):
    """A unit's published list of powers (清权、确权、晒权)."""

    introduction = models.TextField(_("说明"), blank=True)
    powers = StreamField([("power", PowerBlock())], verbose_name=_("权力事项"), blank=True)

    parent_page_types = ["disclosure_pages.UnitPage"]
    subpage_types = []
    template = "disclosure_pages/power_list_page.html"
    base_form_class = PowerListForm

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("powers")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("powers")]

    class Meta:
        verbose_name = _("权力清单")
        verbose_name_plural = _("权力清单")

    def clean(self):
        from ..files import clean_page_files
        from .units import UnitPage

        super().clean()
        # A new page has no path yet: its form names the unit it is added to.
        unit = getattr(self, "unit_for_validation", None)
        if unit is None and self.path and self.depth and self.depth > 1:
            unit = UnitPage.objects.filter(path=self.path[: -self.steplen]).first()
        errors = clean_page_files(self, unit, "powers")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        from ..files import record_shown_images

        adding = self._state.adding
        super().save(*args, **kwargs)
        if kwargs.get("update_fields") is None:
            record_shown_images(self, "powers", adding=adding)
