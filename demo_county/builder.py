"""Writes the demo county to the database: settings, page tree, catalogues, items and logins."""

import contextlib
import datetime
import random
import time
import uuid
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Collection, Locale, Page, Site

from api.models import ContentVersion
from disclosure_pages.bulk import index_updates_paused, queries_unrecorded, rebuild_indexes, refresh_planner_statistics
from disclosure_pages.choices import Importance, Scope, Stage, Takedown, UnitType
from disclosure_pages.models import (
    Catalogue,
    CatalogueArea,
    CatalogueEntry,
    DisclosureItemPage,
    ItemChangeNote,
    PortalPage,
    PortalSettings,
    PowerListPage,
    PublishedAttachment,
    ShownImage,
    UnitPage,
)
from disclosure_pages.pages_compat import fast_paths
from disclosure_pages.public_urls import site_address
from disclosure_pages.tree import add_children

from . import content as c
from .bulk_items import BulkItemWriter
from .bulk_units import BulkUnitWriter
from .conf import app_settings
from .content import UnitSpec
from .files import attach_demo_files
from .review import seed_review
from .writers import CHAIN_WRITERS, Ctx, write

# Items are spread over this many days before today.
SPAN_DAYS = 3 * 365
# Chance that a unit with room for it publishes one pre-disclosure → decision (→ result) chain.
CHAIN_CHANCE = 0.45


class DemoDataExists(Exception):
    """The database already holds a portal page."""


@dataclass
class Options:
    townships: int = 12
    villages_per_township: int = 4
    departments: int = 22
    items_per_unit: int = 4
    # Instead of items_per_unit: this many items spread over the units, written in bulk for
    # benchmarks (see bulk_items); the search and reference indexes are then left to the caller.
    bulk_items: int = 0
    seed: int = 20240601
    skip_index: bool = False
    # Documents and images in each unit's collection, attached to a public and a members-only
    # item (page-by-page seeds only: the bulk writer is for benchmarks).
    demo_files: bool = True
    # Opinions on items and to units, in every state of their handling (page-by-page seeds only,
    # as the files: demo_county.opinions adds its own items).
    demo_opinions: bool = True
    # Supervision's last quarter: items on time, late and missing, chases, evaluation rounds,
    # findings and inspection notes (page-by-page seeds only; demo_county.supervision).
    demo_supervision: bool = True
    # Subscribers of each kind (demo_county.alerts), when the site has the alerts app.
    demo_alerts: bool = True

    @property
    def rebuilds_indexes(self):
        return not (self.skip_index or self.bulk_items)


@dataclass
class Report:
    units: int = 0
    items: int = 0
    power_lists: int = 0
    local_entries: int = 0
    unit_seconds: float = 0.0
    item_seconds: float = 0.0
    index_seconds: float = 0.0
    opinions: int = 0
    opinion_seconds: float = 0.0
    logins: list = field(default_factory=list)


def obligations_deferred():
    """Supervision's reckoning of the items' obligations, deferred to one rebuild (where it is installed)."""
    if not apps.is_installed("supervision"):
        return contextlib.nullcontext()
    from supervision.receivers import reckoning_deferred

    return reckoning_deferred()


def ensure_wagtail_root():
    """The tree's root page, with the default locale and root collection that migrations make.

    Recreated when missing (a flushed database), so the demo can be built on any empty one.
    """
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page), locale=Locale.get_default()
        )
    return root


