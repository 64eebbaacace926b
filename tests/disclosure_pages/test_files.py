"""Files belong to units (issue 13): each unit's documents and images live in its own collection.

The county: 青溪县委 → 城关镇党委 (→ 东关村, 西关村), 石桥镇党委, 县财政局党组.
城关镇 attaches a document and shows an image in a members-only item, and shows another
image in a public item. 石桥镇's officer must not list, choose, fetch or attach any of
城关镇's files; the public must not get the members-only item's image (original or rendition).
"""

import io
import json
import re
import uuid

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, GroupCollectionPermission, ReferenceIndex

from disclosure_pages.choices import Scope
from disclosure_pages.files import sync_unit_files
from disclosure_pages.models import DisclosureItemPage, UnitPage
from tests.factories import attachment_body, build_tree, item_form, make_document, make_item, make_member, make_user, reload

Document = get_document_model()
Image = get_image_model()

SECRET_BYTES = b"%PDF-1.4 QX-CGZ members-only cadre assessment"
OWN_BYTES = b"%PDF-1.4 QX-SQZ own notice"
SECRET_DOC = "城关镇干部考察材料（党内）"
SECRET_IMAGE = "cgz-members-only-chart"
PUBLIC_IMAGE = "cgz-public-photo"
OWN_DOC = "石桥镇公开通知附件"
OWN_IMAGE = "sqz-own-photo"


def png(colour="red"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (16, 12), colour).save(buffer, "PNG")
    return buffer.getvalue()


def make_image(title, unit, colour="red"):
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(png(colour)), name=f"{title}.png"), collection=unit.files_collection)


def figure(image):
    return ("image", {"image": image, "alt": "图表", "caption": ""})


def escaped(text):
    """``text`` as it appears in JSON embedded in the admin's HTML."""
    return json.dumps(text)[1:-1]


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


class FilesTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        t = cls.t = build_tree()
        cls.cgz_officer = make_user("cgz-officer", reload(t.township).officers_group)
        cls.sqz_officer = make_user("sqz-officer", reload(t.township2).officers_group)
        cls.county_office = make_user("county-office", reload(t.county).leading_group)
        cls.cgz_member = make_member(reload(t.township), "cgz-member")
        cls.secret_doc = make_document(SECRET_DOC, "kaocha.pdf", SECRET_BYTES, unit=t.township)
        cls.secret_image = make_image(SECRET_IMAGE, t.township, "blue")
        cls.public_image = make_image(PUBLIC_IMAGE, t.township, "green")
        cls.own_doc = make_document(OWN_DOC, "tongzhi.pdf", OWN_BYTES, unit=t.township2)
        cls.own_image = make_image(OWN_IMAGE, t.township2)
        cls.secret_item = make_item(
            t.township, "城关镇干部考察情况通报", scope=Scope.UNIT_MEMBERS,
            body=[*attachment_body(cls.secret_doc, "考察情况"), figure(cls.secret_image)],
        )
        cls.public_item = make_item(t.township, "城关镇主题党日活动照片", body=[figure(cls.public_image)])
        cls.own_item = make_item(t.township2, "石桥镇的公开通知", publish=False)

    def client_for(self, user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    def image_urls(self, page, user):
        """The image URLs in ``page``'s HTML as ``user`` sees it."""
        response = self.client_for(user).get(page.url)
        self.assertEqual(response.status_code, 200)
        return re.findall(r'<img[^>]+src="([^"]+)"', response.content.decode())


class AdminListingTests(FilesTestCase):
    def test_document_chooser_shows_only_the_officers_own_units_files(self):
        response = self.client_for(self.sqz_officer).get(reverse("wagtaildocs_chooser:choose"))
        self.assertEqual(response.status_code, 200)
        html = response.json()["html"]
        self.assertIn(OWN_DOC, html)
        self.assertNotIn(SECRET_DOC, html)

    def test_image_chooser_shows_only_the_officers_own_units_images(self):
        response = self.client_for(self.sqz_officer).get(reverse("wagtailimages_chooser:choose"))
        html = response.json()["html"]
        self.assertIn(OWN_IMAGE, html)
        self.assertNotIn(SECRET_IMAGE, html)
        self.assertNotIn(PUBLIC_IMAGE, html)

    def test_admin_api_lists_and_details_only_own_units_documents_and_images(self):
        client = self.client_for(self.sqz_officer)
        documents = client.get("/admin/api/main/documents/").json()
        self.assertEqual([item["id"] for item in documents["items"]], [self.own_doc.pk])
        self.assertEqual(client.get(f"/admin/api/main/documents/{self.secret_doc.pk}/", follow=True).status_code, 404)
        images = client.get("/admin/api/main/images/").json()
        self.assertEqual([item["id"] for item in images["items"]], [self.own_image.pk])
        self.assertEqual(client.get(f"/admin/api/main/images/{self.secret_image.pk}/", follow=True).status_code, 404)
        self.assertNotIn(SECRET_IMAGE, client.get("/admin/api/main/images/?fields=*").content.decode())

    def test_admin_document_listing_shows_only_own_units_files(self):
        response = self.client_for(self.sqz_officer).get(reverse("wagtaildocs:index"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, OWN_DOC)
        self.assertNotContains(response, SECRET_DOC)

    def test_the_county_office_sees_every_units_files_and_its_own_units_officer_too(self):
        for user in (self.county_office, self.cgz_officer):
            documents = self.client_for(user).get("/admin/api/main/documents/").json()
            self.assertIn(self.secret_doc.pk, [item["id"] for item in documents["items"]])

    def test_an_upload_goes_to_the_officers_own_collection_only(self):
        client = self.client_for(self.sqz_officer)
        form = client.get(reverse("wagtaildocs:add"))
        self.assertEqual(form.status_code, 200)
        self.assertNotContains(form, reload(self.t.township).files_collection.name)
        client.post(
            reverse("wagtaildocs:add"),
            {"title": "冒充上传", "file": ContentFile(b"%PDF-1.4 x", name="x.pdf"), "collection": reload(self.t.township).files_collection_id},
        )
        self.assertFalse(Document.objects.filter(title="冒充上传", collection=reload(self.t.township).files_collection).exists())


class DocumentAccessTests(FilesTestCase):
    def test_another_units_officer_cannot_fetch_a_members_only_document(self):
        response = self.client_for(self.sqz_officer).get(self.secret_doc.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(SECRET_BYTES, body_of(response))

    def test_referencing_a_file_in_ones_own_draft_does_not_open_it(self):
        """The reproduction: a draft of his unit that references the document (as if its id was
        posted), once the reference index has run, used to open the file to him."""
        draft = reload(self.own_item).get_latest_revision_as_object()
        draft.body = attachment_body(self.secret_doc)
        draft.save_revision(clean=False)
        ReferenceIndex.create_or_update_for_object(draft)
        self.assertTrue(ReferenceIndex.get_references_to(self.secret_doc).exists())
        response = self.client_for(self.sqz_officer).get(self.secret_doc.url)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(SECRET_BYTES, body_of(response))

    def test_own_unit_officer_and_county_office_may_open_it_members_through_the_item(self):
        for user in (self.cgz_officer, self.county_office, self.cgz_member):
            response = self.client_for(user).get(self.secret_doc.url)
            self.assertEqual(response.status_code, 200, user)
            self.assertEqual(body_of(response), SECRET_BYTES)


class AttachingTests(FilesTestCase):
    def edit(self, item, user, **body):
        data = item_form(title=item.title, slug=item.slug, summary=item.summary, **body)
        return self.client_for(user).post(reverse("wagtailadmin_pages:edit", args=[item.pk]), data)

    def attachment(self, document):
        return {
            "body-count": "1", "body-0-type": "attachment", "body-0-deleted": "", "body-0-order": "0",
            "body-0-id": str(uuid.uuid4()), "body-0-value-document": str(document.pk), "body-0-value-title": "",
        }

    def test_posting_another_units_document_id_is_refused_in_chinese_and_nothing_is_saved(self):
        revisions = reload(self.own_item).revisions.count()
        response = self.edit(self.own_item, self.sqz_officer, **self.attachment(self.secret_doc))
        self.assertEqual(response.status_code, 200)
        # The StreamField's errors and state are JSON in the page (rendered by its script).
        self.assertContains(response, escaped("所选的文件不属于本单位，不能使用"))
        # The form shown again does not name the other unit's file (a chooser shows its title and URL).
        for leak in (SECRET_DOC, escaped(SECRET_DOC), "kaocha"):
            self.assertNotContains(response, leak)
        self.assertEqual(reload(self.own_item).revisions.count(), revisions)
        self.assertFalse(ReferenceIndex.get_references_to(self.secret_doc).filter(object_id=str(self.own_item.pk)).exists())

    def test_posting_another_units_image_id_is_refused(self):
        body = {
            "body-count": "1", "body-0-type": "image", "body-0-deleted": "", "body-0-order": "0",
            "body-0-id": str(uuid.uuid4()), "body-0-value-image": str(self.secret_image.pk),
            "body-0-value-alt": "图", "body-0-value-caption": "",
        }
        response = self.edit(self.own_item, self.sqz_officer, **body)
        self.assertContains(response, escaped("所选的图片不属于本单位，不能使用"))
        for leak in (SECRET_IMAGE, "/files/"):
            self.assertNotContains(response, leak)

    def test_own_file_and_the_county_shared_file_may_be_attached(self):
        shared = Document.objects.create(
            title="全县统一表格", file=ContentFile(b"%PDF-1.4 shared", name="biaoge.pdf"),
            collection=reload(self.t.county).shared_files_collection,
        )
        for document in (self.own_doc, shared):
            response = self.edit(self.own_item, self.sqz_officer, **self.attachment(document))
            self.assertEqual(response.status_code, 302, document)
            draft = reload(self.own_item).get_latest_revision_as_object()
            self.assertEqual(draft.attachments[0]["document"].pk, document.pk)

    def test_the_model_refuses_it_too(self):
        with self.assertRaisesMessage(Exception, "不属于本单位"):
            make_item(self.t.township2, "石桥镇借用附件", body=attachment_body(self.secret_doc))

    def test_copying_an_item_with_its_files_to_another_unit_is_refused(self):
        response = self.client_for(make_user("admin", is_superuser=True)).post(
            reverse("wagtailadmin_pages:copy", args=[self.secret_item.pk]),
            {"new_title": "复制", "new_slug": "fuzhi", "new_parent_page": self.t.township2.pk},
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "不能复制到其他单位")
        self.assertFalse(DisclosureItemPage.objects.filter(slug="fuzhi").exists())


class ImageAccessTests(FilesTestCase):
    def rendition_and_original(self, image):
        return image.get_rendition("max-960x720").url, image.file.url

    def test_members_only_items_images_are_served_only_through_the_checked_view(self):
        urls = self.image_urls(self.secret_item, self.cgz_member)
        self.assertEqual(len(urls), 1)
        self.assertTrue(urls[0].startswith("/files/images/"), urls)
        rendition, original = urls[0], self.secret_image.file.url
        self.assertTrue(original.startswith("/files/original_images/"), original)
        for url in (rendition, original):
            anonymous = self.client_for().get(url)
            self.assertEqual(anonymous.status_code, 404, url)
            self.assertNotIn(b"PNG", body_of(anonymous))
            other_officer = self.client_for(self.sqz_officer).get(url)
            self.assertEqual(other_officer.status_code, 404, url)
            member = self.client_for(self.cgz_member).get(url)
            self.assertEqual(member.status_code, 200, url)
            self.assertTrue(body_of(member).startswith(b"\x89PNG"))
            self.assertIn("private", member["Cache-Control"])

    def test_public_items_images_are_served_to_anyone_and_cacheable(self):
        urls = self.image_urls(self.public_item, None)
        self.assertEqual(len(urls), 1)
        for url in (urls[0], self.public_image.file.url):
            response = self.client_for().get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertEqual(response["Content-Type"], "image/png")
            self.assertTrue(body_of(response).startswith(b"\x89PNG"))
            self.assertIn("public", response["Cache-Control"])

    def test_editors_see_their_units_images_in_the_admin_and_the_county_office_all(self):
        rendition, original = self.rendition_and_original(self.secret_image)
        for user in (self.cgz_officer, self.county_office):
            for url in (rendition, original):
                self.assertEqual(self.client_for(user).get(url).status_code, 200, (user, url))
        unused_rendition, unused_original = self.rendition_and_original(self.own_image)
        for url in (unused_rendition, unused_original):
            self.assertEqual(self.client_for(self.sqz_officer).get(url).status_code, 200)
            self.assertEqual(self.client_for(self.cgz_officer).get(url).status_code, 404)
            self.assertEqual(self.client_for().get(url).status_code, 404)

    def test_the_admin_apis_image_urls_lead_to_the_checked_view(self):
        data = self.client_for(self.cgz_officer).get(f"/admin/api/main/images/{self.secret_image.pk}/").json()
        self.assertTrue(data["meta"]["download_url"].startswith("/files/original_images/"), data)
        self.assertEqual(self.client_for().get(data["meta"]["download_url"]).status_code, 404)

    def test_an_image_dropped_when_republished_is_no_longer_public(self):
        url = self.public_image.file.url
        self.assertEqual(self.client_for().get(url).status_code, 200)
        draft = reload(self.public_item).get_latest_revision_as_object()
        draft.body = []
        draft.save_revision().publish()
        self.assertEqual(self.client_for().get(url).status_code, 404)

    def test_unknown_and_other_paths_are_not_served(self):
        for url in ("/files/images/nothing.png", "/files/documents/kaocha.pdf", "/files/../settings.py"):
            self.assertEqual(self.client_for().get(url).status_code, 404, url)


class CollectionSetupTests(TestCase):
    def test_units_get_their_collections_and_no_root_grants(self):
        t = build_tree()
        root = Collection.get_first_root_node()
        county, township = reload(t.county), reload(t.township)
        top = county.files_collection.get_parent()
        self.assertEqual(county.shared_files_collection.get_parent(), top)
        self.assertEqual(township.files_collection.get_parent(), top)
        staff = [group for unit in UnitPage.objects.all() for group in (unit.officers_group, unit.leading_group)]
        self.assertFalse(GroupCollectionPermission.objects.filter(collection=root, group__in=staff).exists())
        codenames = lambda group, collection: set(  # noqa: E731
            GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list("permission__codename", flat=True)
        )
        self.assertEqual(
            codenames(township.officers_group, township.files_collection),
            {"add_document", "change_document", "choose_document", "add_image", "change_image", "choose_image"},
        )
        self.assertEqual(codenames(township.officers_group, county.shared_files_collection), {"choose_document", "choose_image"})
        self.assertEqual(codenames(county.leading_group, top), {"choose_document", "choose_image"})
        self.assertEqual(codenames(township.officers_group, reload(t.village1).files_collection), set())

    def test_township_officers_manage_their_villages_files_only_with_the_setting(self):
        t = build_tree()
        officer = make_user("cgz-officer", reload(t.township).officers_group)
        village_doc = make_document("东关村文件", "dgc.pdf", b"%PDF-1.4 dgc", unit=t.village1)
        client = Client()
        client.force_login(officer)

        def listed():
            return [item["id"] for item in client.get("/admin/api/main/documents/").json()["items"]]

        self.assertNotIn(village_doc.pk, listed())
        with override_settings(SUNSHINE_TOWNSHIP_OFFICERS_MANAGE_VILLAGES=True):
            sync_unit_files()
            self.assertIn(village_doc.pk, listed())
            self.assertEqual(client.get(village_doc.url).status_code, 200)
        sync_unit_files()
        self.assertNotIn(village_doc.pk, listed())

    def test_existing_setups_are_moved_to_unit_collections(self):
        """As before this rule: no unit collections, every unit's groups granted on the root
        collection, files in the root collection. The post-migrate step puts it right."""
        t = build_tree()
        doc = make_document("城关镇旧附件", "jiu.pdf", b"%PDF-1.4 old", unit=t.township)
        item = make_item(t.township, "城关镇旧事项", scope=Scope.UNIT_MEMBERS, body=attachment_body(doc))
        ReferenceIndex.create_or_update_for_object(item)
        root = Collection.get_first_root_node()
        Document.objects.filter(pk=doc.pk).update(collection=root)
        UnitPage.objects.update(files_collection=None, shared_files_collection=None)
        GroupCollectionPermission.objects.all().delete()
        Collection.objects.exclude(pk=root.pk).delete()
        Document.objects.filter(pk=doc.pk).update(collection=root)
        permission = __import__("django.contrib.auth.models", fromlist=["Permission"]).Permission
        for unit in UnitPage.objects.all():
            for codename in ("add_document", "choose_document"):
                GroupCollectionPermission.objects.get_or_create(
                    group=unit.officers_group, collection=root, permission=permission.objects.get(codename=codename)
                )

        sync_unit_files()

        township = reload(t.township)
        self.assertIsNotNone(township.files_collection)
        self.assertEqual(Document.objects.get(pk=doc.pk).collection, township.files_collection)
        self.assertFalse(GroupCollectionPermission.objects.filter(collection=root, group__in=Group.objects.all()).exists())
        self.assertTrue(
            GroupCollectionPermission.objects.filter(
                group=township.officers_group, collection=township.files_collection, permission__codename="choose_document"
            ).exists()
        )
        sync_unit_files()  # idempotent
        self.assertEqual(Collection.objects.filter(name=township.files_collection.name).count(), 1)


class DemoFilesTests(TestCase):
    """The demo seed puts each unit's files in its collection, on a public and a members-only item."""

    @classmethod
    def setUpTestData(cls):
        from django.core.management import call_command

        call_command("seed_demo", townships=1, villages_per_township=1, departments=0, items_per_unit=6, seed=3, skip_index=True, quiet=True)

    def test_files_are_in_their_units_collection_and_served_by_the_items_scope(self):
        from disclosure_pages.models import PublishedAttachment, ShownImage

        units = list(UnitPage.objects.all())
        self.assertTrue(units)
        for unit in units:
            self.assertTrue(Document.objects.filter(collection=unit.files_collection).exists(), unit)
            self.assertTrue(Image.objects.filter(collection=unit.files_collection).exists(), unit)
        self.assertFalse(Document.objects.filter(collection=Collection.get_first_root_node()).exists())
        anonymous = Client()
        public_docs = Document.objects.filter(title__contains="党务公开工作制度")
        members_docs = Document.objects.filter(title__contains="党内附件")
        self.assertTrue(public_docs.exists() and members_docs.exists())
        self.assertTrue(PublishedAttachment.objects.filter(document__in=members_docs).exists())
        for doc in public_docs:
            response = anonymous.get(doc.url)
            self.assertEqual(response.status_code, 200, doc.title)
            self.assertIn("本文件为演示数据".encode(), body_of(response))
        for doc in members_docs:
            self.assertNotEqual(anonymous.get(doc.url).status_code, 200, doc.title)
        for picture in Image.objects.filter(title__contains="党内"):
            self.assertTrue(ShownImage.objects.filter(image=picture).exists())
            self.assertEqual(anonymous.get(picture.file.url).status_code, 404, picture.title)
        for picture in Image.objects.filter(title__contains="活动照片"):
            self.assertEqual(anonymous.get(picture.file.url).status_code, 200, picture.title)
