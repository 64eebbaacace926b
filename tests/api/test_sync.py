"""Incremental sync of an offline copy: ``updated_since`` lists what changed and tombstones
what readers must drop (deleted, unpublished, removed, narrowed), in both scripts."""

from datetime import timedelta

from django.utils import timezone

from disclosure_pages.choices import Scope, Takedown
from tests.api.county import PARTY, PUBLIC, CountyTestCase
from tests.factories import edit_and_publish, reload


class SyncTests(CountyTestCase):
    def sync(self, since, reader=None, locale="zh-hans"):
        return self.json("/api/v2/disclosures/", reader, locale=locale, updated_since=since.isoformat(), order="updated")

    def ids(self, items):
        return {item["id"] for item in items}

    def test_a_sync_lists_only_what_was_published_since_and_hands_back_the_next_timestamp(self):
        since = timezone.now()
        self.assertEqual(self.sync(since)["items"], [])
        item = edit_and_publish(self.items[PUBLIC], summary="补充了活动地点")
        data = self.sync(since)
        self.assertEqual([entry["summary"] for entry in data["items"]], ["补充了活动地点"])
        self.assertEqual(self.ids(self.sync(since, locale="zh-hant")["items"]), {self.variant(item).pk})
        later = data["meta"]["next_updated_since"]
        self.assertEqual(self.json("/api/v2/disclosures/", updated_since=later)["tombstones"], [])
        self.assertFalse(data["meta"]["full_resync_required"])

    def test_a_withdrawn_item_comes_back_marked_and_a_removed_one_as_a_tombstone(self):
        since = timezone.now()
        withdrawn = edit_and_publish(self.items[PUBLIC], takedown=Takedown.WITHDRAWN, takedown_reason="活动取消")
        data = self.sync(since)
        self.assertEqual([entry["takedown"]["status"]["value"] for entry in data["items"]], ["withdrawn"])
        self.assertEqual(data["items"][0]["takedown"]["reason"], "活动取消")
        self.assertEqual(data["tombstones"], [])

        edit_and_publish(withdrawn, takedown=Takedown.REMOVED, takedown_reason="内容有误")
        for locale, page in (("zh-hans", withdrawn), ("zh-hant", self.variant(withdrawn))):
            with self.subTest(locale=locale):
                data = self.sync(since, locale=locale)
                self.assertEqual(data["items"], [])
                self.assertEqual([(t["id"], t["reason"], t["locale"]) for t in data["tombstones"]], [(page.pk, "removed", locale)])

    def test_unpublished_and_deleted_items_become_tombstones(self):
        since = timezone.now()
        item, variant = self.items[PUBLIC], self.variant(self.items[PUBLIC])
        reload(item).unpublish()
        self.assertEqual([(t["id"], t["reason"]) for t in self.sync(since)["tombstones"]], [(item.pk, "unpublished")])
        self.assertEqual([(t["id"], t["reason"]) for t in self.sync(since, locale="zh-hant")["tombstones"]], [(variant.pk, "unpublished")])

        since = timezone.now()
        party = self.items[PARTY]
        reload(party).delete()
        # The public never had it and learns nothing; a member who had it drops it.
        self.assertEqual(self.sync(since)["tombstones"], [])
        self.assertEqual([(t["id"], t["reason"]) for t in self.sync(since, "cgz")["tombstones"]], [(party.pk, "deleted")])

    def test_a_narrowed_scope_is_a_tombstone_for_those_who_lost_the_item_only(self):
        since = timezone.now()
        item = edit_and_publish(self.items[PUBLIC], scope=Scope.UNIT_MEMBERS)
        for locale, page in (("zh-hans", item), ("zh-hant", self.variant(item))):
            with self.subTest(locale=locale):
                public = self.sync(since, locale=locale)
                self.assertEqual(public["items"], [])
                self.assertEqual([(t["id"], t["reason"]) for t in public["tombstones"]], [(page.pk, "restricted")])
                member = self.sync(since, "cgz", locale=locale)
                self.assertEqual(self.ids(member["items"]), {page.pk})
                self.assertEqual(member["tombstones"], [])
                other_unit = self.sync(since, "sqz", locale=locale)
                self.assertEqual([t["id"] for t in other_unit["tombstones"]], [page.pk])

    def test_a_sync_from_before_the_tombstones_kept_asks_for_a_full_one(self):
        data = self.sync(timezone.now() - timedelta(days=400))
        self.assertTrue(data["meta"]["full_resync_required"])
