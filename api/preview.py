"""Headless preview (无头预览): a short-lived signed token that shows one draft, and only it.

An editor who may edit an item asks the admin for a token (``/admin/api-preview/<page id>/``);
the token names the item and the revision current at that moment, is signed with the
site's SECRET_KEY and expires after ``SUNSHINE_API_PREVIEW_SECONDS``. A front end passes it
to ``/api/v2/preview/?token=…`` and gets that revision in the shape of the disclosure
detail. The token opens nothing else: not another item, not a later revision, no listing.
"""

from datetime import timedelta

from django.core import signing
from django.http import JsonResponse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Revision

from disclosure_pages.params import is_id
from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.public_urls import public_url

from .conf import app_settings
from .errors import ApiError, keep_404s

SALT = "api.preview"


def make_token(revision):
    return signing.dumps({"page": revision.object_id, "revision": revision.pk}, salt=SALT, compress=True)


def read_token(token):
    """``(revision, item)`` the token names, or an ApiError (expired, tampered with, or gone)."""
    try:
        claims = signing.loads(token, salt=SALT, max_age=app_settings.SUNSHINE_API_PREVIEW_SECONDS)
    except signing.SignatureExpired:
        raise ApiError("preview_expired", "预览令牌已过期，请在后台重新获取。", 401) from None
    except signing.BadSignature:
        raise ApiError("invalid_preview_token", "预览令牌无效。", 401) from None
    revision = Revision.page_revisions.filter(pk=claims.get("revision"), object_id=str(claims.get("page"))).first()
    item = revision.as_object() if revision is not None else None
    if not isinstance(item, DisclosureItemPage):
        raise ApiError("preview_not_found", "要预览的版本已不存在。", 404)
    return revision, item


def previewed_documents(item):
    """Ids of the files the previewed draft attaches or links (its preview may download them)."""
    Document = get_document_model()
    return {
        int(object_id)
        for model, object_id, _, _ in item._meta.get_field("body").extract_references(item.body)
        if issubclass(model, Document) and str(object_id).isdigit()
    }


def issue_preview_token(request, page_id):
    """Admin view: a preview token for the latest revision of an item the user may edit."""
    item = DisclosureItemPage.objects.filter(pk=page_id).first() if is_id(page_id) else None
    if item is None:
        keep_404s(request)  # a JSON 404, not a redirect under /zh-hans/
        return JsonResponse({"code": "page_not_found", "message": "没有这个事项。"}, status=404, json_dumps_params={"ensure_ascii": False})
    if not item.permissions_for_user(request.user).can_edit():
        return JsonResponse({"code": "permission_denied", "message": "您不能编辑该事项，不能预览。"}, status=403)
    revision = item.get_latest_revision()
    if revision is None:
        return JsonResponse({"code": "preview_not_found", "message": "该事项还没有可预览的版本。"}, status=404)
    token = make_token(revision)
    expires_at = timezone.now() + timedelta(seconds=app_settings.SUNSHINE_API_PREVIEW_SECONDS)
    url = public_url(f"/api/v2/preview/?token={token}")
    return JsonResponse(
        {"token": token, "revision": revision.pk, "expires_at": expires_at.isoformat(), "url": url},
        json_dumps_params={"ensure_ascii": False},
        headers={"Cache-Control": "no-store"},
    )
