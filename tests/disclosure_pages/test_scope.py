"""公开范围 on every public surface: members-only items never reach the public.

The county: 青溪县委 → 城关镇党委 (→ 东关村, 西关村), 石桥镇党委, 县财政局党组.
城关镇 publishes one item of each scope; who may see each one:

    item          anonymous  城关镇  东关村(village)  石桥镇  财政局  指定人员  logged-in non-member
    public            ✓        ✓         ✓            ✓       ✓        ✓            ✓
    party             ✗        ✓         ✓            ✓       ✓        ✗            ✗
    unit              ✗        ✓         ✓            ✗       ✗        ✗            ✗
    named (石桥镇)    ✗        ✗         ✗            ✓       ✗        ✗            ✗
    named (person)    ✗        ✗         ✗            ✗       ✗        ✓            ✗
"""

import importlib
import re
from unittest import mock

from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import clear_url_caches
from wagtail.models import Locale, PageViewRestriction

from disclosure_pages.choices import Scope, Stage
from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.visibility import ANONYMOUS, restricted_sections, user_can_view, visible_pages
from tests.factories import (
    attachment_body,
    build_tree,
    d,
    edit_and_publish,
    make_document,
    make_item,
    make_member,
    make_user,
    reload,
)

PUBLIC = "城关镇党委关于开展主题党日活动的公告"
PARTY = "城关镇党委理论学习中心组学习安排"
UNIT = "城关镇党委民主生活会整改清单"
NAMED_UNIT = "城关镇与石桥镇联建党支部工作方案"
NAMED_PERSON = "城关镇发展对象政治审查情况"
MEMBERS_ONLY = (PARTY, UNIT, NAMED_UNIT, NAMED_PERSON)

# Who sees what, by user key (None = anonymous).
SEES = {
    None: {PUBLIC},
    "cgz": {PUBLIC, PARTY, UNIT},
    "dgc": {PUBLIC, PARTY, UNIT},
    "sqz": {PUBLIC, PARTY, NAMED_UNIT},
    "czj": {PUBLIC, PARTY},
    "person": {PUBLIC, NAMED_PERSON},
    "outsider": {PUBLIC},
}

SECRET_BYTES = b"%PDF-1.4 QX-CGZ members-only rectification list, 12 measures"
PUBLIC_BYTES = b"%PDF-1.4 QX-CGZ public theme day notice"
# The members' sign-in in the default script (a URL name in the settings).
LOGIN_URL = "/zh-hans/account/login/"


def can_open(item, user):
    """Wagtail's own page check (what guards the page itself): every restriction must pass."""
    request = RequestFactory().get(item.url)
    request.user = user
    return all(restriction.accept_request(request) for restriction in item.get_view_restrictions())


