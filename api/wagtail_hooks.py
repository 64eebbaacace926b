from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from disclosure_pages.models import DisclosureItemPage

from .preview import issue_preview_token


@hooks.register("register_admin_urls")
def preview_token_url():
    return [path("api-preview/<int:page_id>/", issue_preview_token, name="api_preview_token")]


@hooks.register("register_page_header_buttons")
def headless_preview_button(page, user, view_name, next_url=None):
    """Front-end developers of an item's editors get a preview token (JSON) from here."""
    if isinstance(page.specific_deferred, DisclosureItemPage) and page.permissions_for_user(user).can_edit():
        yield Button("无头预览令牌", reverse("api_preview_token", args=[page.pk]), icon_name="link-external", priority=80)
