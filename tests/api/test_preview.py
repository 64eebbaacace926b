"""Headless preview: an editor's short-lived signed token shows one draft, and only that draft."""

import time

from django.test import Client, override_settings

from tests.api.county import DRAFT, PUBLIC, CountyTestCase
from tests.factories import make_user

PREVIEW = "/api/v2/preview/"


class PreviewTests(CountyTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.officer = make_user("cgz-officer", cls.t.township.officers_group)
        cls.other_officer = make_user("sqz-officer", cls.t.township2.officers_group)

    def token_for(self, item, user=None):
        client = Client()
        client.force_login(user or self.officer)
        return client.get(f"/admin/api-preview/{item.pk}/")

    def test_an_editor_gets_a_token_that_shows_the_draft_to_a_front_end(self):
        response = self.token_for(self.items[DRAFT])
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        token = response.json()["token"]
        preview = self.get(PREVIEW, token=token)  # a front end, without any login
        self.assertEqual(preview.status_code, 200)
        self.assertEqual(preview["Cache-Control"], "no-store")
        data = preview.json()
        self.assertEqual(data["title"], DRAFT)
        self.assertEqual([block["type"] for block in data["body"]], ["rich_text", "attachment"])
        # The draft's own file downloads with the token, and only with it.
        url = data["attachments"][0]["url"].removeprefix("http://testserver")
        self.assertEqual(self.body(self.get(url)), b"%PDF-1.4 draft")
        self.assertEqual(self.get(f"/api/v2/attachments/{self.draft_doc.pk}/").status_code, 404)
        self.assertEqual(self.get(f"/api/v2/attachments/{self.secret_doc.pk}/", preview=token).status_code, 404)

    def test_the_token_shows_the_revision_it_was_made_for_not_later_edits_or_other_items(self):
        item = self.items[PUBLIC]
        draft = item.get_latest_revision_as_object()
        draft.title = "城关镇党委关于开展主题党日活动的公告（修改稿）"
        draft.save_revision()
        token = self.token_for(item).json()["token"]
        self.assertEqual(self.get(PREVIEW, token=token).json()["title"], "城关镇党委关于开展主题党日活动的公告（修改稿）")
        # The live item is unchanged for everyone else.
        self.assertEqual(self.json(f"/api/v2/disclosures/{item.pk}/")["title"], PUBLIC)
        later = item.get_latest_revision_as_object()
        later.title = "再次修改"
        later.save_revision()
        self.assertEqual(self.get(PREVIEW, token=token).json()["title"], "城关镇党委关于开展主题党日活动的公告（修改稿）")

    def test_only_editors_of_the_item_get_a_token(self):
        self.assertEqual(self.token_for(self.items[DRAFT], self.other_officer).status_code, 403)
        self.assertEqual(Client().get(f"/admin/api-preview/{self.items[DRAFT].pk}/").status_code, 302)  # to the login

    def test_a_tampered_or_expired_token_is_refused(self):
        token = self.token_for(self.items[DRAFT]).json()["token"]
        tampered = self.get(PREVIEW, token=token[:-2] + ("aa" if not token.endswith("aa") else "bb"))
        self.assertEqual((tampered.status_code, tampered.json()["code"]), (401, "invalid_preview_token"))
        self.assertEqual(self.get(PREVIEW).status_code, 400)
        with override_settings(SUNSHINE_API_PREVIEW_SECONDS=0):
            time.sleep(1)
            expired = self.get(PREVIEW, token=token)
        self.assertEqual((expired.status_code, expired.json()["code"]), (401, "preview_expired"))