class ScopeTestCase(TestCase):
    """One county, one item of each scope, one member of each unit."""

    @classmethod
    def setUpTestData(cls):
        t = cls.t = build_tree()
        cls.users = {
            "cgz": make_member(t.township, "cgz-member"),
            "dgc": make_member(t.village1, "dgc-member"),
            "sqz": make_member(t.township2, "sqz-member"),
            "czj": make_member(t.department, "czj-member"),
            "person": make_user("named-person"),
            "outsider": make_user("outsider"),
        }
        cls.entry = t.entries["党费收缴使用"]
        cls.secret_doc = make_document("民主生活会整改清单（附件）", "zhenggai.pdf", SECRET_BYTES, unit=t.township)
        cls.public_doc = make_document("主题党日活动安排（附件）", "zhuti.pdf", PUBLIC_BYTES, unit=t.township)
        common = {"catalogue_entry": cls.entry}
        cls.items = {
            PUBLIC: make_item(
                t.township,
                PUBLIC,
                body=attachment_body(cls.public_doc, "每月第一个星期五为主题党日"),
                document_number="城党发〔2024〕5号",
                document_date=d("2024-03-01"),
                **common,
            ),
            PARTY: make_item(t.township, PARTY, scope=Scope.ALL_MEMBERS, **common),
            UNIT: make_item(
                t.township, UNIT, scope=Scope.UNIT_MEMBERS, body=attachment_body(cls.secret_doc, "整改措施共十二条"), **common
            ),
            NAMED_UNIT: make_item(t.township, NAMED_UNIT, scope=Scope.NAMED, named_units=[t.township2], **common),
            NAMED_PERSON: make_item(
                t.township, NAMED_PERSON, scope=Scope.NAMED, named_people=[cls.users["person"]], **common
            ),
        }

    # -- helpers ------------------------------------------------------------------------

    def client_for(self, key):
        client = Client()
        if key is not None:
            client.force_login(self.users[key])
        return client

    def get(self, url, key=None, **kwargs):
        return self.client_for(key).get(url, **kwargs)

    def text(self, response):
        if response.streaming:
            return b"".join(response.streaming_content).decode()
        return response.content.decode()

    def assertShowsExactly(self, response, expected, message=""):
        """The response is a page that lists exactly the ``expected`` titles of our items."""
        self.assertEqual(response.status_code, 200, message)
        html = self.text(response)
        shown = {title for title in self.items if title in html}
        self.assertEqual(shown, expected, message)

    def assertNotServed(self, response, *texts):
        """A refusal: not a 200, and none of ``texts`` in what was sent."""
        self.assertNotEqual(response.status_code, 200)
        body = self.text(response)
        for text in texts:
            self.assertNotIn(text, body)


