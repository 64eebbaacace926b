"""Attachments take the scope of their item: the document serve check."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry

from .models import DisclosureItemPage, PublishedAttachment
from .visibility import visible_pages, without_removed_items

ALLOW, LOGIN, DENY = "allow", "login", "deny"


def document_access(document, user):
    """ALLOW, LOGIN (might be allowed after signing in) or DENY.

    Outside the admin, a document is served only to those who may view a live item that
    attaches or links it. Anything else is refused: a document of an unpublished draft, of
    a draft of a live item, one dropped from an item when it was republished, one whose
    item was deleted or removed (撤除; signing in would not help). (Items are the only public
    pages that carry documents.)
    """
    if user.is_authenticated and _may_edit(document, user):
        return ALLOW
    item_ids = PublishedAttachment.objects.filter(document=document).values("item_id")
    items = without_removed_items(DisclosureItemPage.objects.filter(pk__in=item_ids))
    if not items.exists():
        return DENY
    if visible_pages(items, user).exists():
        return ALLOW
    return DENY if user.is_authenticated else LOGIN


def _may_edit(document, user):
    """Editors see the files of what they edit (drafts included); choosing is not enough,
    or every unit's officers could read every unit's members-only files."""
    if user.is_superuser:
        return True
    if policy_registry.get_by_type(get_document_model()).user_has_permission_for_instance(user, "change", document):
        return True
    referencing = ReferenceIndex.get_references_to(document).filter(
        content_type=ContentType.objects.get_for_model(DisclosureItemPage)
    )
    item_ids = [int(pk) for pk in referencing.values_list("object_id", flat=True) if str(pk).isdigit()]
    return any(item.permissions_for_user(user).can_edit() for item in DisclosureItemPage.objects.filter(pk__in=item_ids))


def check_document_scope(document, request):
    """The ``before_serve_document`` hook: None lets Wagtail serve the file."""
    verdict = document_access(document, request.user)
    if verdict == ALLOW:
        return None
    if verdict == LOGIN:
        return redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)
    raise Http404
