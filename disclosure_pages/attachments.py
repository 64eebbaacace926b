"""Attachments take the scope of their item: the document serve check."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.models import ReferenceIndex
from wagtail.permissions import policy_registry

from .models import DisclosureItemPage, PublishedAttachment
from .visibility import visible_pages

ALLOW, LOGIN, DENY = "allow", "login", "deny"


def document_access(document, user):
    """ALLOW, LOGIN (might be allowed after signing in) or DENY.

    A document attached to live items is served only to those who may view one of them.
    A document that items reference only in unpublished versions is served to nobody
    outside the admin. Documents no item uses keep Wagtail's own rules.
    """
    policy = policy_registry.get_by_type(get_document_model())
    if user.is_authenticated and policy.user_has_any_permission(user, ["change", "choose"]):
        return ALLOW
    item_ids = PublishedAttachment.objects.filter(document=document).values("item_id")
    if item_ids.exists():
        if visible_pages(DisclosureItemPage.objects.filter(pk__in=item_ids), user).exists():
            return ALLOW
        return DENY if user.is_authenticated else LOGIN
    referenced_by_drafts = ReferenceIndex.get_references_to(document).filter(
        content_type=ContentType.objects.get_for_model(DisclosureItemPage)
    )
    return DENY if referenced_by_drafts.exists() else ALLOW


def check_document_scope(document, request):
    """The ``before_serve_document`` hook: None lets Wagtail serve the file."""
    verdict = document_access(document, request.user)
    if verdict == ALLOW:
        return None
    if verdict == LOGIN:
        return redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)
    raise Http404