class ItemPageTests(ScopeTestCase):
    def test_public_item_shows_its_metadata_to_anyone(self):
        item = self.items[PUBLIC]
        response = self.get(item.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(PUBLIC, html)
        self.assertIn("每月第一个星期五为主题党日", html)
        for label in ("索引号", "发布机构", "成文日期", "发布日期", "文号", "公开范围", "有效性", "所属目录"):
            self.assertIn(label, html)
        self.assertRegex(item.index_number, r"^QX-CGZ/2024-\d{5}$")
        for value in (item.index_number, "中共城关镇委员会", "2024年3月1日", "城党发〔2024〕5号", "向社会公开", "有效", "党费收缴使用"):
            self.assertIn(value, html)
        self.assertIn(self.public_doc.url, html)

    def test_members_only_items_send_anonymous_users_to_login(self):
        for title in MEMBERS_ONLY:
            item = self.items[title]
            response = self.get(item.url)
            self.assertEqual(response.status_code, 302, title)
            self.assertTrue(response["Location"].startswith(LOGIN_URL), response["Location"])
            self.assertNotServed(response, title, f"{title}的摘要")

    def test_members_only_items_are_refused_to_members_who_may_not_see_them(self):
        for key, sees in SEES.items():
            if key is None:
                continue
            for title in set(MEMBERS_ONLY) - sees:
                self.assertNotServed(self.get(self.items[title].url, key), title, f"{title}的摘要")

    def test_members_only_items_are_shown_to_their_audience(self):
        for key, sees in SEES.items():
            for title in sees:
                response = self.get(self.items[title].url, key)
                self.assertEqual(response.status_code, 200, (key, title))
                self.assertIn(title, response.content.decode(), (key, title))

    def test_unit_scoped_item_body_and_attachment_link_for_a_village_member(self):
        response = self.get(self.items[UNIT].url, "dgc")
        html = response.content.decode()
        self.assertIn("整改措施共十二条", html)
        self.assertIn(self.secret_doc.url, html)

    def test_print_view_follows_the_same_scope(self):
        for key, sees in SEES.items():
            for title, item in self.items.items():
                response = self.get(item.url + "print/", key)
                if title in sees:
                    self.assertEqual(response.status_code, 200, (key, title))
                    self.assertIn(title, response.content.decode())
                else:
                    self.assertNotServed(response, title, f"{title}的摘要")

    def test_print_view_refusal_for_anonymous_is_a_login_redirect(self):
        response = self.get(self.items[UNIT].url + "print/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(LOGIN_URL))


class ListingTests(ScopeTestCase):
    def test_unit_page_lists_only_what_the_visitor_may_see(self):
        for key, sees in SEES.items():
            self.assertShowsExactly(self.get(self.t.township.url, key), sees, key)

    def test_portal_home_latest_items(self):
        for key, sees in SEES.items():
            self.assertShowsExactly(self.get(self.t.portal.url, key), sees, key)

    def test_a_unit_made_private_hides_its_items_from_who_may_not_view_it(self):
        # A restriction on a page with children hides its whole section, in every listing.
        restriction = PageViewRestriction.objects.create(page=self.t.township, restriction_type=PageViewRestriction.GROUPS)
        restriction.groups.set([self.t.township.members_group])
        for key, sees in SEES.items():
            expected = sees if key == "cgz" else set()
            self.assertShowsExactly(self.get(self.t.portal.url, key), expected, key)
            self.assertEqual(
                {item.title for item in visible_pages(DisclosureItemPage.objects.all(), self.users[key] if key else ANONYMOUS)}
                & set(self.items), expected, key,
            )
        restriction.restriction_type = PageViewRestriction.LOGIN
        restriction.save()
        self.assertShowsExactly(self.get(self.t.portal.url, "outsider"), SEES["outsider"], "outsider, signed in")
        self.assertShowsExactly(self.get(self.t.portal.url), set(), "anonymous")

    def test_the_restricted_sections_kept_by_content_version_move_with_a_restriction(self):
        # As between requests, outside any transaction (a test runs inside one, where nothing is kept).
        with mock.patch("disclosure_pages.visibility._reads_are_committed", return_value=True):
            self.assertEqual(restricted_sections(), [])
            with self.assertNumQueries(1):  # the content version only
                self.assertEqual(restricted_sections(), [])
            restriction = PageViewRestriction.objects.create(page=self.t.township, restriction_type=PageViewRestriction.LOGIN)
            self.assertEqual(restricted_sections(), [self.t.township.pk])
            self.assertShowsExactly(self.get(self.t.portal.url), set(), "anonymous")
            restriction.delete()
            self.assertEqual(restricted_sections(), [])
            self.assertShowsExactly(self.get(self.t.portal.url), SEES[None], "anonymous")

    def test_catalogue_entry_page(self):
        url = f"{self.t.portal.url}catalogue/{self.entry.translation_key}/"
        for key, sees in SEES.items():
            self.assertShowsExactly(self.get(url, key), sees, key)


    def test_catalogue_entry_page_filtered_to_one_unit(self):
        url = f"{self.t.portal.url}catalogue/{self.entry.translation_key}/?unit={self.t.township.code}"
        for key, sees in SEES.items():
            self.assertShowsExactly(self.get(url, key), sees, key)
        other_unit = f"{self.t.portal.url}catalogue/{self.entry.translation_key}/?unit={self.t.township2.code}"
        for key in SEES:
            self.assertShowsExactly(self.get(other_unit, key), set(), key)


class FeedTests(ScopeTestCase):
    """Feeds list public items only, whoever asks: aggregators and proxies cache them."""

    def feed_urls(self):
        portal, entry = self.t.portal.url, self.entry.translation_key
        return [
            portal + "feed/rss/",
            portal + "feed/atom/",
            self.t.township.url + "feed/rss/",
            self.t.township.url + "feed/atom/",
            self.t.county.url + "feed/rss/",
            f"{portal}catalogue/{entry}/feed/rss/",
            f"{portal}catalogue/{entry}/feed/atom/",
        ]

    def test_feeds_never_contain_members_only_items(self):
        for url in self.feed_urls():
            for key in SEES:
                response = self.get(url, key)
                self.assertEqual(response.status_code, 200, url)
                xml = response.content.decode()
                self.assertIn(PUBLIC, xml, (url, key))
                self.assertIn(f"{PUBLIC}的摘要", xml)
                for title in MEMBERS_ONLY:
                    self.assertNotIn(title, xml, (url, key))
                    self.assertNotIn(f"{title}的摘要", xml, (url, key))
                    self.assertNotIn(self.items[title].index_number, xml, (url, key))

    def test_feed_types(self):
        self.assertIn("<rss", self.get(self.t.portal.url + "feed/rss/").content.decode())
        self.assertIn('xmlns="http://www.w3.org/2005/Atom"', self.get(self.t.portal.url + "feed/atom/").content.decode())

    def test_unknown_catalogue_entry_feed_is_404(self):
        self.assertEqual(self.get(f"{self.t.portal.url}catalogue/999999/feed/rss/").status_code, 404)
        self.assertEqual(self.get(f"{self.t.portal.url}catalogue/00000000-0000-0000-0000-000000000000/feed/rss/").status_code, 404)


class SitemapTests(ScopeTestCase):
    def test_sitemap_lists_public_items_only(self):
        for key in (None, "cgz"):
            response = self.get("/sitemap.xml", key)
            self.assertEqual(response.status_code, 200)
            xml = response.content.decode()
            self.assertIn(self.items[PUBLIC].url, xml)
            self.assertIn(self.t.township.url, xml)
            for title in MEMBERS_ONLY:
                self.assertNotIn(self.items[title].url, xml, title)

    def test_sitemap_leaves_out_drafts(self):
        draft = make_item(self.t.township, "城关镇未发布的公告", publish=False)
        self.assertNotIn(draft.url or f"/{draft.slug}/", self.get("/sitemap.xml").content.decode())


class StageChainTests(ScopeTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.pre = make_item(cls.t.township, "城关镇集体经济项目预公开（党内征求意见稿）", scope=Scope.UNIT_MEMBERS, stage=Stage.PRE_DISCLOSURE)
        cls.decision = make_item(cls.t.township, "城关镇集体经济项目实施决定", stage=Stage.DECISION, previous_stage=cls.pre)

    def test_members_only_stage_is_left_out_of_a_public_items_chain_for_anonymous(self):
        response = self.get(self.decision.url)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("城关镇集体经济项目实施决定", html)
        self.assertNotIn("城关镇集体经济项目预公开（党内征求意见稿）", html)
        self.assertNotIn(self.pre.url, html)

    def test_members_only_stage_is_left_out_for_members_of_other_units(self):
        html = self.get(self.decision.url, "sqz").content.decode()
        self.assertNotIn("城关镇集体经济项目预公开（党内征求意见稿）", html)

    def test_members_of_the_unit_see_the_whole_chain(self):
        html = self.get(self.decision.url, "dgc").content.decode()
        self.assertIn("城关镇集体经济项目预公开（党内征求意见稿）", html)
        self.assertIn("城关镇集体经济项目实施决定", html)


class AttachmentTests(ScopeTestCase):
    def download(self, document, key=None):
        return self.get(document.url, key)

    def test_documents_are_served_through_the_checked_view(self):
        self.assertEqual(self.secret_doc.url, f"/documents/{self.secret_doc.pk}/{self.secret_doc.filename}")

    def test_public_items_attachment_is_served_to_anyone(self):
        response = self.download(self.public_doc)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.text(response).encode(), PUBLIC_BYTES)

    def test_members_only_attachment_sends_anonymous_users_to_login(self):
        response = self.download(self.secret_doc)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(LOGIN_URL))
        self.assertNotServed(response, SECRET_BYTES.decode())

    def test_members_only_attachment_is_404_for_members_of_other_units(self):
        for key in ("sqz", "czj", "person", "outsider"):
            response = self.download(self.secret_doc, key)
            self.assertEqual(response.status_code, 404, key)
            self.assertNotServed(response, SECRET_BYTES.decode())

    def test_members_only_attachment_is_served_to_the_items_audience(self):
        for key in ("cgz", "dgc"):
            response = self.download(self.secret_doc, key)
            self.assertEqual(response.status_code, 200, key)
            self.assertEqual(self.text(response).encode(), SECRET_BYTES)

    def test_direct_media_url_is_not_served(self):
        path = self.secret_doc.file.url
        self.assertTrue(path.startswith("/media/documents/"), path)
        for key in (None, "cgz"):
            response = self.get(path, key, follow=True)
            self.assertEqual(response.status_code, 404)
            self.assertNotIn(SECRET_BYTES.decode(), self.text(response))

    def test_direct_media_url_is_not_served_in_development_either(self):
        """With DEBUG on, cms.urls serves nothing from media/ (images go through their checked view)."""
        import cms.urls

        path = self.secret_doc.file.url
        try:
            with override_settings(DEBUG=True):
                importlib.reload(cms.urls)
                clear_url_caches()
                self.assertFalse(any("media" in str(p.pattern) for p in cms.urls.urlpatterns))
                response = self.get(path, follow=True)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(SECRET_BYTES.decode(), self.text(response))
        finally:
            importlib.reload(cms.urls)
            clear_url_caches()

    def test_document_of_a_never_published_draft_is_not_served(self):
        doc = make_document("未发布事项的附件", "caogao.pdf", b"%PDF-1.4 draft only", unit=self.t.township)
        make_item(self.t.township, "城关镇未发布事项", publish=False, body=attachment_body(doc))
        for key in (None, "sqz"):
            self.assertNotServed(self.download(doc, key), "draft only")

    def test_document_added_in_a_draft_of_a_live_item_is_not_served_until_published(self):
        doc = make_document("待发布的附件", "daifabu.pdf", b"%PDF-1.4 added in a draft", unit=self.t.township)
        item = make_item(self.t.township, "城关镇党员名册（待更新）", scope=Scope.UNIT_MEMBERS)
        draft = item.get_latest_revision_as_object()
        draft.body = attachment_body(doc)
        draft.save_revision()
        for key in (None, "sqz"):
            self.assertNotServed(self.download(doc, key), "added in a draft")
        reload(item).get_latest_revision().publish()
        self.assertNotServed(self.download(doc), "added in a draft")
        self.assertEqual(self.download(doc, "cgz").status_code, 200)

    def test_attachment_dropped_from_a_members_only_item_stays_unserved(self):
        doc = make_document("旧版附件", "jiuban.pdf", b"%PDF-1.4 old members version", unit=self.t.township)
        item = make_item(self.t.township, "城关镇党内情况通报（修订前）", scope=Scope.UNIT_MEMBERS, body=attachment_body(doc))
        self.assertEqual(self.download(doc, "cgz").status_code, 200)
        edit_and_publish(item, body=[("rich_text", "<p>附件已撤下</p>")])
        for key in (None, "sqz"):
            self.assertNotServed(self.download(doc, key), "old members version")

    def test_attachment_of_a_deleted_members_only_item_stays_unserved(self):
        doc = make_document("已删除事项的附件", "shanchu.pdf", b"%PDF-1.4 deleted members item", unit=self.t.township)
        item = make_item(self.t.township, "城关镇党内事项（将删除）", scope=Scope.UNIT_MEMBERS, body=attachment_body(doc))
        reload(item).delete()
        for key in (None, "sqz", "cgz"):
            self.assertNotServed(self.download(doc, key), "deleted members item")

    def test_document_no_item_uses_is_served_only_to_its_uploader(self):
        officer = make_user("cgz-officer", reload(self.t.township).officers_group)
        other_officer = make_user("sqz-officer", reload(self.t.township2).officers_group)
        doc = make_document("刚上传的文件", "shangchuan.pdf", b"%PDF-1.4 just uploaded", unit=self.t.township)
        doc.uploaded_by_user = officer
        doc.save()
        for key in (None, "cgz"):
            self.assertNotServed(self.download(doc, key), "just uploaded")
        self.assertEqual(self.logged_in(officer).get(doc.url).status_code, 200)
        self.assertNotServed(self.logged_in(other_officer).get(doc.url), "just uploaded")

    def test_officers_of_another_unit_cannot_download_members_only_attachments(self):
        """Officers may choose documents in the admin; that must not open other units' files."""
        doc = make_document("城关镇党内附件", "dangnei.pdf", b"%PDF-1.4 cgz members only", unit=self.t.township)
        make_item(self.t.township, "城关镇党内通报（附件）", scope=Scope.UNIT_MEMBERS, body=attachment_body(doc))
        other_officer = make_user("sqz-officer", reload(self.t.township2).officers_group)
        self.assertNotServed(self.logged_in(other_officer).get(doc.url), "cgz members only")
        own_officer = make_user("cgz-officer", reload(self.t.township).officers_group)
        self.assertEqual(self.logged_in(own_officer).get(doc.url).status_code, 200)

    def logged_in(self, user):
        client = Client()
        client.force_login(user)
        return client

    def test_unpublished_items_attachment_is_no_longer_served(self):
        doc = make_document("撤回事项的附件", "chehui.pdf", b"%PDF-1.4 withdrawn", unit=self.t.township)
        item = make_item(self.t.township, "城关镇已撤回的公告", body=attachment_body(doc))
        self.assertEqual(self.download(doc).status_code, 200)
        reload(item).unpublish()
        self.assertNotServed(self.download(doc), "withdrawn")

    def test_document_removed_from_a_public_item_keeps_the_members_only_item_guarding_it(self):
        """Attached to a public and a members-only item: public while the public item has it."""
        doc = make_document("共用附件", "gongyong.pdf", b"%PDF-1.4 shared", unit=self.t.township)
        public = make_item(self.t.township, "城关镇公开公告（共用附件）", body=attachment_body(doc))
        make_item(self.t.township, "城关镇党内通报（共用附件）", scope=Scope.UNIT_MEMBERS, body=attachment_body(doc))
        self.assertEqual(self.download(doc).status_code, 200)
        edit_and_publish(public, body=[])
        self.assertNotServed(self.download(doc), "shared")
        self.assertEqual(self.download(doc, "cgz").status_code, 200)

    def test_document_linked_in_the_text_of_a_public_item_is_served(self):
        doc = make_document("正文中链接的文件", "lianjie.pdf", b"%PDF-1.4 linked in text", unit=self.t.township)
        make_item(
            self.t.township,
            "城关镇公告（正文链接文件）",
            body=[("rich_text", f'<p>详见<a linktype="document" id="{doc.pk}">附件</a></p>')],
        )
        response = self.download(doc)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.text(response).encode(), b"%PDF-1.4 linked in text")

    def test_document_linked_in_the_text_of_a_members_only_item_follows_its_scope(self):
        doc = make_document("党内正文链接的文件", "dangnei.pdf", b"%PDF-1.4 linked in members text", unit=self.t.township)
        make_item(
            self.t.township,
            "城关镇党内通报（正文链接文件）",
            scope=Scope.UNIT_MEMBERS,
            body=[("rich_text", f'<p>详见<a linktype="document" id="{doc.pk}">附件</a></p>')],
        )
        self.assertNotServed(self.download(doc), "linked in members text")
        self.assertEqual(self.download(doc, "sqz").status_code, 404)
        self.assertEqual(self.download(doc, "dgc").status_code, 200)


