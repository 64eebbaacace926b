"""绩效评估 in the portal's main menu (the plugin's ``register_portal_menu_item``): the window
county portals keep for the assessment of disclosure work."""

from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks

from disclosure_pages.panels import PortalMenuItem


@hooks.register("register_portal_menu_item")
def performance_menu_item(request):
    return PortalMenuItem(label=gettext("绩效评估"), url=reverse("supervision:performance"))
