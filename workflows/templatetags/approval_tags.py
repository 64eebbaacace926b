"""``{% approval_record page as record %}`` for the public item page (see ``records.py``)."""

from django import template

from ..records import approval_record as find_approval_record

register = template.Library()


@register.simple_tag
def approval_record(page):
    return find_approval_record(page)