class ScopeChangeTests(ScopeTestCase):
    def feed(self):
        return self.get(self.t.portal.url + "feed/rss/").content.decode()

    def sitemap(self):
        return self.get("/sitemap.xml").content.decode()

    def test_draft_scope_change_waits_for_publication(self):
        title = "城关镇2024年度党建工作要点"
        item = make_item(self.t.township, title)
        self.assertIn(title, self.feed())

        draft = item.get_latest_revision_as_object()
        draft.scope = Scope.UNIT_MEMBERS
        draft.save_revision()

        # Still the public version that is live: no restriction, still listed.
        self.assertFalse(PageViewRestriction.objects.filter(page=item).exists())
        self.assertEqual(reload(item).scope, Scope.PUBLIC)
        self.assertIn(title, self.feed())
        self.assertIn(item.url, self.sitemap())
        self.assertTrue(user_can_view(item, None))

        reload(item).get_latest_revision().publish()

        # Hidden at once on every surface.
        self.assertNotIn(title, self.feed())
        self.assertNotIn(item.url, self.sitemap())
        response = self.get(item.url)
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(title, response.content.decode())
        self.assertNotIn(title, self.get(self.t.township.url + "feed/atom/").content.decode())
        self.assertFalse(user_can_view(item, None))
        self.assertTrue(user_can_view(item, self.users["dgc"]))

    def test_draft_scope_change_shows_the_public_page_until_published(self):
        title = "城关镇2024年度党建工作要点（页面）"
        item = make_item(self.t.township, title)
        draft = item.get_latest_revision_as_object()
        draft.scope = Scope.UNIT_MEMBERS
        draft.save_revision()
        self.assertIn(title, self.get(item.url).content.decode())
        self.assertIn(title, self.get(self.t.township.url).content.decode())
        reload(item).get_latest_revision().publish()
        self.assertNotIn(title, self.get(self.t.township.url).content.decode())
        self.assertNotIn(title, self.get(self.t.portal.url).content.decode())

    def test_members_to_public_opens_it_on_publication(self):
        """先党内、后党外: first to members, later to the public."""
        item = self.items[UNIT]
        draft = item.get_latest_revision_as_object()
        draft.scope = Scope.PUBLIC
        draft.save_revision()
        self.assertNotIn(UNIT, self.feed())
        self.assertEqual(self.download_status(None), 302)
        reload(item).get_latest_revision().publish()
        self.assertIn(UNIT, self.feed())
        self.assertFalse(PageViewRestriction.objects.filter(page=item).exists())
        self.assertEqual(self.download_status(None), 200)

    def download_status(self, key):
        return self.get(self.secret_doc.url, key).status_code


