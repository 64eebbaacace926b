"""The item change feed (``disclosure_pages.changes``): what a subscriber hears of each kind of
change, durable delivery, nothing durable from a rolled-back write, bulk writes said as page
saves say them, and the domain importing none of its consumers."""

import ast
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.test import TestCase
from wagtail.models import Page

from api.models import ContentVersion, Tombstone
from disclosure_pages.changes import ChangeKind, DurableSubscription, ItemChange, ItemState, item_changes
from disclosure_pages.choices import Scope, Takedown, UnitType
from demo_county.bulk_items import BulkItemWriter
from disclosure_pages.membership import all_members_group
from disclosure_pages.models import DisclosureItemPage, PendingItemChange
from disclosure_pages.visibility import PUBLIC, group_key
from search.models import PendingIndexUpdate, SearchDocument
from search.updates import apply_due_updates
from tests.factories import build_tree, d, edit_and_publish, make_item, make_unit, make_user, reload


@contextmanager
def heard():
    """The changes a subscriber receives inside the block, in order."""
    received = []

    def receive(sender, changes, **kwargs):
        received.extend(changes)

    item_changes.connect(receive, dispatch_uid="test-heard")
    try:
        yield received
    finally:
        item_changes.disconnect(dispatch_uid="test-heard")


def of_page(changes, page):
    return [change for change in changes if change.page_id == page.pk]


def members_keys(*units):
    return tuple(sorted(group_key(unit.members_group_id) for unit in units))


