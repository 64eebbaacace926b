"""What a mobile app reads: filtered lists, item details, the unit tree, the catalogue, feeds."""

from disclosure_pages.choices import Stage, Validity
from disclosure_pages.models import ItemChangeNote, UnitPage
from tests.api.county import PUBLIC, CountyTestCase
from tests.factories import d, edit_and_publish, make_item

LIST = "/api/v2/disclosures/"


class DisclosureTestCase(CountyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        t = cls.t
        cls.village_item = make_item(t.village1, "东关村2024年第一季度党费收缴情况", publish_date=d("2024-04-02"),
                                     catalogue_entry=t.entries["党费收缴使用"])
        cls.pre = make_item(t.township2, "石桥镇党员活动中心建设方案（征求意见稿）", stage=Stage.PRE_DISCLOSURE,
                            publish_date=d("2023-11-01"), comment_deadline=d("2023-11-15"), catalogue_entry=t.entries["重大决策部署"])
        cls.decision = make_item(t.township2, "石桥镇党员活动中心建设方案", stage=Stage.DECISION, previous_stage=cls.pre,
                                 publish_date=d("2023-12-01"), catalogue_entry=t.entries["重大决策部署"],
                                 body=[("table", {"data": [["项目", "金额（万元）"], ["装修", "12"]], "first_row_is_table_header": True,
                                                  "first_col_is_header": False, "table_caption": "预算"})])
        cls.expired = make_item(t.department, "县财政局2022年度预算公开", validity=Validity.VALID, effective_date=d("2022-01-01"),
                                expiry_date=d("2022-12-31"), publish_date=d("2022-01-20"), catalogue_entry=t.entries["任期目标和年度计划"])
        draft = cls.decision.get_latest_revision_as_object()
        draft.change_notes.add(ItemChangeNote(date=d("2023-12-05"), note="更正了预算金额"))
        draft.save_revision().publish()

    def titles(self, **params):
        return [item["title"] for item in self.json(LIST, **params)["items"]]


class ListTests(DisclosureTestCase):
    def test_a_townships_items_include_its_villages_unless_asked_not_to(self):
        self.assertEqual(self.titles(unit=self.t.township.pk), ["东关村2024年第一季度党费收缴情况", PUBLIC])
        self.assertEqual(self.titles(unit=self.t.township.pk, descendants="false"), [PUBLIC])
        self.assertEqual(self.titles(unit=self.t.village1.pk), ["东关村2024年第一季度党费收缴情况"])

    def test_a_townships_items_in_traditional_script_by_either_scripts_unit_id(self):
        traditional_unit = UnitPage.objects.get(translation_key=self.t.township.translation_key, locale=self.hant)
        expected = ["東關村2024年第一季度黨費收繳情況", "城關鎮黨委關於開展主題黨日活動的公告"]
        self.assertEqual(self.titles(unit=traditional_unit.pk, locale="zh-hant"), expected)
        self.assertEqual(self.titles(unit=self.t.township.pk, locale="zh-hant"), expected)
        item = self.json(LIST, unit=traditional_unit.pk, locale="zh-hant")["items"][1]
        self.assertEqual(item["stage"], {"value": "decision", "label": "決策公開"})
        self.assertEqual(item["unit"]["title"], "中共城關鎮委員會")
        self.assertEqual(item["catalogue_entry"]["area"]["name"], "組織建設")

    def test_catalogue_stage_importance_validity_and_date_filters(self):
        self.assertEqual(self.titles(entry=self.t.entries["重大决策部署"].pk, order="publish_date"),
                         ["石桥镇党员活动中心建设方案（征求意见稿）", "石桥镇党员活动中心建设方案"])
        self.assertEqual(self.titles(area=self.t.areas["全局和中心工作"].pk, stage="pre"), ["石桥镇党员活动中心建设方案（征求意见稿）"])
        self.assertEqual(self.titles(importance="important"), [PUBLIC])
        self.assertEqual(self.titles(validity="expired"), ["县财政局2022年度预算公开"])
        self.assertNotIn("县财政局2022年度预算公开", self.titles(validity="valid"))
        self.assertEqual(self.titles(year=2023, order="publish_date"), ["石桥镇党员活动中心建设方案（征求意见稿）", "石桥镇党员活动中心建设方案"])
        self.assertEqual(self.titles(date_from="2024-03-01", date_to="2024-03-31"), [PUBLIC])

    def test_pages_of_results_with_totals_and_links(self):
        first = self.json(LIST, limit=2, order="publish_date")
        self.assertEqual(first["meta"]["total_count"], 5)
        self.assertEqual([i["title"] for i in first["items"]], ["县财政局2022年度预算公开", "石桥镇党员活动中心建设方案（征求意见稿）"])
        self.assertIsNone(first["meta"]["previous"])
        second = self.json(first["meta"]["next"].removeprefix("http://testserver"))
        self.assertEqual(second["meta"]["offset"], 2)
        self.assertEqual(second["items"][0]["title"], "石桥镇党员活动中心建设方案")
        self.assertEqual(self.json(LIST, offset=50)["items"], [])

    def test_paging_through_a_list_shows_each_item_once_and_a_publication_shows_at_once(self):
        unit = self.t.township.pk
        everything = self.titles(unit=unit, limit=100)
        pages = [self.json(LIST, unit=unit, limit=1, offset=offset) for offset in range(len(everything))]
        self.assertEqual([page["items"][0]["title"] for page in pages], everything)
        self.assertEqual({page["meta"]["total_count"] for page in pages}, {len(everything)})
        make_item(self.t.village2, "西关村党员大会决议公开", publish_date=d("2030-01-01"))
        first = self.json(LIST, unit=unit, limit=1)
        self.assertEqual(first["items"][0]["title"], "西关村党员大会决议公开")
        self.assertEqual(first["meta"]["total_count"], len(everything) + 1)

    def test_a_members_list_is_never_served_to_the_public(self):
        unit = self.t.township.pk
        member = self.json(LIST, "cgz", unit=unit, limit=1, offset=0)
        self.assertEqual(member["meta"]["total_count"], 4)  # three of 城关镇's items and 东关村's
        for offset in range(4):
            response = self.get(LIST, unit=unit, limit=1, offset=offset)
            self.assertEqual(response.json()["meta"]["total_count"], 2)
            self.assertLeaksNothing(response)


class DetailTests(DisclosureTestCase):
    def test_the_detail_has_the_body_as_blocks_and_html_attachments_stages_notes_and_the_other_script(self):
        data = self.json(f"{LIST}{self.decision.pk}/")
        table = data["body"][0]
        self.assertEqual(table["type"], "table")
        self.assertEqual(table["rows"], [["项目", "金额（万元）"], ["装修", "12"]])
        self.assertTrue(table["first_row_is_header"])
        self.assertIn("<table", data["body_html"])
        self.assertEqual([(s["title"], s["stage"]["value"]) for s in data["stage_chain"]],
                         [("石桥镇党员活动中心建设方案（征求意见稿）", "pre"), ("石桥镇党员活动中心建设方案", "decision")])
        self.assertEqual(data["previous_stage"], self.pre.pk)
        self.assertEqual(data["change_notes"], [{"date": "2023-12-05", "note": "更正了预算金额"}])
        other = self.json(data["other_script"]["detail_url"].removeprefix("http://testserver"))
        self.assertEqual(other["title"], "石橋鎮黨員活動中心建設方案")
        self.assertEqual(other["stage"]["label"], "決策公開")
        self.assertEqual(other["change_notes"][0]["note"], "更正了預算金額")
        self.assertEqual(other["other_script"]["id"], self.decision.pk)

    def test_an_attachment_is_described_and_its_url_downloads_it(self):
        data = self.json(f"{LIST}{self.items[PUBLIC].pk}/")
        self.assertEqual([block["type"] for block in data["body"]], ["rich_text", "attachment", "image"])
        attachment = data["attachments"][0]
        self.assertEqual(
            {key: attachment[key] for key in ("title", "extension", "content_type", "size")},
            {"title": "主题党日活动安排（附件）", "extension": "pdf", "content_type": "application/pdf", "size": 39},
        )
        download = self.get(attachment["url"].removeprefix("http://testserver"))
        self.assertEqual(self.body(download), b"%PDF-1.4 QX-CGZ public theme day notice")
        image = data["body"][2]["image"]
        self.assertEqual((image["width"], image["height"], image["alt"]), (8, 8, "图片说明"))
        # Images go through the checked view (disclosure_pages.files), and this one is public.
        self.assertRegex(image["url"], r"^http://testserver/files/images/public-theme-day-photo[^/]*\.png$")
        picture = self.get(image["url"].removeprefix("http://testserver"))
        self.assertEqual((picture.status_code, picture["Content-Type"]), (200, "image/png"))
        self.assertTrue(self.body(picture).startswith(b"\x89PNG"))

    def test_a_withdrawn_item_stays_readable_marked_as_withdrawn(self):
        edit_and_publish(self.items[PUBLIC], takedown="withdrawn", takedown_reason="活动改期")
        data = self.json(f"{LIST}{self.items[PUBLIC].pk}/")
        self.assertEqual(data["takedown"]["status"], {"value": "withdrawn", "label": "已撤回"})
        self.assertEqual(data["takedown"]["reason"], "活动改期")


class TreeCatalogueFeedTests(DisclosureTestCase):
    def test_the_unit_tree_in_traditional_script(self):
        data = self.json("/api/v2/units/", locale="zh-hant")
        county = data["units"][0]
        self.assertEqual(county["title"], "中共青溪縣委員會")
        self.assertEqual(county["unit_type"]["label"], "縣委")
        township = county["children"][0]
        self.assertEqual(township["short_name"], "城關鎮黨委")
        # Units get their Traditional page with their first published item: 西关村 has none yet.
        self.assertEqual([v["title"] for v in township["children"]], ["東關村黨支部"])
        self.assertEqual(len(self.json("/api/v2/units/")["units"][0]["children"][0]["children"]), 2)
        self.assertTrue(township["items_url"].endswith(f"?unit={township['id']}&locale=zh-hant"))

    def test_the_catalogue_county_wide_and_of_a_unit(self):
        data = self.json("/api/v2/catalogue/", locale="zh-hant")
        catalogue = data["catalogues"][0]
        self.assertEqual(catalogue["name"], "青溪縣黨務公開目錄")
        self.assertEqual([area["name"] for area in catalogue["areas"]][:2], ["全局和中心工作", "思想政治建設"])
        entry = catalogue["areas"][2]["entries"][0]
        self.assertEqual((entry["name"], entry["timing"]["label"], entry["timing_display"]), ("黨費收繳使用", "定期公開", "定期公開（每季度）"))
        unit = self.json("/api/v2/catalogue/", unit=self.t.village1.pk)
        self.assertEqual(unit["catalogues"][0]["name"], "青溪县党务公开目录")

    def test_the_feed_mirrors_the_rss_feed(self):
        data = self.json("/api/v2/feeds/", unit=self.t.township2.pk)
        self.assertEqual(data["version"], "https://jsonfeed.org/version/1.1")
        self.assertEqual([item["title"] for item in data["items"]], ["石桥镇党员活动中心建设方案", "石桥镇党员活动中心建设方案（征求意见稿）"])
        self.assertTrue(data["_rss_url"].startswith("http://testserver/"))  # PUBLIC_BASE_URL
        rss = self.get(data["_rss_url"].removeprefix("http://testserver"))
        self.assertEqual(rss.status_code, 200)
        self.assertIn("石桥镇党员活动中心建设方案", rss.content.decode())
        entry = self.json("/api/v2/feeds/", unit=self.t.township2.pk, entry=self.t.entries["重大决策部署"].pk)
        self.assertEqual(len(entry["items"]), 2)
        self.assertIsNone(entry["_rss_url"])
        self.assertEqual(self.json("/api/v2/feeds/", unit=self.t.township.pk, entry=self.t.entries["重大决策部署"].pk)["items"], [])