class AudienceTests(ScopeTestCase):
    """The audience of each scope, as Wagtail's page check and the listings' filter see it."""

    def test_who_sees_what(self):
        from django.contrib.auth.models import AnonymousUser

        people = {None: AnonymousUser(), **self.users}
        for key, user in people.items():
            for title, item in self.items.items():
                expected = title in SEES[key]
                self.assertEqual(can_open(item, user), expected, (key, title))
                self.assertEqual(user_can_view(item, user), expected, (key, title))

    def test_party_scope_reaches_members_of_a_unit_created_later(self):
        village = reload(self.t.township2).add_child(
            instance=type(self.t.village1)(title="石桥村党支部", slug="sqc", code="QX-SQZ-SQC", unit_type="village")
        )
        member = make_member(reload(village), "sqc-member")
        self.assertTrue(user_can_view(self.items[PARTY], member))
        self.assertTrue(can_open(reload(self.items[PARTY]), member))
        self.assertFalse(user_can_view(self.items[UNIT], member))

    def test_unit_scope_of_a_village_item_is_not_seen_by_its_township(self):
        item = make_item(self.t.village1, "东关村党支部党员大会记录", scope=Scope.UNIT_MEMBERS)
        self.assertTrue(user_can_view(item, self.users["dgc"]))
        self.assertFalse(user_can_view(item, self.users["cgz"]))
        self.assertFalse(can_open(item, self.users["cgz"]))

    def test_named_people_can_be_changed_on_republication(self):
        item = self.items[NAMED_PERSON]
        newcomer = make_user("newcomer")
        item = edit_and_publish(item, named_people=[newcomer])
        self.assertTrue(user_can_view(item, newcomer))
        self.assertTrue(can_open(item, newcomer))
        self.assertFalse(user_can_view(item, self.users["person"]))
        self.assertFalse(can_open(item, self.users["person"]))

    def test_named_groups(self):
        group = self.t.township2.supervisors_group
        supervisor = make_user("sqz-supervisor", group)
        item = make_item(self.t.township, "城关镇党务公开监督评议情况", scope=Scope.NAMED, named_groups=[group])
        self.assertTrue(user_can_view(item, supervisor))
        self.assertTrue(can_open(item, supervisor))
        self.assertFalse(user_can_view(item, self.users["sqz"]))

    def test_only_the_scope_field_restricts_items(self):
        """Restrictions are rewritten from the scope: a stray login-only restriction is replaced."""
        item = self.items[UNIT]
        PageViewRestriction.objects.create(page=item, restriction_type=PageViewRestriction.LOGIN)
        item = edit_and_publish(item, title=UNIT + "（修订）")
        restrictions = PageViewRestriction.objects.filter(page=item)
        self.assertEqual([r.restriction_type for r in restrictions], [PageViewRestriction.GROUPS])
        self.assertFalse(user_can_view(item, self.users["outsider"]))

    def test_members_only_title_is_not_in_the_public_unit_page_links(self):
        """The unit page's HTML does not even link to members-only items for anonymous users."""
        html = self.get(self.t.township.url).content.decode()
        for title in MEMBERS_ONLY:
            self.assertIsNone(re.search(re.escape(self.items[title].url) + r'"', html), title)