class ChangeKindTests(TestCase):
    """A test per kind: the change a subscriber receives, with the states before and after."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()

    def the_change(self, changes, page):
        found = of_page(changes, page)
        self.assertEqual(len(found), 1, found)
        return found[0]

    def test_created(self):
        with heard() as changes:
            item = make_item(self.tree.township, "城关镇党委换届选举工作方案（草稿）", publish=False)
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.CREATED})
        self.assertIsNone(change.before)
        self.assertEqual(
            change.after,
            ItemState(live=False, unit_id=self.tree.township.pk, scope=Scope.PUBLIC, audience=(PUBLIC,), people=(),
                      takedown=Takedown.NONE, revision_id=None),
        )
        self.assertEqual((change.translation_key, change.locale_id), (item.translation_key, item.locale_id))

    def test_published(self):
        draft = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知", publish=False)
        with heard() as changes:
            draft.get_latest_revision().publish()
        item = reload(draft)
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.PUBLISHED, ChangeKind.REVISED})
        self.assertEqual((change.before.live, change.before.revision_id), (False, None))
        self.assertEqual((change.after.live, change.after.revision_id), (True, item.live_revision_id))

    def test_revised(self):
        item = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
        with heard() as changes:
            item = edit_and_publish(item, summary="补充了活动地点")
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.REVISED})
        self.assertNotEqual(change.before.revision_id, change.after.revision_id)
        self.assertEqual(change.after.revision_id, item.live_revision_id)

    def test_unpublished(self):
        item = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
        with heard() as changes:
            reload(item).unpublish()
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.UNPUBLISHED})
        self.assertEqual((change.before.live, change.after.live), (True, False))

    def test_moved(self):
        item = make_item(self.tree.village1, "东关村党员大会决议", scope=Scope.UNIT_MEMBERS)
        with heard() as changes:
            reload(item).move(self.tree.village2, pos="last-child")
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.MOVED, ChangeKind.AUDIENCE_CHANGED})
        self.assertEqual((change.before.unit_id, change.after.unit_id), (self.tree.village1.pk, self.tree.village2.pk))
        self.assertEqual(change.before.audience, members_keys(self.tree.village1))
        self.assertEqual(change.after.audience, members_keys(self.tree.village2))

    def test_scope_changed(self):
        item = make_item(self.tree.township, "城关镇党委民主生活会整改清单")
        with heard() as changes:
            edit_and_publish(item, scope=Scope.UNIT_MEMBERS)
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.REVISED, ChangeKind.AUDIENCE_CHANGED})
        self.assertEqual((change.before.scope, change.before.audience), (Scope.PUBLIC, (PUBLIC,)))
        township = self.tree.township
        self.assertEqual(
            (change.after.scope, change.after.audience),
            (Scope.UNIT_MEMBERS, members_keys(township, self.tree.village1, self.tree.village2)),
        )

    def test_a_new_unit_joins_the_audience_of_its_ancestors_unit_scoped_items(self):
        item = make_item(self.tree.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS)
        with heard() as changes:
            village = make_unit(self.tree.township, "南关村党支部", "QX-CGZ-NGC", UnitType.VILLAGE)
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.AUDIENCE_CHANGED})
        self.assertEqual(set(change.after.audience) - set(change.before.audience), {group_key(village.members_group_id)})

    def test_named_people_are_people_not_a_group(self):
        first, second = make_user("named-one"), make_user("named-two")
        item = make_item(self.tree.township, "城关镇发展对象政治审查情况", scope=Scope.NAMED, named_people=[first])
        self.assertEqual(reload(item).audience_group.user_set.get(), first)
        with heard() as changes:
            edit_and_publish(item, named_people=[first, second])
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.REVISED, ChangeKind.AUDIENCE_CHANGED})
        self.assertEqual((change.before.audience, change.before.people), ((), (first.pk,)))
        self.assertEqual((change.after.audience, change.after.people), ((), (first.pk, second.pk)))

    def test_withdrawn_removed_and_reinstated(self):
        item = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
        steps = [
            (Takedown.WITHDRAWN, ChangeKind.WITHDRAWN),
            (Takedown.REMOVED, ChangeKind.REMOVED),
            (Takedown.NONE, ChangeKind.REINSTATED),
        ]
        for takedown, kind in steps:
            with self.subTest(takedown=takedown), heard() as changes:
                before = reload(item).takedown
                edit_and_publish(item, takedown=takedown, takedown_reason="活动取消" if takedown != Takedown.NONE else "")
                change = self.the_change(changes, item)
                self.assertEqual(change.kinds, {ChangeKind.REVISED, kind})
                self.assertEqual((change.before.takedown, change.after.takedown), (before, takedown))

    def test_deleted(self):
        person = make_user("named-person")
        item = make_item(self.tree.township, "城关镇发展对象政治审查情况", scope=Scope.NAMED, named_people=[person])
        with heard() as changes:
            reload(item).delete()
        change = self.the_change(changes, item)
        self.assertEqual(change.kinds, {ChangeKind.DELETED})
        self.assertIsNone(change.after)
        # Said before the rows go: the item's own group and its people are still known.
        self.assertEqual((change.before.live, change.before.scope, change.before.people), (True, Scope.NAMED, (person.pk,)))

    def test_a_new_scope_reaches_the_variant_once(self):
        item = make_item(self.tree.township, "城关镇党委民主生活会整改清单")
        variant = DisclosureItemPage.objects.exclude(pk=item.pk).get(translation_key=item.translation_key)
        with heard() as changes:
            edit_and_publish(item, scope=Scope.ALL_MEMBERS)
        # Its audience changes with its source's save; its own publish then has nothing to add.
        said = [change.kinds for change in of_page(changes, variant)]
        self.assertEqual(said, [{ChangeKind.AUDIENCE_CHANGED}, {ChangeKind.REVISED}])
        self.assertEqual(reload(variant).scope, Scope.ALL_MEMBERS)

    def test_a_payload_survives_its_json(self):
        item = make_item(self.tree.township, "城关镇党委民主生活会整改清单", scope=Scope.UNIT_MEMBERS)
        with heard() as changes:
            edit_and_publish(item, takedown=Takedown.REMOVED, takedown_reason="内容有误")
        change = self.the_change(changes, item)
        self.assertEqual(ItemChange.from_json(change.as_json()), change)


class DurableDeliveryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()

    def setUp(self):
        self.wanted = {ChangeKind.PUBLISHED, ChangeKind.UNPUBLISHED, ChangeKind.DELETED}
        self.alerts = DurableSubscription("example-consumer", kinds=self.wanted)
        self.alerts.connect()
        self.addCleanup(self.alerts.disconnect)

    def test_the_changes_a_consumer_wants_wait_for_it_until_done(self):
        with heard() as changes:
            item = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
            reload(item).delete()
        pending = self.alerts.pending()
        wanted = [change for change in changes if change.kinds & self.wanted]
        self.assertEqual([change for _, change in pending], wanted)
        self.assertEqual(
            [change.kinds for change in of_page(wanted, item)], [{ChangeKind.PUBLISHED, ChangeKind.REVISED}, {ChangeKind.DELETED}]
        )
        self.alerts.done([pending[0][0]])
        self.assertEqual(self.alerts.pending(), pending[1:])

    def test_a_rolled_back_write_leaves_nothing_durable(self):
        item = make_item(self.tree.township, "城关镇关于开展主题党日活动的通知")
        PendingIndexUpdate.objects.all().delete()
        PendingItemChange.objects.all().delete()
        version = ContentVersion.current().number
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(RuntimeError), transaction.atomic():
                reload(item).unpublish()
                # Within the write, every consumer has written its row.
                self.assertTrue(Tombstone.objects.filter(page_id=item.pk).exists())
                self.assertTrue(PendingIndexUpdate.objects.filter(page_id=item.pk).exists())
                self.assertTrue(PendingItemChange.objects.filter(page_id=item.pk).exists())
                raise RuntimeError("the write fails after the change was said")
        self.assertEqual(callbacks, [])
        self.assertFalse(Tombstone.objects.exists())
        self.assertFalse(PendingIndexUpdate.objects.exists())
        self.assertFalse(PendingItemChange.objects.exists())
        self.assertEqual(ContentVersion.current().number, version)
        self.assertTrue(reload(item).live)


def bulk_specs(tree):
    """Unsaved items for 城关镇, one of each scope the bulk writer takes, complete as the demo's
    are (the bulk writer fills in only what a save adds to them)."""
    specs = [
        ("城关镇关于开展主题党日活动的通知", Scope.PUBLIC, ()),
        ("城关镇党委理论学习中心组学习安排", Scope.ALL_MEMBERS, ()),
        ("城关镇党委民主生活会整改清单", Scope.UNIT_MEMBERS, ()),
        ("城关镇与石桥镇联建党支部工作方案", Scope.NAMED, (tree.township2,)),
    ]
    items = []
    for number, (title, scope, named_units) in enumerate(specs, start=1):
        item = DisclosureItemPage(
            title=title, slug="", summary=f"{title}的摘要", scope=scope, live=True,
            document_date=d("2026-03-0{}".format(number)), publish_date=d("2026-03-10"),
        )
        item.named_units = list(named_units)
        items.append(item)
    return items


class BulkParityTests(TestCase):
    maxDiff = None
    """The bulk writer says what page saves say, so every consumer ends up the same."""

    @classmethod
    def setUpTestData(cls):
        cls.tree = build_tree()
        # Made on first use, and kept: a group made inside an outcome would get another id
        # the second time on PostgreSQL, whose sequences do not roll back.
        all_members_group()
        apply_due_updates()

    def outcome(self, write):
        """What the consumers hold after ``write`` (undone afterwards), by tree path."""
        unit = reload(self.tree.township)
        version = ContentVersion.current().number
        with transaction.atomic():
            with heard() as changes:
                write(unit, bulk_specs(self.tree))
            apply_due_updates()
            path_of = dict(Page.objects.values_list("pk", "path"))
            ignored = ("page_id", "indexed_at", "change")
            fields = [field.name for field in SearchDocument._meta.concrete_fields if field.name not in ignored]
            outcome = {
                "changes": sorted((path_of[change.page_id], change.kinds, change.before, change.after) for change in changes),
                "documents": {
                    path_of[row.pop("page_id")]: row for row in SearchDocument.objects.values("page_id", *fields)
                },
                "tombstones": list(Tombstone.objects.values_list("page_id", "reason")),
                "version_turned": ContentVersion.current().number > version,
                "variants": DisclosureItemPage.objects.exclude(locale=unit.locale).count(),
            }
            transaction.set_rollback(True)
        return outcome

    def test_bulk_writes_leave_what_page_saves_leave(self):
        def page_by_page(unit, items):
            for item in items:
                unit.add_child(instance=item)

        expected = self.outcome(page_by_page)
        actual = self.outcome(lambda unit, items: BulkItemWriter().write(unit, items))
        self.assertEqual(len(expected["changes"]), 4)
        self.assertTrue(all(kinds == {ChangeKind.CREATED, ChangeKind.PUBLISHED} for _, kinds, _, _ in expected["changes"]))
        self.assertEqual(len(expected["documents"]), 4)
        self.assertTrue(expected["version_turned"])
        for name in ("changes", "documents", "tombstones", "version_turned", "variants"):
            with self.subTest(name):
                self.assertEqual(actual[name], expected[name])


class PagesWithChildrenIndexTests(TestCase):
    def test_the_domains_migrations_make_the_index_visible_pages_uses(self):
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, Page._meta.db_table)
        self.assertIn("disclosure_api_pages_with_children", indexes)


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


class IndependenceTests(TestCase):
    def test_the_domain_imports_none_of_its_consumers(self):
        consumers = {"api", "search", "script_variants"}
        root = Path(__file__).resolve().parents[2] / "disclosure_pages"
        for path in root.rglob("*.py"):
            imported = {name.split(".")[0] for name in imported_modules(path)}
            self.assertFalse(imported & consumers, path.relative_to(root))
