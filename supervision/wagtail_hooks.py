"""The admin's 监督考核 menu: each part of the work adds its entries through
``register_supervision_menu_item`` (a Wagtail hook, like the admin's own menus)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from . import admin_assessment, admin_board, admin_evaluation, admin_inspections, panels  # noqa: F401 (their hooks)

supervision_menu = Menu(register_hook_name="register_supervision_menu_item")


@hooks.register("register_admin_menu_item")
def register_supervision_menu():
    return SubmenuMenuItem(_("监督考核"), supervision_menu, icon_name="clipboard-list", name="supervision", order=320)