class OtherScriptTests(ScopeTestCase):
    """The Traditional-script variant (zh-hant) that publishing an item creates."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.hant = Locale.objects.get(language_code="zh-hant")

    def variant(self, item):
        return reload(item).get_translation(self.hant).specific

    def hant_feed(self):
        return self.get(reload(self.t.portal).get_translation(self.hant).url + "feed/rss/").content.decode()

    def test_variant_of_a_members_only_item_is_members_only(self):
        variant = self.variant(self.items[UNIT])
        self.assertTrue(variant.live)
        self.assertTrue(variant.url.startswith("/zh-hant/"))
        self.assertEqual(variant.index_number, self.items[UNIT].index_number)
        self.assertNotServed(self.get(variant.url), variant.title)
        self.assertNotServed(self.get(variant.url, "sqz"), variant.title)
        # The unit's own members (its groups are shared by its variant) see it.
        self.assertEqual(self.get(variant.url, "cgz").status_code, 200)
        self.assertNotIn(variant.title, self.hant_feed())

    def test_variant_follows_when_the_source_becomes_members_only(self):
        item = make_item(self.t.township, "城关镇2024年度工作总结")
        variant = self.variant(item)
        self.assertEqual(variant.title, "城關鎮2024年度工作總結")
        self.assertIn(variant.title, self.hant_feed())
        edit_and_publish(item, scope=Scope.UNIT_MEMBERS)
        self.assertNotIn(variant.title, self.hant_feed())
        self.assertNotServed(self.get(variant.url), variant.title)


class CopyTests(ScopeTestCase):
    def unit_item_without_files(self):
        # The UNIT item attaches a file of 城关镇, which another unit's copy may not use (files.py).
        return make_item(self.t.township, UNIT, scope=Scope.UNIT_MEMBERS, summary="另一份民主生活会整改清单（无附件）")

    def test_live_copy_to_another_unit_is_seen_by_that_units_members(self):
        copy = reload(self.unit_item_without_files().copy(to=reload(self.t.township2), update_attrs={"slug": "sqz-copy"}))
        self.assertTrue(copy.live)
        self.assertTrue(user_can_view(copy, make_member(self.t.township2, "sqz-member-2")))

    def test_live_copy_of_a_members_only_item_is_never_public(self):
        item = self.unit_item_without_files()
        for unit in (self.t.township, self.t.township2):
            copy = reload(item.copy(to=reload(unit), update_attrs={"slug": f"copy-{unit.slug}"}))
            self.assertTrue(copy.live)
            self.assertNotServed(self.get(copy.url), UNIT)
            self.assertNotIn(copy.url, self.get("/sitemap.xml").content.decode())
            self.assertNotIn(copy.index_number, self.get(self.t.portal.url + "feed/rss/").content.decode())
