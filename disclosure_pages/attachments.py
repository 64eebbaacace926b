"""Attachments take the scope of their item: the document and image serve checks."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from wagtail.models import Page
from wagtail.permissions import policy_registry

from .models import DisclosureItemPage, PublishedAttachment, ShownImage
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
    if user.is_authenticated and may_use_file(document, user):
        return ALLOW
    item_ids = PublishedAttachment.objects.filter(document=document).values("item_id")
    items = without_removed_items(DisclosureItemPage.objects.filter(pk__in=item_ids))
    if not items.exists():
        return DENY
    if visible_pages(items, user).exists():
        return ALLOW
    return DENY if user.is_authenticated else LOGIN


def may_use_file(file, user):
    """May ``user`` open ``file`` in the admin, drafts included? Only through its collection:
    their unit's files (change), its county's shared ones and, for the county office, the
    county's (choose) — Wagtail's collection permission policy, as in the choosers. Which
    item references a file grants nothing: anyone can reference a file id in a draft."""
    if not (user.is_authenticated and user.is_active):
        return False
    policy = policy_registry.get_by_type(type(file))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], file)


def image_access(image, user):
    """ALLOW, LOGIN or DENY for an image file (original or rendition), as for documents: those
    who may use it in the admin, else those who may view a live page that shows it."""
    if user.is_authenticated and may_use_file(image, user):
        return ALLOW
    pages = Page.objects.filter(pk__in=ShownImage.objects.filter(image=image).values("page_id"))
    if not without_removed_items(pages.live()).exists():
        return DENY
    if visible_pages(pages, user).exists():
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
