from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from disclosure_pages.models import DisclosureItemPage

from .models import ContentVersion
from .preview import issue_preview_token


@hooks.register("register_admin_urls")
def preview_token_url():
    return [path("api-preview/<int:page_id>/", issue_preview_token, name="api_preview_token")]


@hooks.register("register_page_header_buttons")
def headless_preview_button(page, user, view_name, next_url=None):
    """Front-end developers of an item's editors get a preview token (JSON) from here."""
    if isinstance(page.specific_deferred, DisclosureItemPage) and page.permissions_for_user(user).can_edit():
        yield Button("无头预览令牌", reverse("api_preview_token", args=[page.pk]), icon_name="link-external", priority=80)


@hooks.register("portal_content_version")
def content_version():
    """The portal caches fragments of its pages by this number (disclosure_pages.fragments)."""
    return ContentVersion.current().number
