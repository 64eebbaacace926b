"""RSS and Atom feeds of public items, for the whole portal, a unit, or a catalogue entry.

Feeds are read by aggregators and cached by proxies, so they list public items only,
whoever asks; and only items still announced (withdrawn and removed ones are left out).
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .listings import announced, visible_items_under
from .models import CatalogueEntry, DisclosureItemPage
from .visibility import ANONYMOUS, visible_pages

FEED_LENGTH = 50


class ItemsRssFeed(Feed):
    feed_type = Rss201rev2Feed
    language = "zh-hans"

    def get_object(self, request, scope_object, portal=None):
        self.request = request
        self.portal = portal
        self.language = scope_object.locale.language_code if hasattr(scope_object, "locale") else self.language
        return scope_object

    def title(self, obj):
        if isinstance(obj, CatalogueEntry):
            return f"{self.portal.title} · {obj.name}"
        return obj.title

    def link(self, obj):
        if isinstance(obj, CatalogueEntry):
            return self.portal.url + self.portal.reverse_subpage("catalogue_entry", args=[obj.pk])
        return obj.url

    def description(self, obj):
        return f"{self.title(obj)} 最新公开事项"

    def items(self, obj):
        if isinstance(obj, CatalogueEntry):
            items = visible_pages(DisclosureItemPage.objects.filter(catalogue_entry=obj), ANONYMOUS)
            items = items.select_related("unit").defer_streamfields().order_by("-publish_date", "-pk")
        else:
            items = visible_items_under(obj, ANONYMOUS)
        return announced(items)[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.full_url

    def item_guid(self, item):
        return item.index_number or item.full_url

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.unit.title if item.unit else None

    def item_categories(self, item):
        return [item.get_stage_display()]


class ItemsAtomFeed(ItemsRssFeed):
    feed_type = Atom1Feed
    subtitle = ItemsRssFeed.description


