"""The county portal (home page) and the site settings shown in its header and footer."""

from django.db import models
from django.utils.translation import gettext as _
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from ..params import is_id, positive_int

from .catalogue import CatalogueEntry


class PortalPage(RoutablePageMixin, Page):
    """The county's disclosure portal: latest items of all units, the unit tree, the catalogue."""

    introduction = models.TextField("导语", blank=True)
    latest_count = models.PositiveSmallIntegerField("首页显示最新事项条数", default=12)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["disclosure_pages.UnitPage"]
    max_count_per_parent = 1
    template = "disclosure_pages/portal_page.html"

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("latest_count")]

    class Meta:
        verbose_name = "门户首页"

    def get_context(self, request, *args, **kwargs):
        from ..listings import latest_items, unit_tree

        context = super().get_context(request, *args, **kwargs)
        context["latest_items"] = latest_items(self, request.user, limit=self.latest_count)
        context["top_units"] = unit_tree(self, max_depth=1)
        return context

    @path("units/", name="units")
    def unit_directory(self, request):
        from ..listings import unit_tree

        return self.render(
            request,
            template="disclosure_pages/unit_directory.html",
            context_overrides={"tree": unit_tree(self), "page_heading": _("单位导航")},
        )

    @path("catalogue/", name="catalogue")
    def catalogue_index(self, request):
        from ..listings import catalogues_for

        return self.render(
            request,
            template="disclosure_pages/catalogue_index.html",
            context_overrides={"catalogues": catalogues_for(self), "page_heading": _("公开目录")},
        )

    @path("catalogue/<int:entry_id>/", name="catalogue_entry")
    def catalogue_entry(self, request, entry_id):
        """One catalogue entry across all units, or under one unit with ``?unit=<id>``."""
        from ..listings import ItemFilters, paginate, visible_items
        from .units import UnitPage

        entry = self._entry(entry_id)
        unit_filter = None
        unit_id = request.GET.get("unit", "")
        if unit_id:
            # Checked before the query: a number past the database's integers was a 500.
            unit_pk = positive_int(unit_id)
            if unit_pk is not None:
                unit_filter = UnitPage.objects.descendant_of(self).live().filter(pk=unit_pk).first()
        items = visible_items(request.user, ItemFilters(unit=unit_filter, entry=entry), within=self)
        return self.render(
            request,
            template="disclosure_pages/catalogue_entry.html",
            context_overrides={
                "entry": entry,
                "items": paginate(request, items),
                "unit_filter": unit_filter,
                "unknown_unit": bool(unit_id) and unit_filter is None,
                "page_heading": entry.name,
            },
        )

    @path("catalogue/<int:entry_id>/feed/rss/", name="catalogue_rss")
    def catalogue_rss(self, request, entry_id):
        from ..feeds import ItemsRssFeed

        return ItemsRssFeed()(request, scope_object=self._entry(entry_id), portal=self)

    @path("catalogue/<int:entry_id>/feed/atom/", name="catalogue_atom")
    def catalogue_atom(self, request, entry_id):
        from ..feeds import ItemsAtomFeed

        return ItemsAtomFeed()(request, scope_object=self._entry(entry_id), portal=self)

    @path("feeds/", name="feeds")
    def feed_directory(self, request):
        """信息订阅: what the feeds are, in words, and every feed: the county's, each unit's
        (in the unit tree) and each catalogue entry's. Feeds list public items only."""
        from ..feeds import FEED_LENGTH
        from ..listings import catalogues_for, unit_tree

        return self.render(
            request,
            template="disclosure_pages/feed_directory.html",
            context_overrides={
                "tree": unit_tree(self),
                "catalogues": catalogues_for(self),
                "feed_length": FEED_LENGTH,
                "page_heading": _("信息订阅"),
            },
        )

    @path("feed/rss/", name="rss")
    def rss_feed(self, request):
        from ..feeds import ItemsRssFeed

        return ItemsRssFeed()(request, scope_object=self)

    @path("feed/atom/", name="atom")
    def atom_feed(self, request):
        from ..feeds import ItemsAtomFeed

        return ItemsAtomFeed()(request, scope_object=self)

    def _entry(self, entry_id):
        if not is_id(entry_id):
            raise Http404
        entry = get_object_or_404(CatalogueEntry.objects.select_related("area", "unit"), pk=entry_id)
        if entry.locale_id != self.locale_id:
            raise Http404
        return entry


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The site's organiser and registration numbers, shown in every page's footer."""

    site_name = models.CharField("网站名称", max_length=60, default="阳光党务")
    organiser = models.CharField("主办单位", max_length=100, blank=True)
    operator = models.CharField("承办单位", max_length=100, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    postcode = models.CharField("邮编", max_length=10, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=60, blank=True, help_text="例如：某ICP备12345678号-1")
    police_number = models.CharField("公安机关备案号", max_length=60, blank=True, help_text="例如：某公网安备 12345678901234号")
    website_code = models.CharField("网站标识码", max_length=20, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("organiser"), FieldPanel("operator")], heading="网站"),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("postcode"), FieldPanel("phone")], heading="联系方式"),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("police_number"), FieldPanel("website_code")], heading="备案信息"),
    ]

    class Meta:
        verbose_name = "门户设置"
