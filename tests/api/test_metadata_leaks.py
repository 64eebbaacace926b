"""What a reader learns of items he cannot see: nothing, not even an id (issue 13, item 5).

- Tombstones (``updated_since`` syncs) go only to readers who could read the item just
  before it left: the public, members of every unit, named people, token users alike. A
  member of another unit used to get ``{"id": …, "reason": "unpublished"}`` for a unit's
  members-only item he could never read.
- Stage links (``previous_stage``, ``stage_chain``) name only items the reader may see: a
  public item's detail gave the id of its members-only previous stage.

The county (``tests.api.county``)::

    item          anonymous  城关镇 member  东关村 member  石桥镇 member  named person
    public            ✓           ✓             ✓             ✓             ✓
    party             ✗           ✓             ✓             ✓             ✗
    unit              ✗           ✓             ✓             ✗             ✗
    named (石桥镇)    ✗           ✗             ✗             ✓             ✗
    named (person)    ✗           ✗             ✗             ✗             ✓
"""

from django.utils import timezone

from api.preview import make_token as preview_token
from disclosure_pages.choices import Scope, Stage, Takedown
from tests.api.county import NAMED_PERSON, NAMED_UNIT, PARTY, PUBLIC, SEES, UNIT, CountyTestCase
from tests.factories import edit_and_publish, make_item, reload

READERS = list(SEES)


class TombstoneAudienceTests(CountyTestCase):
    def tombstones(self, since, reader, locale="zh-hans"):
        data = self.json("/api/v2/disclosures/", reader, locale=locale, updated_since=since.isoformat())
        return [(t["id"], t["reason"]) for t in data["tombstones"]]

    def assertOnlyThoseWhoHadItLearn(self, since, title, page_id, reason, locale="zh-hans"):
        for reader in READERS:
            with self.subTest(reader=reader, locale=locale, title=title):
                expected = [(page_id, reason)] if title in SEES[reader] else []
                self.assertEqual(self.tombstones(since, reader, locale), expected)

    def test_an_unpublished_unit_item_is_news_only_to_its_unit(self):
        since = timezone.now()
        item, variant = self.items[UNIT], self.variant(self.items[UNIT])
        reload(item).unpublish()
        reload(variant).unpublish()
        self.assertOnlyThoseWhoHadItLearn(since, UNIT, item.pk, "unpublished")
        self.assertOnlyThoseWhoHadItLearn(since, UNIT, variant.pk, "unpublished", locale="zh-hant")

    def test_a_deleted_item_is_news_only_to_its_audience(self):
        for title in (UNIT, NAMED_UNIT, NAMED_PERSON):
            since = timezone.now()
            item = self.items[title]
            reload(item).delete()
            self.assertOnlyThoseWhoHadItLearn(since, title, item.pk, "deleted")

    def test_a_removed_item_is_news_only_to_its_audience(self):
        since = timezone.now()
        item = edit_and_publish(self.items[NAMED_PERSON], takedown=Takedown.REMOVED, takedown_reason="内容有误")
        self.assertOnlyThoseWhoHadItLearn(since, NAMED_PERSON, item.pk, "removed")

    def test_a_narrowed_item_is_news_only_to_those_who_lost_it(self):
        since = timezone.now()
        item = edit_and_publish(self.items[PARTY], scope=Scope.UNIT_MEMBERS)
        for reader in READERS:
            with self.subTest(reader=reader):
                # 石桥镇's member had it and lost it; 城关镇's still have it; the others never had it.
                expected = [(item.pk, "restricted")] if reader == "sqz" else []
                self.assertEqual(self.tombstones(since, reader), expected)

    def test_a_public_item_leaving_is_news_to_everyone(self):
        since = timezone.now()
        item = self.items[PUBLIC]
        reload(item).unpublish()
        self.assertOnlyThoseWhoHadItLearn(since, PUBLIC, item.pk, "unpublished")


class StageLinkTests(CountyTestCase):
    """A public decision whose pre-disclosure (预公开) went to 城关镇's members only."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pre = make_item(cls.t.township, "城关镇党员活动室改造方案（预公开）", scope=Scope.UNIT_MEMBERS,
                            stage=Stage.PRE_DISCLOSURE, catalogue_entry=cls.entry)
        cls.decision = make_item(cls.t.township, "城关镇党员活动室改造方案（决策）", stage=Stage.DECISION,
                                 previous_stage=cls.pre, catalogue_entry=cls.entry)
        cls.result = make_item(cls.t.township, "城关镇党员活动室改造结果", scope=Scope.UNIT_MEMBERS,
                               stage=Stage.RESULT, previous_stage=cls.decision, catalogue_entry=cls.entry)

    def detail(self, item, reader=None, locale=None):
        page = item if locale is None else self.variant(item)
        return self.json(f"/api/v2/disclosures/{page.pk}/", reader)

    def test_the_public_never_learns_the_members_only_stages(self):
        for reader in (None, "person", "sqz"):
            for locale in (None, "zh-hant"):
                with self.subTest(reader=reader, locale=locale):
                    data = self.detail(self.decision, reader, locale)
                    self.assertIsNone(data["previous_stage"])
                    chain_ids = [step["id"] for step in data["stage_chain"]]
                    self.assertEqual(chain_ids, [])  # one visible stage is no chain
                    text = self.get(f"/api/v2/disclosures/{data['id']}/", reader).content.decode()
                    for hidden in (self.pre, self.result):
                        self.assertNotIn(f"/api/v2/disclosures/{hidden.pk}/", text)
                        self.assertNotIn(f"/api/v2/disclosures/{self.variant(hidden).pk}/", text)

    def test_the_unit_sees_every_stage(self):
        for reader in ("cgz", "dgc"):
            with self.subTest(reader=reader):
                data = self.detail(self.decision, reader)
                self.assertEqual(data["previous_stage"], self.pre.pk)
                self.assertEqual([step["id"] for step in data["stage_chain"]], [self.pre.pk, self.decision.pk, self.result.pk])
                data = self.detail(self.result, reader)
                self.assertEqual(data["previous_stage"], self.decision.pk)

    def test_the_variant_links_its_own_script(self):
        data = self.detail(self.decision, "cgz", "zh-hant")
        self.assertIn(data["previous_stage"], (self.pre.pk, self.variant(self.pre).pk))

    def test_a_preview_links_only_what_its_reader_may_see(self):
        draft = reload(self.decision).save_revision()
        response = self.get("/api/v2/preview/", token=preview_token(draft))
        self.assertEqual(response.status_code, 200, response.content[:300])
        data = response.json()
        self.assertIsNone(data["previous_stage"])
        self.assertEqual(data["stage_chain"], [])
