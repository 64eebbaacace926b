"""When an item needs the county tier (县级审核), and why — the one place that decides it.

The procedure: a general item (一般事项) is approved by its unit's leading group alone; an
important item (重要事项) is then reviewed by the county leading group office. The county
tier also runs when the unit refers the item upward (提请县级审核), and when the county has
listed the item's catalogue entry (e.g. cadre selection, discipline cases) or its scope in
the settings below.

Scope is not a reason by default: a narrower audience makes an item no more sensitive to
disclose, every approval already includes the confidentiality check, and 公开是常态 — a
county that wants, say, every named-people item reviewed lists ``"named"`` in
``SUNSHINE_COUNTY_REVIEW_SCOPES``.
"""

from django.utils.translation import gettext_noop

from disclosure_pages.choices import Importance, Scope
from disclosure_pages.models import DisclosureItemPage

from .conf import app_settings

# The skip reason of an ordinary general item: the one case a unit may refer upward.
GENERAL_ITEM_SKIP = gettext_noop("一般事项，由本单位领导小组审核即可")


def county_review_reasons(item, unit, county, referred=False):
    """Why ``item`` (the submitted version) needs the county tier; empty when it does not."""
    reasons = []
    if referred:
        reasons.append("本单位领导小组提请县级审核")
    if not isinstance(item, DisclosureItemPage):
        return reasons
    if item.importance == Importance.IMPORTANT:
        reasons.append("重要事项")
    entry = item.catalogue_entry if item.catalogue_entry_id else None
    if entry is not None and entry.code and entry.code in app_settings.SUNSHINE_COUNTY_REVIEW_ENTRY_CODES:
        reasons.append(f"目录条目“{entry.code} {entry.name}”须经县级审核")
    if item.scope in app_settings.SUNSHINE_COUNTY_REVIEW_SCOPES:
        reasons.append(f"公开范围为“{Scope(item.scope).label}”")
    return reasons


def county_review_skip_reason(item, unit, county, referred=False):
    """Why the county tier is not needed, or ``None`` when it is."""
    if county is None:
        return gettext_noop("本单位不在县委之下，无县级审核环节")
    if unit is not None and unit.pk == county.pk:
        # The county's own items are approved by the county leading group at the unit tier.
        return gettext_noop("县委本级事项，已由县委领导小组在本单位审核环节审定")
    if county_review_reasons(item, unit, county, referred):
        return None
    if not isinstance(item, DisclosureItemPage):
        return gettext_noop("单位信息、权力清单等页面由本单位领导小组审核")
    return GENERAL_ITEM_SKIP
