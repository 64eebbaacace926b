"""Power lists (权力清单): each power of a unit with its basis, post, procedure and results."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from ..blocks import PowerBlock
from ..permissions import PolicyCheckedPermissionsMixin


class PowerListPage(PolicyCheckedPermissionsMixin, Page):
    """A unit's published list of powers (清权、确权、晒权)."""

    introduction = models.TextField("说明", blank=True)
    powers = StreamField([("power", PowerBlock())], verbose_name="权力事项", blank=True)

    parent_page_types = ["disclosure_pages.UnitPage"]
    subpage_types = []
    template = "disclosure_pages/power_list_page.html"

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("powers")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("powers")]

    class Meta:
        verbose_name = "权力清单"
        verbose_name_plural = "权力清单"
