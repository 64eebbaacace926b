"""Shared by the search tests: a small indexed county and shortcuts to search it."""

import datetime

from django.contrib.auth.models import AnonymousUser

from disclosure_pages.choices import Scope, Stage, Validity
from search import service
from search.updates import apply_due_updates
from tests.factories import build_tree, make_item

ANONYMOUS = AnonymousUser()


def rich_text(html):
    return [("rich_text", html)]


def build_indexed_county():
    """The factories' county with items chosen for search, indexed; returns (tree, items by key)."""
    tree = build_tree()
    first_entry, second_entry = list(tree.entries.values())[:2]
    items = {
        "notice": make_item(
            tree.village1, "关于2023年党务公开工作的通知", publish_date=datetime.date(2023, 3, 1), stage=Stage.DECISION,
            catalogue_entry=first_entry,
            body=rich_text("<p>各党支部要做好党务公开工作，〔2023〕5号文件已经印发。</p><p>Party building in villages.</p>"),
        ),
        "dues": make_item(
            tree.township2, "石桥镇党费收缴情况公示", publish_date=datetime.date(2024, 4, 2), stage=Stage.RESULT,
            body=rich_text("<p>本季度党员按时交纳党费，收缴情况公示如下。</p>"),
        ),
        "budget": make_item(
            tree.department, "县财政局2022年度预算公开", publish_date=datetime.date(2022, 2, 3),
            validity=Validity.VALID, expiry_date=datetime.date(2022, 12, 31),
            body=rich_text("<p>预算公开说明，按本局公开目录公开，公开范围为全县。</p>"),
        ),
        "catalogue": make_item(
            tree.township, "城关镇党务公开目录调整说明", publish_date=datetime.date(2023, 9, 9), catalogue_entry=second_entry,
            body=rich_text("<p>城关镇党委对党务公开目录作了调整。</p>"),
        ),
        "roster": make_item(
            tree.village1, "东关村党员名册（党务公开内部）", scope=Scope.UNIT_MEMBERS, publish_date=datetime.date(2024, 1, 5),
            body=rich_text("<p>党员名册仅向本村党员公开，含联系电话。</p>"),
        ),
    }
    apply_due_updates()
    return tree, items


def search(text, user=ANONYMOUS, locale="zh-hans", **params):
    return service.search({"q": text, **params}, user, locale)


def found_titles(text, user=ANONYMOUS, locale="zh-hans", **params):
    return {hit.title for hit in search(text, user, locale, **params).results}


def facet_counts(results, name):
    for facet in results.facets:
        if facet.name == name:
            return {option.label: option.count for option in facet.options}
    return {}
