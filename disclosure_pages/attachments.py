"""Attachments take the scope of their item: the document serve check."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from .models import DisclosureItemPage, PublishedAttachment
from .visibility import visible_pages

ALLOW, LOGIN, DENY = "allow", "login", "deny"


def document_access(document, user):
    """ALLOW, LOGIN (might be allowed after signing in) or DENY.

    Outside the admin, a document is served only to those who may view a live item that
    attaches or links it. Anything else is refused: a document of an unpublished draft, of
    a draft of a live item, one dropped from an item when it was republished, or one whose
    item was deleted. (Items are the only public pages that carry documents.)
    """
    policy = policy_registry.get_by_type(get_document_model())
    if user.is_authenticated and policy.user_has_any_permission(user, ["change", "choose"]):
        return ALLOW
    item_ids = PublishedAttachment.objects.filter(document=document).values("item_id")
    if not item_ids.exists():
        return DENY
    if visible_pages(DisclosureItemPage.objects.filter(pk__in=item_ids), user).exists():
        return ALLOW
    return DENY if user.is_authenticated else LOGIN


def check_document_scope(document, request):
    """The ``before_serve_document`` hook: None lets Wagtail serve the file."""
    verdict = document_access(document, request.user)
    if verdict == ALLOW:
        return None
    if verdict == LOGIN:
        return redirect_to_login(request.get_full_path(), settings.WAGTAIL_FRONTEND_LOGIN_URL)
    raise Http404
