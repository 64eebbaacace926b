"""Demo files: each unit's documents and images, in the unit's collection (``disclosure_pages.files``),
attached to one public and one members-only item so that attachment access can be tried.

Small and generated: plain-text documents written here, PNG images drawn with Pillow.
"""

import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage, ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from disclosure_pages.choices import Scope
from disclosure_pages.models import DisclosureItemPage

PUBLIC_DOC = "{name}党务公开工作制度（附件）"
MEMBERS_DOC = "{name}党员学习资料（党内附件）"
PUBLIC_IMAGE = "{name}主题党日活动照片"
MEMBERS_IMAGE = "{name}党员大会议程图（党内）"

TEXT = """{title}

{unit}

一、本文件为演示数据，由阳光党务的演示种子生成，用于试用附件的公开范围。
二、{audience}
三、附件随所属事项发布：事项向谁公开，附件就向谁提供；草稿中的附件不对外提供。
"""

COLOURS = [(200, 32, 32), (230, 170, 40), (60, 120, 190), (70, 150, 90), (150, 80, 160)]


def document(title, unit, audience, slug):
    text = TEXT.format(title=title, unit=unit.title, audience=audience)
    return get_document_model().objects.create(
        title=title, file=ContentFile(text.encode("utf-8"), name=f"{slug}.txt"), collection_id=unit.files_collection_id
    )


def image(title, unit, colour, slug):
    picture = PILImage.new("RGB", (240, 160), (250, 246, 240))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((16, 16, 224, 56), fill=colour)
    for row in range(3):
        draw.rectangle((16, 72 + row * 26, 224 - row * 40, 84 + row * 26), fill=(190, 190, 190))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{slug}.png"), collection_id=unit.files_collection_id
    )


def attach_demo_files(tree, log=None):
    """Per unit: a document and an image on its first public item, and on its first members-only one."""
    counts = {"documents": 0, "images": 0}
    for number, (spec, unit) in enumerate(tree):
        # The newest items: the demo takes the oldest public ones of a township down.
        items = list(DisclosureItemPage.objects.child_of(unit).live().order_by("-path"))
        public = next((item for item in items if item.scope == Scope.PUBLIC), None)
        members = next((item for item in items if item.scope != Scope.PUBLIC), None)
        name = unit.display_name
        slug = spec.code.lower()
        for item, doc_title, image_title, audience, suffix in (
            (public, PUBLIC_DOC, PUBLIC_IMAGE, "本附件随公开事项向社会公开。", "gongkai"),
            (members, MEMBERS_DOC, MEMBERS_IMAGE, "本附件仅向有权查看所属事项的党员提供，不向社会公开。", "dangnei"),
        ):
            if item is None:
                continue
            doc = document(doc_title.format(name=name), unit, audience, f"{slug}-{suffix}")
            picture = image(image_title.format(name=name), unit, COLOURS[number % len(COLOURS)], f"{slug}-{suffix}")
            item.body.append(("attachment", {"document": doc, "title": ""}))
            item.body.append(("image", {"image": picture, "alt": image_title.format(name=name), "caption": ""}))
            item.save()  # a full save of the live item: records its attachments and images
            counts["documents"] += 1
            counts["images"] += 1
    if log:
        log(f"演示文件：{counts['documents']} 个附件、{counts['images']} 张图片（各单位文件库）。")
    return counts
