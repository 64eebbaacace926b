"""The county portal (home page) and the site settings shown in its header and footer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page

from ..params import is_id, positive_int

from .catalogue import CatalogueEntry


class PortalPage(RoutablePageMixin, Page):
    """The county's disclosure portal: latest items of all units, the unit tree, the catalogue."""

    introduction = models.TextField(_("导语"), blank=True)
    latest_count = models.PositiveSmallIntegerField(_("首页显示最新事项条数"), default=12)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["disclosure_pages.UnitPage"]
    max_count_per_parent = 1
    template = "disclosure_pages/portal_page.html"

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("latest_count")]

    class Meta:
        verbose_name = _("门户首页")

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

    # Entries are routed by their translation key, the same in both scripts, so that the
    # 简/繁 switch lands on the same entry (its id differs per script); ``?unit=`` takes a unit's
    # code for the same reason. Old links by id (either script's) redirect.
    @path("catalogue/<uuid:entry_key>/", name="catalogue_entry")
    def catalogue_entry(self, request, entry_key):
        """One catalogue entry across all units, or under one unit with ``?unit=<code>``."""
        from ..listings import ItemFilters, paginate, visible_items

        entry = self._entry(entry_key)
        unit_value = request.GET.get("unit", "")
        unit_filter = self._unit(unit_value) if unit_value else None
        if unit_filter is not None and unit_value != unit_filter.code:
            # An old ``?unit=<id>`` link: the same unit by its code.
            query = request.GET.copy()
            query["unit"] = unit_filter.code
            return redirect(f"{request.path}?{query.urlencode()}", permanent=True)
        items = visible_items(request.user, ItemFilters(unit=unit_filter, entry=entry), within=self)
        return self.render(
            request,
            template="disclosure_pages/catalogue_entry.html",
            context_overrides={
                "entry": entry,
                "items": paginate(request, items),
                "unit_filter": unit_filter,
                "unknown_unit": bool(unit_value) and unit_filter is None,
                "page_heading": entry.name,
                # The query (a unit's code, a page number) means the same in both scripts.
                "keep_query_on_switch": True,
                "switch_requires": [entry] + ([unit_filter] if unit_filter else []),
            },
        )

    @path("catalogue/<uuid:entry_key>/feed/rss/", name="catalogue_rss")
    def catalogue_rss(self, request, entry_key):
        from ..feeds import ItemsRssFeed

        return ItemsRssFeed()(request, scope_object=self._entry(entry_key), portal=self)

    @path("catalogue/<uuid:entry_key>/feed/atom/", name="catalogue_atom")
    def catalogue_atom(self, request, entry_key):
        from ..feeds import ItemsAtomFeed

        return ItemsAtomFeed()(request, scope_object=self._entry(entry_key), portal=self)

    @path("catalogue/<int:entry_id>/", name="catalogue_entry_by_id")
    @path("catalogue/<int:entry_id>/feed/<str:feed>/", name="catalogue_feed_by_id")
    def catalogue_by_id(self, request, entry_id, feed=None):
        """Old links by an entry's id, of this script or the other: a permanent redirect to the
        entry's page or feed in this script."""
        if not is_id(entry_id) or feed not in (None, "rss", "atom"):
            raise Http404
        entry = CatalogueEntry.objects.filter(pk=entry_id).only("translation_key").first()
        if entry is None:
            raise Http404
        entry = self._entry(entry.translation_key)
        name = {None: "catalogue_entry", "rss": "catalogue_rss", "atom": "catalogue_atom"}[feed]
        url = self.url + self.reverse_subpage(name, args=[entry.translation_key])
        return redirect(url + (f"?{request.GET.urlencode()}" if request.GET else ""), permanent=True)

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

    def _entry(self, entry_key):
        """The catalogue entry with ``entry_key`` in this portal's script."""
        return get_object_or_404(
            CatalogueEntry.objects.select_related("area", "unit"), translation_key=entry_key, locale_id=self.locale_id
        )

    def _unit(self, value):
        """The live unit under this portal with code ``value``, or (an old link) with id
        ``value`` in either script; None if there is none."""
        from .units import UnitPage

        units = UnitPage.objects.descendant_of(self).live()
        unit = units.filter(code=value).first()
        if unit is None:
            # Checked before the query: a number past the database's integers was a 500.
            unit_pk = positive_int(value)
            old = UnitPage.objects.filter(pk=unit_pk).only("translation_key").first() if unit_pk else None
            unit = units.filter(translation_key=old.translation_key).first() if old else None
        return unit


@register_setting(icon="site")
class PortalSettings(BaseSiteSetting):
    """The site's organiser and registration numbers, shown in every page's footer."""

    site_name = models.CharField(_("网站名称"), max_length=60, default="阳光党务")
    organiser = models.CharField(_("主办单位"), max_length=100, blank=True)
    operator = models.CharField(_("承办单位"), max_length=100, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮编"), max_length=10, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    icp_number = models.CharField(_("ICP备案号"), max_length=60, blank=True, help_text=_("例如：某ICP备12345678号-1"))
    police_number = models.CharField(_("公安机关备案号"), max_length=60, blank=True, help_text=_("例如：某公网安备 12345678901234号"))
    website_code = models.CharField(_("网站标识码"), max_length=20, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("organiser"), FieldPanel("operator")], heading=_("网站")),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("postcode"), FieldPanel("phone")], heading=_("联系方式")),
        MultiFieldPanel([FieldPanel("icp_number"), FieldPanel("police_number"), FieldPanel("website_code")], heading=_("备案信息")),
    ]

    class Meta:
        verbose_name = _("门户设置")
