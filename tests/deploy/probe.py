"""Run by the deployment test with ``manage.py shell -c`` on the seeded county: prints as JSON
what the journey needs to know and a browser would find by clicking — the demo officer's unit
and a document of a members-only item that the demo member may download."""

import json

from django.contrib.auth import get_user_model
from wagtail.documents import get_document_model

from disclosure_pages.attachments import ALLOW, document_access
from disclosure_pages.models import UnitPage
from disclosure_pages.visibility import ANONYMOUS

User = get_user_model()
officer, member = User.objects.get(username="officer"), User.objects.get(username="member")
unit = UnitPage.objects.filter(officers_group__in=officer.groups.all(), locale__language_code="zh-hans").get()
document = next(
    document
    for document in get_document_model().objects.order_by("pk")
    if document_access(document, member) == ALLOW and document_access(document, ANONYMOUS) != ALLOW
)
print(json.dumps({"unit_id": unit.pk, "unit_title": unit.title, "document_url": document.url, "document_file": document.file.name}))
