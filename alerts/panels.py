"""订阅提醒 on the portal: a small form on public unit and item pages (the plugin's
``register_unit_panel`` / ``register_item_panel``), and the subscribe page in the main menu
(``register_portal_menu_item``), where catalogue entries are offered too: their pages have no
panel hook of the plugin's.
"""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks

from wagtail.admin.ui.components import Component

from disclosure_pages.models import UnitPage
from disclosure_pages.panels import PortalMenuItem
from disclosure_pages.visibility import user_can_view

from .forms import SubscribeForm
from .messages import describe_target
from .views import member_email


class SubscribePanel(Component):
    """Rendered with the request (the CSRF token of its form, the portal's context processors)."""

    template_name = "alerts/panels/subscribe.html"

    def __init__(self, page, request):
        self.page, self.request = page, request

    def render_html(self, parent_context=None):
        return render_to_string(self.template_name, self.get_context_data(parent_context), request=self.request)

    def get_context_data(self, parent_context=None):
        is_unit = isinstance(self.page, UnitPage)
        return {
            "page": self.page, "form": SubscribeForm(unit=is_unit, member=self.request.user), "target_label": describe_target(self.page),
            "member_email": member_email(self.request.user),
            "action": reverse("alerts:subscribe") + f"?page={self.page.pk}",
        }


def _subscribe_panel(page, request):
    # A members-only page is offered to those who may read it (signed in: their account's address); a removed item takes none.
    if not page.live or getattr(page, "is_removed", False) or not user_can_view(page, request.user):
        return None
    return SubscribePanel(page, request)


hooks.register("register_unit_panel", _subscribe_panel)
hooks.register("register_item_panel", _subscribe_panel)


@hooks.register("register_portal_menu_item")
def subscribe_menu_item(request):
    return PortalMenuItem(label=gettext("订阅提醒"), url=reverse("alerts:subscribe"))
