"""RSS and Atom feeds of public items, for the whole portal, a unit, or a catalogue entry.

Feeds are read by aggregators and cached by proxies, so they list public items only,
whoever asks; and only items still announced (withdrawn and removed ones are left out).
Every link in them is absolute at ``PUBLIC_BASE_URL`` (``public_urls.py``), whatever Host
header the request came with.
"""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .listings import ItemFilters, announced, visible_items
from .models import CatalogueEntry
from .public_urls import public_url
from .visibility import ANONYMOUS

FEED_LENGTH = 50


def feed_items(scope_object, within=None):
    """The latest announced public items of a page (the portal, a unit) or of a catalogue
    entry across the units under ``within``: what every feed, RSS, Atom or the API's, lists."""
    if isinstance(scope_object, CatalogueEntry):
        items = visible_items(ANONYMOUS, ItemFilters(entry=scope_object), within=within)
    else:
        items = visible_items(ANONYMOUS, within=scope_object)
    return announced(items)[:FEED_LENGTH]


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
            return public_url(self.portal.url + self.portal.reverse_subpage("catalogue_entry", args=[obj.translation_key]))
        return public_url(obj)

    def feed_url(self, obj):
        return public_url(self.request.path)

    def description(self, obj):
        return f"{self.title(obj)} 最新公开事项"

    def items(self, obj):
        return feed_items(obj, self.portal)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return public_url(item)

    def item_guid(self, item):
        return item.index_number or public_url(item)

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


