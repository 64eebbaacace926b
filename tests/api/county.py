"""The API tests' county: the factories' small county with one item of each scope in 城关镇.

    item          anonymous  城关镇 member  东关村 member  石桥镇 member  named person
    public            ✓           ✓             ✓             ✓             ✓
    party             ✗           ✓             ✓             ✓             ✗
    unit              ✗           ✓             ✓             ✗             ✗
    named (石桥镇)    ✗           ✗             ✗             ✓             ✗
    named (person)    ✗           ✗             ✗             ✗             ✓
    draft             ✗           ✗             ✗             ✗             ✗

Publishing makes each item's Traditional variant in the same step (script_variants), so
every published item exists in both scripts.
"""

import io
import json

from django.core.files.images import ImageFile
from django.test import Client, TestCase
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Locale

from api.models import MemberToken
from disclosure_pages.choices import Importance, Scope, Stage
from disclosure_pages.models import DisclosureItemPage
from tests.factories import attachment_body, build_tree, d, make_document, make_item, make_member, make_user

PUBLIC = "城关镇党委关于开展主题党日活动的公告"
PARTY = "城关镇党委理论学习中心组学习安排"
UNIT = "城关镇党委民主生活会整改清单"
NAMED_UNIT = "城关镇与石桥镇联建党支部工作方案"
NAMED_PERSON = "城关镇发展对象政治审查情况"
DRAFT = "城关镇党委换届选举工作方案（草稿）"
MEMBERS_ONLY = (PARTY, UNIT, NAMED_UNIT, NAMED_PERSON)

# What each reader may see of 城关镇's items (None: the public).
SEES = {
    None: {PUBLIC},
    "cgz": {PUBLIC, PARTY, UNIT},
    "dgc": {PUBLIC, PARTY, UNIT},
    "sqz": {PUBLIC, PARTY, NAMED_UNIT},
    "person": {PUBLIC, NAMED_PERSON},
}
def make_image(title, unit=None):
    """An image, uploaded to ``unit``'s collection (its pages may use only their unit's files)."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(buffer, "PNG")
    fields = {"collection": unit.files_collection} if unit is not None else {}
    return get_image_model().objects.create(title=title, file=ImageFile(buffer, name=f"{title}.png"), **fields)


def figure(image):
    return ("image", {"image": image, "alt": "图片说明", "caption": ""})


SECRET_BYTES = b"%PDF-1.4 QX-CGZ members-only rectification list, 12 measures"
PUBLIC_BYTES = b"%PDF-1.4 QX-CGZ public theme day notice"


class CountyTestCase(TestCase):
    """One county, an item of each scope in 城关镇 (both scripts), members and their tokens."""

    @classmethod
    def setUpTestData(cls):
        t = cls.t = build_tree()
        cls.users = {
            "cgz": make_member(t.township, "cgz-member"),
            "dgc": make_member(t.village1, "dgc-member"),
            "sqz": make_member(t.township2, "sqz-member"),
            "person": make_user("named-person"),
        }
        cls.tokens = {key: MemberToken.issue(user, name="手机应用")[1] for key, user in cls.users.items()}
        cls.entry = t.entries["党费收缴使用"]
        cls.secret_doc = make_document("民主生活会整改清单（附件）", "zhenggai.pdf", SECRET_BYTES, unit=t.township)
        cls.public_doc = make_document("主题党日活动安排（附件）", "zhuti.pdf", PUBLIC_BYTES, unit=t.township)
        cls.draft_doc = make_document("换届选举方案（草稿附件）", "huanjie.pdf", b"%PDF-1.4 draft", unit=t.township)
        # An image only the members-only item shows, and one of the public item.
        cls.secret_image = make_image("secret-rectification-chart", unit=t.township)
        cls.public_image = make_image("public-theme-day-photo", unit=t.township)
        common = {"catalogue_entry": cls.entry}
        cls.items = {
            PUBLIC: make_item(
                t.township,
                PUBLIC,
                body=[*attachment_body(cls.public_doc, "每月第一个星期五为主题党日"), figure(cls.public_image)],
                document_number="城党发〔2024〕5号",
                document_date=d("2024-03-01"),
                publish_date=d("2024-03-04"),
                stage=Stage.DECISION,
                importance=Importance.IMPORTANT,
                **common,
            ),
            PARTY: make_item(t.township, PARTY, scope=Scope.ALL_MEMBERS, publish_date=d("2024-02-01"), **common),
            UNIT: make_item(
                t.township, UNIT, scope=Scope.UNIT_MEMBERS,
                body=[*attachment_body(cls.secret_doc, "整改措施共十二条"), figure(cls.secret_image)],
                publish_date=d("2024-01-10"), **common,
            ),
            NAMED_UNIT: make_item(t.township, NAMED_UNIT, scope=Scope.NAMED, named_units=[t.township2], **common),
            NAMED_PERSON: make_item(t.township, NAMED_PERSON, scope=Scope.NAMED, named_people=[cls.users["person"]], **common),
            DRAFT: make_item(t.township, DRAFT, publish=False, body=attachment_body(cls.draft_doc, "候选人名单"), **common),
        }
        cls.hant = Locale.objects.get(language_code="zh-hant")

    # -- helpers ------------------------------------------------------------------------

    def get(self, path, reader=None, headers=None, **params):
        """GET ``path`` as ``reader`` (a key of SEES; None is the public), with ``params``."""
        headers = dict(headers or {})
        if reader is not None:
            headers["Authorization"] = f"Bearer {self.tokens[reader]}"
        return Client().get(path, params, headers=headers)

    def json(self, path, reader=None, status=200, **params):
        response = self.get(path, reader, **params)
        self.assertEqual(response.status_code, status, response.content[:500])
        return response.json()

    def variant(self, item):
        """The item's page in Traditional."""
        return DisclosureItemPage.objects.get(translation_key=item.translation_key, locale=self.hant)

    @staticmethod
    def body(response):
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    def assertLeaksNothing(self, response, titles=MEMBERS_ONLY + (DRAFT,)):
        """None of ``titles`` (in either script) nor the secret file is in the response."""
        from chinese.conversion import to_traditional

        text = self.body(response).decode("utf-8", "replace")
        text = json.dumps(json.loads(text), ensure_ascii=False) if response.get("Content-Type", "").startswith("application/json") else text
        for title in titles:
            self.assertNotIn(title, text)
            self.assertNotIn(to_traditional(title, "s2tw"), text)
        self.assertNotIn(SECRET_BYTES.decode(), text)