class DemoBuilder:
    """Builds 云溪县: call ``run()``; progress goes to ``log`` (a callable taking a line)."""

    def __init__(self, options, log=None):
        self.options = options
        self.log = log or (lambda line: None)
        self.rng = random.Random(options.seed)
        self.today = timezone.localdate()
        self.report = Report()
        self.locale = None
        self.writer_of = {}  # CatalogueEntry pk -> writer key
        self.doc_numbers = {}  # (unit code, year) -> last number used
        self._bulk_units = False  # units and their power lists written in bulk (build_units)

    # -- entry point ------------------------------------------------------------------------

    def run(self):
        if PortalPage.objects.exists():
            raise DemoDataExists(PortalPage.objects.first().title)
        # Search indexing and reference indexing are done once at the end, not per save.
        with index_updates_paused():
            started = time.monotonic()
            with transaction.atomic():
                portal = self.build_portal()
                five_areas, seven_x = self.build_catalogues()
            tree = self.build_units(portal, five_areas, seven_x)
            self.report.unit_seconds = time.monotonic() - started
            started = time.monotonic()
            if self.options.bulk_items:
                self.build_items_in_bulk(tree)
            else:
                self.build_items(tree)
                if self.options.demo_files:
                    with transaction.atomic():
                        attach_demo_files(tree, self.log)
            self.take_down_demo_items(tree)
            # Opinions when the site has participation (an app of its own; the demo uses it, not the reverse).
            opinions = self.options.demo_opinions and not self.options.bulk_items and apps.is_installed("participation")
            if opinions:
                from .opinions import seed_opinion_items, seed_opinions
            # Before the approvals are recorded (seed_review): these items are approved as the others.
            opinion_items = seed_opinion_items(self, tree) if opinions else {}
            supervision = self.options.demo_supervision and not self.options.bulk_items and apps.is_installed("supervision")
            if supervision:
                from .supervision import seed_supervision, seed_supervision_items

                seed_supervision_items(self, tree)
            self.report.item_seconds = time.monotonic() - started
        if app_settings.SUNSHINE_DEMO_LOGINS:
            self.report.logins = self.build_logins(tree)
        seed_review(self, tree)
        if opinions:
            started = time.monotonic()
            self.report.opinions = seed_opinions(self, tree, opinion_items)
            self.report.opinion_seconds = time.monotonic() - started
        if supervision:
            seed_supervision(self, tree)
        if self.options.demo_alerts and not self.options.bulk_items and apps.is_installed("alerts"):
            from .alerts import seed_subscribers

            seed_subscribers(self, tree)
        # The bulk paths write rows without saving models one by one: the API's cached answers turn over.
        ContentVersion.bump()
        if self.options.rebuilds_indexes:
            started = time.monotonic()
            self.log("正在重建搜索索引和引用索引……")
            rebuild_indexes()
            self.report.index_seconds = time.monotonic() - started
        refresh_planner_statistics()
        return self.report

    # -- portal, site and settings ----------------------------------------------------------

    def build_portal(self):
        root = ensure_wagtail_root()
        self.locale = Locale.get_default()
        Locale.objects.get_or_create(language_code="zh-hant")
        published = self._published_at(self.today - datetime.timedelta(days=SPAN_DAYS + 60))
        portal = PortalPage(
            title=c.PORTAL_TITLE,
            slug="portal",
            introduction=c.PORTAL_INTRODUCTION,
            locale=self.locale,
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        root.add_child(instance=portal)

        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        if site is None:
            hostname, port = site_address() or ("localhost", 80)
            site = Site(hostname=hostname, port=port, is_default_site=True)
        site.root_page = portal
        site.site_name = c.PORTAL_TITLE
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page, now no site's root.
        plain_page = ContentType.objects.get_for_model(Page)
        for page in Page.objects.filter(depth=2, content_type=plain_page, numchild=0):
            if not Site.objects.filter(root_page=page).exists():
                page.delete()
        PortalSettings.objects.update_or_create(site=site, defaults=c.PORTAL_SETTINGS)
        return portal

    # -- catalogues -------------------------------------------------------------------------

    def build_catalogues(self):
        five = self._catalogue(c.FIVE_AREAS_NAME, "five_areas", c.FIVE_AREAS_DESCRIPTION, c.FIVE_AREAS)
        seven = self._catalogue(
            c.SEVEN_X_NAME,
            "seven_plus_x",
            c.SEVEN_X_DESCRIPTION,
            [(c.SEVEN_MANDATORY_AREA, c.SEVEN_MANDATORY), (c.SEVEN_OPTIONAL_AREA, c.SEVEN_SUGGESTED_X)],
        )
        return five, seven

    def _catalogue(self, name, shape, description, areas):
        catalogue = Catalogue(name=name, shape=shape, description=description, locale=self.locale)
        catalogue.save()
        for position, (area_name, entries) in enumerate(areas):
            area = CatalogueArea.objects.create(catalogue=catalogue, name=area_name, sort_order=position, locale=self.locale)
            for order, spec in enumerate(entries):
                code, entry_name, text, scope, timing, period, days, mandatory, responsible, writer_key = spec
                entry = CatalogueEntry(
                    area=area, code=code, name=entry_name, description=text, default_scope=scope, timing=timing,
                    period=period, deadline_days=days, mandatory=mandatory, responsible=responsible,
                    sort_order=order, locale=self.locale,
                )
                entry.full_clean()
                entry.save()
                self.writer_of[entry.pk] = writer_key
        return catalogue

    # -- units ------------------------------------------------------------------------------

    def build_units(self, portal, five_areas, seven_x):
        """Create the county, its departments, townships and villages; return (spec, page) pairs."""
        opts = self.options
        tree = []
        county_spec = self._county_spec()
        departments = [self._department_spec(i) for i in range(opts.departments)]
        townships = [self._township_spec(i) for i in range(opts.townships)]
        villages = {t.code: [self._village_spec(t, j) for j in range(opts.villages_per_township)] for t in townships}

        village_count = sum(len(v) for v in villages.values())
        county_spec.facts["intro"] = c.COUNTY_INTRO.format(
            townships=len(townships), villages=village_count,
            orgs=len(departments) + len(townships) + village_count + self.rng.randint(120, 260),
            members=county_spec.facts["members"],
        )
        for township in townships:
            kids = villages[township.code]
            township.facts["villages"] = len(kids)
            township.facts["places"] = [v.short_name[:-1] if v.unit_type == "village" else v.short_name for v in kids] or None
            township.facts["intro"] = self._township_intro(township, kids)

        # The bulk seed writes a batch of sibling units at once (see bulk_units); the county
        # itself, and everything in the same order, as page by page: the same tree either way.
        bulk = BulkUnitWriter() if opts.bulk_items and fast_paths() else None
        self._bulk_units = bulk is not None
        with transaction.atomic():
            county = self._create_unit(portal, county_spec, five_areas)
            tree.append((county_spec, county))
            tree += self._create_units(county, departments, five_areas, county, bulk)
            township_pages = self._create_units(county, townships, five_areas, county, bulk) if bulk else []
        self.log(f"县委和{len(departments)}个县直部门已创建。")

        for number, township_spec in enumerate(townships, start=1):
            with transaction.atomic():
                if bulk:
                    township = township_pages[number - 1][1]
                else:
                    township = self._create_unit(county, township_spec, five_areas)
                tree.append((township_spec, township))
                self._create_power_list(township, township_spec, c.TOWNSHIP_POWERS)
                village_pages = self._create_units(township, villages[township_spec.code], seven_x, county, bulk)
                tree += village_pages
                # Creating a unit draws nothing from the random generator: these draws follow
                # the same sequence whether the villages were written one by one or at once.
                for position, (village_spec, village) in enumerate(village_pages):
                    if self.rng.random() < 0.3 or (number == 1 and position == 0):
                        self._create_local_entries(village, seven_x)
                    if self.rng.random() < 0.25 or (number == 1 and position == 0):
                        self._create_power_list(village, village_spec, c.VILLAGE_POWERS)
            self.log(f"乡镇 {number}/{len(townships)}：{township_spec.title}及{len(villages[township_spec.code])}个村（社区）已创建。")
        if bulk:
            with transaction.atomic():
                bulk.finish()
        return tree

    def _create_units(self, parent, specs, catalogue, county, bulk):
        """(spec, page) of new units under ``parent``: all at once with a ``BulkUnitWriter``, else one by one."""
        if bulk is None:
            return [(spec, self._create_unit(parent, spec, catalogue)) for spec in specs]
        units = bulk.write(parent, [self._unit(spec, catalogue) for spec in specs], county)
        self.report.units += len(units)
        return list(zip(specs, units, strict=True))

    def _create_unit(self, parent, spec, catalogue):
        unit = self._unit(spec, catalogue)
        # UnitPage.save creates the unit's four groups and grants their page permissions.
        parent.add_child(instance=unit)
        self.report.units += 1
        return unit

    def _unit(self, spec, catalogue):
        facts = spec.facts
        return UnitPage(
            title=spec.title,
            slug=spec.code.lower(),
            short_name=spec.short_name,
            unit_type=spec.unit_type,
            code=spec.code,
            introduction=facts["intro"],
            address=facts["address"],
            phone=facts["phone"],
            contact_person=facts["contact_person"],
            email=facts.get("email", ""),
            office_hours=facts["office_hours"],
            catalogue=catalogue,
            locale=self.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=facts["published"],
            last_published_at=facts["published"],
        )

    def _create_local_entries(self, village, seven_x):
        area = CatalogueArea.objects.get(catalogue=seven_x, name=c.SEVEN_OPTIONAL_AREA)
        for number, spec in enumerate(self.rng.sample(c.LOCAL_X_ENTRIES, self.rng.randint(1, 2)), start=1):
            name, text, scope, timing, period, days = spec
            entry = CatalogueEntry(
                area=area, unit=village, code=f"X{10 + number}", name=name, description=text, default_scope=scope,
                timing=timing, period=period, deadline_days=days, mandatory=False, responsible="支部书记",
                sort_order=100 + number, locale=self.locale,
            )
            entry.full_clean()
            entry.save()
            self.writer_of[entry.pk] = "generic"
            self.report.local_entries += 1

    def _create_power_list(self, unit, spec, pool):
        rng = self.rng
        powers = []
        for power in rng.sample(pool, rng.randint(4, min(6, len(pool)))):
            value = dict(power, flowchart=None)
            value["steps"] = [{"type": "item", "value": step, "id": self._uuid()} for step in power["steps"]]
            powers.append({"type": "power", "value": value, "id": self._uuid()})
        is_village = spec.unit_type in (UnitType.VILLAGE, UnitType.COMMUNITY)
        title = f"{spec.short_name}“小微权力”清单" if is_village else f"{spec.facts['label']}权力清单"
        page = PowerListPage(
            title=title,
            slug="power-list",
            introduction=(
                f"按照“清权、确权、分权、限权、督权、晒权”的要求，{spec.short_name}梳理了{len(powers)}项权力事项，"
                "逐项明确行使依据、责任岗位、运行流程和结果公开方式，接受党员群众监督。"
            ),
            powers=powers,
            locale=self.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=spec.facts["published"],
            last_published_at=spec.facts["published"],
        )
        if self._bulk_units:
            # Its save adds nothing to what add_children writes: no images to record (no flowchart).
            add_children(unit, [page])
        else:
            unit.add_child(instance=page)
        self.report.power_lists += 1

    # -- unit specs (pure: no database) -----------------------------------------------------

    def _phone(self):
        return f"{c.COUNTY['area_code']}-{self.rng.choice('3456789')}{self.rng.randint(100000, 999999)}"

    def _person(self):
        ctx = Ctx(self.rng, None, self.today, self.today)
        return ctx.person()

    def _unit_published(self):
        return self._published_at(self.today - datetime.timedelta(days=SPAN_DAYS + self.rng.randint(10, 50)))

    def _county_spec(self):
        rng = self.rng
        members = rng.randint(12000, 17000)
        spec = UnitSpec(
            title=c.COUNTY["committee"], short_name="县委", code=c.COUNTY["code"], unit_type=UnitType.COUNTY,
            body="常委会", doc_prefix="云委发", head="书记",
        )
        spec.facts = {
            "label": "中共云溪县委", "meeting": "县委常委会会议", "members": members, "branch_members": rng.randint(40, 70),
            "address": c.COUNTY["address"], "phone": c.PORTAL_SETTINGS["phone"], "contact_person": self._person(),
            "email": "xwb@dangwu.yunxi.example", "office_hours": c.OFFICE_HOURS[0], "published": self._unit_published(),
            "branches": rng.randint(480, 620), "industries": ["烤烟", "核桃", "高原蔬菜", "肉牛养殖"],
        }
        return spec

    def _department_spec(self, index):
        rng = self.rng
        base = c.DEPARTMENTS[index % len(c.DEPARTMENTS)]
        title, short, suffix, body, prefix, head, duty = base
        if index >= len(c.DEPARTMENTS):  # more departments than the list: numbered branches
            round_ = index // len(c.DEPARTMENTS) + 1
            title, short, suffix, prefix = f"{title}第{round_}机关党支部", f"{short}{round_}支部", f"{suffix}{round_}", f"{prefix}{round_}"
        big = body == "党委"
        members = rng.randint(500, 1400) if big else rng.randint(16, 120)
        meeting = {"党组": "党组会议", "党委": "党委会议", "常委会": "常委会会议"}.get(body, f"{body}议")
        spec = UnitSpec(title=title, short_name=short, code=f"{c.COUNTY['code']}-{suffix}", unit_type=UnitType.DEPARTMENT,
                        body=body, doc_prefix=prefix, head=head)
        staff = rng.randint(max(members, 20), max(members, 20) + 40) if not big else rng.randint(60, 120)
        spec.facts = {
            "label": short, "meeting": meeting, "duty": duty, "members": members,
            "branch_members": min(members, rng.randint(15, 60)), "branches": rng.randint(1, 4) if not big else rng.randint(20, 60),
            "address": f"云溪县城关镇{rng.choice(c.STREETS)}{rng.randint(1, 240)}号{rng.choice(c.BUILDINGS)}",
            "phone": self._phone(), "contact_person": self._person(), "email": f"{suffix.lower()}@dangwu.yunxi.example",
            "office_hours": rng.choice(c.OFFICE_HOURS), "published": self._unit_published(),
        }
        spec.facts["intro"] = c.DEPARTMENT_INTRO.format(
            short=short.replace("党组", "").replace("党委", ""), duty=duty, sections=rng.randint(4, 11), staff=staff,
            members=members, officer=rng.choice(["办公室主任", "机关党支部书记", "党建工作专干", "综合股股长"]), meeting=meeting,
        )
        return spec

    def _township_spec(self, index):
        rng = self.rng
        if index < len(c.TOWNSHIPS):
            name, suffix, industries, area, direction = c.TOWNSHIPS[index]
        else:  # beyond the list: invent a name such as 桃甸乡 (code TDX2 if needed)
            head, head_letter = c.NAME_HEADS[index % len(c.NAME_HEADS)]
            tail, tail_letter = c.NAME_TAILS[(index // len(c.NAME_HEADS)) % len(c.NAME_TAILS)]
            kind = "镇" if index % 3 == 0 else "乡"
            round_ = index // (len(c.NAME_HEADS) * len(c.NAME_TAILS))
            name = f"{head}{tail}{kind}" if not round_ else f"{head}{tail}{c.CN_NUMBERS[min(round_, 10)]}{kind}"
            suffix = f"{head_letter}{tail_letter}{'Z' if kind == '镇' else 'X'}{index}"
            industries = rng.sample(c.VILLAGE_INDUSTRIES, 2)
            area = rng.randint(150, 420)
            direction = rng.choice(c.DIRECTIONS)
        stem = name[:-1]
        members = rng.randint(600, 1800)
        spec = UnitSpec(
            title=f"中共{name}委员会", short_name=name, code=f"{c.COUNTY['code']}-{suffix}", unit_type=UnitType.TOWNSHIP,
            body="党委", doc_prefix=f"{stem}党发", head="镇长" if name.endswith("镇") else "乡长",
        )
        spec.facts = {
            "label": f"{name}党委", "meeting": f"{name[-1]}党委会议", "members": members, "branch_members": rng.randint(25, 60),
            "industries": industries, "area": area, "direction": direction, "branches": 0,
            "address": f"云溪县{name}{rng.choice(['集镇', '政府街', '中心街', '新街'])}{rng.randint(1, 120)}号",
            "phone": self._phone(), "contact_person": self._person(), "email": f"{suffix.lower()}@dangwu.yunxi.example",
            "office_hours": rng.choice(c.OFFICE_HOURS), "published": self._unit_published(),
        }
        return spec

    def _township_intro(self, spec, villages):
        rng = self.rng
        facts = spec.facts
        location = (
            f"{spec.short_name}是云溪县县城所在地" if facts["direction"] == "县城" else f"{spec.short_name}位于云溪县{facts['direction']}"
        )
        facts["branches"] = len(villages) + rng.randint(6, 20)
        return c.TOWNSHIP_INTRO.format(
            location=location, area=facts["area"], villages=len(villages), groups=len(villages) * rng.randint(8, 16),
            population=rng.randint(18000, 52000), industries="、".join(facts["industries"]), name=spec.short_name,
            orgs=facts["branches"], members=facts["members"],
        )

    def _village_spec(self, township, index):
        rng = self.rng
        is_town = township.short_name.endswith("镇")
        communities = (2 if township.facts["direction"] == "县城" else 1) if is_town else 0
        used = township.facts.setdefault("used_names", set())
        if index < communities:
            pool, kind = c.COMMUNITY_NAMES, UnitType.COMMUNITY
        else:
            pool, kind = c.VILLAGE_NAMES, UnitType.VILLAGE
        free = [n for n in pool if n not in used]
        if not free and kind == UnitType.VILLAGE:  # the list is used up: 金坪, 银坝 ...
            free = [head + tail for head, _ in c.NAME_HEADS for tail, _ in c.NAME_TAILS if head + tail not in used]
        name = rng.choice(free) if free else f"{rng.choice(pool)}{index + 1}"
        used.add(name)
        short = f"{name}社区" if kind == UnitType.COMMUNITY else f"{name}村"
        members = rng.randint(18, 95)
        org = "党总支" if members >= 60 else "党支部"
        spec = UnitSpec(
            title=f"{township.short_name}{short}{org}", short_name=short, code=f"{township.code}-{index + 1:02d}",
            unit_type=kind, body=f"{org}委员会", doc_prefix=f"{name}{org[-2:] if org == '党总支' else '支'}发", township=township,
        )
        industries = rng.sample(township.facts["industries"] + c.VILLAGE_INDUSTRIES[:6], 2)
        cells = max(2, members // 12)
        direction = rng.choice(c.DIRECTIONS)
        women = int(members * rng.uniform(0.15, 0.35))
        if kind == UnitType.COMMUNITY:
            intro = c.COMMUNITY_INTRO.format(
                name=short, township=township.short_name, direction=direction, groups=rng.randint(4, 12),
                households=rng.randint(900, 3200), population=rng.randint(3000, 11000), feature=rng.choice(c.COMMUNITY_FEATURES),
                org=f"社区{org}", cells=cells, members=members, reported=rng.randint(20, 140),
            )
            address = f"云溪县{township.short_name}{short}党群服务中心"
        else:
            intro = c.VILLAGE_INTRO.format(
                name=short, township=township.short_name, direction=direction, km=rng.randint(2, 28), groups=rng.randint(6, 18),
                households=rng.randint(280, 1100), population=rng.randint(1100, 4300), industries="、".join(industries),
                org=f"村{org}", cells=cells, members=members, women=women,
            )
            address = f"云溪县{township.short_name}{short}村委会"
        spec.facts = {
            "label": f"{short}{org}", "meeting": f"{org}委员会会议", "members": members, "branch_members": members,
            "branches": cells, "industries": industries, "places": None, "intro": intro, "address": address,
            "phone": self._phone(), "contact_person": self._person(),
            "office_hours": rng.choice(c.VILLAGE_OFFICE_HOURS), "published": self._unit_published(),
        }
        return spec

    # -- items ------------------------------------------------------------------------------

    def build_items(self, tree):
        """Create ``items_per_unit`` items in every unit through Wagtail's page API."""
        pages = {spec.code: page for spec, page in tree}
        started = time.monotonic()
        for number, (spec, unit) in enumerate(tree, start=1):
            with transaction.atomic():
                # Fast path: add_child(live=True) without a revision or publish(). It is safe
                # because DisclosureItemPage.save() — the same save that publishing does —
                # allocates the index number, sets the unit, writes the view restriction for
                # the scope and records attachments inside this transaction, so no item is
                # ever live without its restriction.
                for item in self.unit_items(spec, unit, pages, self.options.items_per_unit):
                    unit.add_child(instance=item)
                    self.report.items += 1
            self._log_item_progress(number, len(tree), started)

    def build_items_in_bulk(self, tree):
        """Create ``bulk_items`` items spread evenly over the units, a unit at a time in bulk (see bulk_items)."""
        pages = {spec.code: page for spec, page in tree}
        writer = BulkItemWriter()
        share, remainder = divmod(self.options.bulk_items, len(tree))
        started = time.monotonic()
        # One transaction: a commit per unit, as the page-by-page path makes, waits for a disk
        # flush each time, which on PostgreSQL takes longer than writing the unit's items.
        # Supervision reckons the obligations of the whole county once, after.
        with queries_unrecorded(), obligations_deferred(), transaction.atomic():
            for number, (spec, unit) in enumerate(tree, start=1):
                items = list(self.unit_items(spec, unit, pages, share + (number <= remainder)))
                writer.write(unit, items)
                self.report.items += len(items)
                self._log_item_progress(number, len(tree), started)

    def _log_item_progress(self, units_done, units, started):
        if units_done % max(1, units // 10) == 0 or units_done == units:
            rate = self.report.items / max(time.monotonic() - started, 1e-6)
            self.log(f"事项：{units_done}/{units} 个单位，已创建 {self.report.items} 条（{rate:.0f} 条/秒）。")

    def unit_items(self, spec, unit, pages, count):
        """Yield ``count`` unsaved demo items of ``unit``, in the order they are to be created.

        Each is complete but for what saving it adds (tree position, unit, index number, view
        restriction); a later stage of a matter has the earlier one as ``previous_stage``.
        Both ways of writing items (page by page, or in bulk) use this, so a seed gives the
        same content either way. Items are yielded one by one: the page-by-page writer has
        saved the previous stage by the time the next one links to it.
        """
        if count <= 0:
            return
        rng = random.Random(f"{self.options.seed}-{spec.code}")
        entries = list(unit.catalogue_entries())
        if not entries:
            return
        by_writer = {}
        for entry in entries:
            by_writer.setdefault(self.writer_of.get(entry.pk, "generic"), []).append(entry)

        plans = []  # (publish date, entry, draft, position in its chain, chain id), both None for single items
        chain_keys = [key for key in CHAIN_WRITERS if key in by_writer]
        # One chain in about half the units, and roughly one more per 30 items in large runs.
        chains = (rng.random() < CHAIN_CHANCE) + sum(rng.random() < 0.5 for _ in range(count // 15))
        budget = count
        for chain_id in range(1, chains + 1):
            if budget < 2 or not chain_keys:
                break
            key = rng.choice(chain_keys)
            length = 3 if budget >= 3 and rng.random() < 0.75 else 2
            dates = self._chain_dates(rng, length)
            entry = rng.choice(by_writer[key])
            ctx = Ctx(rng, spec, dates[0], self.today, entry)
            for position, draft in enumerate(CHAIN_WRITERS[key](ctx, dates)):
                plans.append((dates[position], entry, draft, position, chain_id))
            budget -= length

        # Single items: walk the entries in a shuffled order so a unit covers its catalogue.
        weighted = entries + [e for e in entries if e.unit_id]  # local entries twice as likely
        order = []
        while len(order) < budget:
            batch = weighted[:]
            rng.shuffle(batch)
            order.extend(batch)
        for entry in order[:budget]:
            date = self.today - datetime.timedelta(days=int(SPAN_DAYS * rng.random() ** 0.8))
            ctx = Ctx(rng, spec, date, self.today, entry)
            plans.append((date, entry, write(self.writer_of.get(entry.pk, "generic"), ctx), None, None))

        # Documents are dated a few days before publication; index numbers are handed out in
        # document-date order, so create the items in that order.
        plans = [(plan[0] - datetime.timedelta(days=rng.randint(0, 4)), *plan) for plan in plans]
        plans.sort(key=lambda plan: (plan[0], plan[1], plan[4] or 0))
        previous = {}  # chain id -> the item of its previous stage
        for sequence, (document_date, date, entry, draft, position, chain) in enumerate(plans, start=1):
            item = self._item(rng, spec, entry, document_date, date, draft, sequence, pages)
            if chain is not None:
                item.previous_stage = previous.get(chain)
                previous[chain] = item
            yield item

    def take_down_demo_items(self, tree):
        """One withdrawn (撤回) and one removed (撤除) item in the first township, to show both at once."""
        township = next((page for spec, page in tree if spec.unit_type == UnitType.TOWNSHIP), None)
        if township is None:
            return
        candidates = list(
            DisclosureItemPage.objects.child_of(township)
            .filter(scope=Scope.PUBLIC, stage=Stage.OTHER, previous_stage=None, next_stages=None)
            # Not the items that show the unit's demo files: those are for trying attachment access.
            .exclude(pk__in=PublishedAttachment.objects.values("item_id"))
            .exclude(pk__in=ShownImage.objects.values("page_id"))
            .select_related("catalogue_entry")
            .order_by("publish_date", "pk")
        )
        if len(candidates) < 2:
            return
        # The withdrawn item is one the reasons are written for (else its entry is named); the
        # removed one a notice listing people, which is what its reason is about.
        kind_of = lambda item: self.writer_of.get(item.catalogue_entry_id, "generic")  # noqa: E731
        withdrawn = next((item for item in candidates if kind_of(item) in c.WITHDRAWAL_REASONS), candidates[0])
        rest = [item for item in candidates if item.pk != withdrawn.pk]
        removed = next((item for item in rest if any(word in item.title for word in c.REMOVAL_TITLE_WORDS)), rest[0])
        reason = c.WITHDRAWAL_REASONS.get(kind_of(withdrawn)) or c.WITHDRAWAL_REASON_OF_ENTRY.format(
            entry=withdrawn.catalogue_entry.name if withdrawn.catalogue_entry else withdrawn.title
        )
        chosen = [(withdrawn, (Takedown.WITHDRAWN, reason)), (removed, (Takedown.REMOVED, c.removal_reason(removed.title)))]
        for item, (kind, reason) in chosen:
            item.takedown, item.takedown_reason = kind, reason
            item.takedown_date = min(self.today, item.publish_date + datetime.timedelta(days=30))
            item.save()
            self.log(f"演示：{township.title}的《{item.title}》{item.get_takedown_display()}。")

    def _chain_dates(self, rng, length):
        start = self.today - datetime.timedelta(days=rng.randint(140, SPAN_DAYS))
        decision = start + datetime.timedelta(days=rng.randint(18, 35))
        dates = [start, decision]
        if length > 2:
            dates.append(min(self.today, decision + datetime.timedelta(days=rng.randint(20, 90))))
        return dates

    def _item(self, rng, spec, entry, document_date, date, draft, sequence, pages):
        is_village = spec.unit_type in (UnitType.VILLAGE, UnitType.COMMUNITY)
        scope, named = self._scope(rng, spec, entry, draft, pages)
        importance = draft.importance
        if importance == Importance.GENERAL and rng.random() < 0.08:
            importance = Importance.IMPORTANT
        number = ""
        if rng.random() < (0.2 if is_village else 0.6) and draft.stage != Stage.PRE_DISCLOSURE:
            number = self._document_number(rng, spec, document_date)
        published = self._published_at(date, rng)
        item = DisclosureItemPage(
            title=draft.title[:255],
            slug="",  # the index number's (2026-00001), given with it as the item is saved
            summary=draft.summary[:500],
            body=[{"type": kind, "value": value, "id": self._uuid(rng)} for kind, value in draft.blocks],
            catalogue_entry=entry,
            document_number=number,
            document_date=document_date,
            publish_date=date,
            scope=scope,
            stage=draft.stage,
            importance=importance,
            comment_deadline=draft.comment_deadline,
            validity=draft.validity,
            effective_date=draft.effective_date,
            expiry_date=draft.expiry_date,
            locale=self.locale,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
        )
        if named:
            item.named_units = named
        if draft.stage != Stage.PRE_DISCLOSURE and date < self.today and rng.random() < 0.08:
            latest = date
            for note in rng.sample(c.CHANGE_NOTES, rng.randint(1, 2)):
                when = min(self.today, date + datetime.timedelta(days=rng.randint(1, 60)))
                latest = max(latest, when)
                item.change_notes.add(ItemChangeNote(date=when, note=note))
            item.last_published_at = self._published_at(latest, rng)
        return item

    def _scope(self, rng, spec, entry, draft, pages):
        """Mostly the entry's default; now and then narrower, or named organisations."""
        scope = entry.default_scope
        roll = rng.random()
        if draft.stage in (Stage.PRE_DISCLOSURE, Stage.DECISION, Stage.RESULT):
            pass  # the stages of one matter go out to the entry's audience
        elif scope == Scope.PUBLIC and roll < 0.05:
            scope = Scope.UNIT_MEMBERS
        elif scope == Scope.PUBLIC and roll < 0.08:
            scope = Scope.ALL_MEMBERS
        elif roll > 0.96:
            scope = Scope.NAMED
        if scope != Scope.NAMED:
            return scope, None
        unit = pages[spec.code]
        if spec.township is not None:
            named = [pages[spec.township.code], unit]
        elif spec.unit_type == UnitType.COUNTY:
            named = [pages[f"{c.COUNTY['code']}-{s}"] for s in ("ZZB", "JW") if f"{c.COUNTY['code']}-{s}" in pages] or [unit]
        else:
            named = [pages[c.COUNTY["code"]], unit]
        return scope, named

    def _document_number(self, rng, spec, document_date):
        key = (spec.code, document_date.year)
        number = self.doc_numbers.get(key, 0) + rng.randint(1, 3)
        self.doc_numbers[key] = number
        return f"{spec.doc_prefix}〔{document_date.year}〕{number}号"

    def _published_at(self, date, rng=None):
        rng = rng or self.rng
        moment = datetime.datetime.combine(date, datetime.time(8, 30)) + datetime.timedelta(minutes=rng.randint(0, 570))
        return min(timezone.make_aware(moment), timezone.now())

    def _uuid(self, rng=None):
        return str(uuid.UUID(int=(rng or self.rng).getrandbits(128), version=4))

    # -- demo logins ------------------------------------------------------------------------

    def build_logins(self, tree):
        """Users for trying the workflow; only with SUNSHINE_DEMO_LOGINS (development)."""
        county = next(page for spec, page in tree if spec.unit_type == UnitType.COUNTY)
        township = next((page for spec, page in tree if spec.unit_type == UnitType.TOWNSHIP), None)
        village = None
        if township is not None:
            village = next((page for spec, page in tree if spec.township is not None and spec.township.code == township.code), None)
        township_name = township.title if township else county.title
        village_name = village.title if village else township_name
        memberships = {
            "admin": [],
            "officer": [township.officers_group, township.members_group] if township else [county.officers_group],
            "approver": [township.leading_group, township.members_group] if township else [county.leading_group],
            "reviewer": [county.leading_group],
            "member": [village.members_group] if village else [county.members_group],
        }
        User = get_user_model()
        logins = []
        with transaction.atomic():
            for username, password, full_name, role in c.DEMO_LOGINS:
                user = User.objects.filter(username=username).first() or User(username=username)
                user.set_password(password)
                user.first_name, user.last_name = full_name, ""
                user.email = f"{username}@dangwu.yunxi.example"
                user.is_active = True
                user.is_staff = user.is_superuser = username == "admin"
                user.save()
                user.groups.set([group for group in memberships[username] if group is not None])
                logins.append((username, password, full_name, role.format(township=township_name, village=village_name)))
        return logins
