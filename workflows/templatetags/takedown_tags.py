"""``{% pending_takedown page as takedown %}``: the takedown an item's latest version asks for (see ``takedowns.py``)."""

from django import template

from ..takedowns import pending_takedown as find_pending_takedown

register = template.Library()


@register.simple_tag
def pending_takedown(page):
    return find_pending_takedown(page.specific if page is not None else None)
