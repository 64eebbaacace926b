"""Plain helpers that build a small county for the tests.

Wagtail root → PortalPage (the default Site's root; the welcome page is deleted)
  → 青溪县委 (county)
      → 城关镇党委 (township) → 东关村党支部, 西关村党支部 (villages)
      → 石桥镇党委 (another township)
      → 县财政局党组 (a department)
and a five-area county catalogue that every unit adopts.

Items are created the way the admin does it: added under their unit as a draft, then a
revision is saved and published.
"""

import itertools
from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from demo_county.builder import ensure_wagtail_root
from disclosure_pages.choices import Period, Scope, TimingKind, UnitType
from disclosure_pages.models import Catalogue, CatalogueArea, CatalogueEntry, DisclosureItemPage, PortalPage, UnitPage
from disclosure_pages.public_urls import site_address

_counter = itertools.count(1)


def _next():
    return next(_counter)


# -- the Wagtail root and the portal ------------------------------------------------------


def wagtail_root():
    """The tree's root page; recreated (with the locale and root collection) after a transactional flush."""
    return ensure_wagtail_root()


def make_portal(title="青溪县阳光党务"):
    root = wagtail_root()
    portal = root.add_child(instance=PortalPage(title=title, slug="portal", introduction="全县党务公开"))
    hostname, port = site_address() or ("localhost", 80)
    site = Site.objects.filter(is_default_site=True).first() or Site(hostname=hostname, port=port, is_default_site=True)
    old_root_id = site.root_page_id
    site.root_page = portal
    site.save()
    # Migrations create a welcome page under the root; the portal replaces it.
    if old_root_id and old_root_id != portal.pk:
        Page.objects.filter(pk=old_root_id).exclude(pk=portal.pk).first().delete()
    return portal


# -- the catalogue ------------------------------------------------------------------------

FIVE_AREAS = [
    ("全局和中心工作", [("重大决策部署", TimingKind.AD_HOC, "", 7), ("任期目标和年度计划", TimingKind.STANDING, "", None)]),
    ("思想政治建设", [("理论学习计划", TimingKind.PERIODIC, Period.YEAR, None)]),
    ("组织建设", [("党费收缴使用", TimingKind.PERIODIC, Period.QUARTER, None), ("发展党员", TimingKind.AD_HOC, "", 7)]),
    ("作风建设", [("述职述廉报告", TimingKind.PERIODIC, Period.YEAR, None)]),
    ("制度建设", [("工作制度和程序", TimingKind.STANDING, "", None)]),
]


def make_catalogue(name="青溪县党务公开目录"):
    """A five-area county catalogue; returns (catalogue, {area name: area}, {entry name: entry})."""
    catalogue = Catalogue.objects.create(name=name)
    areas, entries = {}, {}
    for area_order, (area_name, area_entries) in enumerate(FIVE_AREAS):
        area = CatalogueArea.objects.create(catalogue=catalogue, name=area_name, sort_order=area_order)
        areas[area_name] = area
        for entry_order, (entry_name, timing, period, days) in enumerate(area_entries):
            entries[entry_name] = CatalogueEntry.objects.create(
                area=area, name=entry_name, timing=timing, period=period, deadline_days=days, sort_order=entry_order
            )
    return catalogue, areas, entries


# -- units --------------------------------------------------------------------------------


def make_unit(parent, title, code, unit_type, short_name="", catalogue=None):
    unit = UnitPage(
        title=title, slug=code.lower(), code=code, unit_type=unit_type, short_name=short_name, catalogue=catalogue
    )
    return parent.add_child(instance=unit)


