"""Supervision in the portal's main menu (the plugin's ``register_portal_menu_item``): 绩效评估
for everyone (the window county portals keep for the assessment of disclosure work), and for
those signed in, 民主评议 to members and supervisors and 我的监督 to supervisors."""

from django.urls import reverse
from django.utils.translation import gettext
from wagtail import hooks

from disclosure_pages.panels import PortalMenuItem

from . import access


@hooks.register("register_portal_menu_item")
def performance_menu_item(request):
    return PortalMenuItem(label=gettext("绩效评估"), url=reverse("supervision:performance"))


@hooks.register("register_portal_menu_item")
def evaluation_menu_item(request):
    user = getattr(request, "user", None)
    if user is None or not access.voting_units(user).exists():
        return None
    return PortalMenuItem(label=gettext("民主评议"), url=reverse("supervision:evaluation"))


@hooks.register("register_portal_menu_item")
def workspace_menu_item(request):
    user = getattr(request, "user", None)
    if user is None or not access.supervised_units(user).exists():
        return None
    return PortalMenuItem(label=gettext("我的监督"), url=reverse("supervision:workspace"))