def build_tree():
    """The whole small county; returns a namespace of its pages, catalogue and entries."""
    portal = make_portal()
    catalogue, areas, entries = make_catalogue()
    county = make_unit(portal, "中共青溪县委员会", "QX", UnitType.COUNTY, "青溪县委", catalogue)
    township = make_unit(county, "中共城关镇委员会", "QX-CGZ", UnitType.TOWNSHIP, "城关镇党委", catalogue)
    village1 = make_unit(township, "东关村党支部", "QX-CGZ-DGC", UnitType.VILLAGE, "", catalogue)
    village2 = make_unit(township, "西关村党支部", "QX-CGZ-XGC", UnitType.VILLAGE, "", catalogue)
    township2 = make_unit(county, "中共石桥镇委员会", "QX-SQZ", UnitType.TOWNSHIP, "石桥镇党委", catalogue)
    department = make_unit(county, "县财政局党组", "QX-CZJ", UnitType.DEPARTMENT, "县财政局", catalogue)
    return SimpleNamespace(
        portal=portal,
        catalogue=catalogue,
        areas=areas,
        entries=entries,
        county=county,
        township=township,
        village1=village1,
        village2=village2,
        township2=township2,
        department=department,
    )


def reload(page):
    """A fresh copy of a page from the database (publishing works on another instance)."""
    return type(page).objects.get(pk=page.pk)


# -- items --------------------------------------------------------------------------------


def make_item(unit, title, scope=Scope.PUBLIC, publish=True, named_units=(), named_groups=(), named_people=(), **fields):
    """Create a disclosure item under ``unit`` as the admin does, and publish it unless told not to."""
    fields.setdefault("slug", f"item-{_next()}")
    fields.setdefault("summary", f"{title}的摘要")
    item = DisclosureItemPage(title=title, scope=scope, live=False, **fields)
    item.unit = unit  # what the admin form does before validation
    item.named_units = list(named_units)
    item.named_groups = list(named_groups)
    item.named_people = list(named_people)
    unit.add_child(instance=item)
    revision = item.save_revision()
    if publish:
        revision.publish()
    return reload(item)


def edit_and_publish(item, **changes):
    """Change an item in a new revision and publish it; returns the fresh live item."""
    draft = item.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision().publish()
    return reload(item)


def attachment_body(document, text=""):
    """A body with a paragraph and the document attached, as the editor builds it."""
    body = []
    if text:
        body.append(("rich_text", f"<p>{text}</p>"))
    body.append(("attachment", {"document": document, "title": ""}))
    return body


# -- people and files ---------------------------------------------------------------------


def make_user(username, *groups, **fields):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **fields)
    if groups:
        user.groups.add(*groups)
    return user


def make_member(unit, username):
    """A party member of ``unit`` (in its members group, nothing else)."""
    return make_user(username, unit.members_group)


def make_document(title, filename, content, unit=None):
    """A document, uploaded to ``unit``'s collection (its pages may use only their unit's files)."""
    Document = get_document_model()
    fields = {"collection": unit.files_collection} if unit is not None else {}
    return Document.objects.create(title=title, file=ContentFile(content, name=filename), **fields)


def d(value):
    """``d("2024-03-01")`` → a date."""
    return date.fromisoformat(value)


# -- admin forms --------------------------------------------------------------------------


def item_form(title="关于2024年第一季度党费收缴情况的公示", **fields):
    """The item editor's POST data, as a browser sends it; ``fields`` override."""
    data = {
        "title": title,
        "slug": f"form-{_next()}",
        "summary": "",
        "scope": "public",
        "stage": "other",
        "importance": "general",
        "validity": "valid",
        "change_kind": "minor",
        "change_note": "",
        "body-count": "0",
        "change_notes-TOTAL_FORMS": "0",
        "change_notes-INITIAL_FORMS": "0",
        "change_notes-MIN_NUM_FORMS": "0",
        "change_notes-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


# -- a county built once per test module ------------------------------------------------


def built_once(build):
    """A module-scoped fixture holding ``build()``'s result, rolled back with the module."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build()
            transaction.set_rollback(True)

    return fixture


def fresh(county):
    """The shared county for one test, as stored: its objects read again (a test may have changed
    one in memory, e.g. Wagtail hands out the live page itself as the latest revision), and the
    per-request caches its people carry dropped."""
    from django.db import models

    for value in _objects_of(county):
        if isinstance(value, models.Model):
            value.refresh_from_db()
            value.__dict__.pop("_sunshine_unit_cache", None)
    return county


def _objects_of(namespace):
    for value in vars(namespace).values():
        if isinstance(value, SimpleNamespace):
            yield from _objects_of(value)
        else:
            yield value
