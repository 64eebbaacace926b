"""Extension points of the public pages: other apps add panels to an item's or a unit's page.

In Wagtail's manner (``wagtail.hooks``), a function registered for ``register_item_panel`` or
``register_unit_panel`` is called with the page and the request and returns a component
(``wagtail.admin.ui.components.Component``: a ``template_name`` and ``get_context_data``) or
None for no panel on that page::

    @hooks.register("register_item_panel")
    def opinions_panel(page, request):
        return OpinionsPanel(page) if page.comment_deadline else None

The page's template renders the panels where it places them, in hook order
(``hooks.register(name, fn, order=…)``), each with the page's template context, so that an app
never edits this one. The review workflow's approval record is such a panel (workflows). The
admin dashboard's extension point is Wagtail's own ``construct_homepage_panels``.

The portal's main menu takes entries the same way: a function registered for
``register_portal_menu_item`` is called with the request and returns a ``PortalMenuItem`` (a
label and a URL, in the reader's script) or None; entries follow the plugin's own, in hook order.
"""

from dataclasses import dataclass

from wagtail import hooks

ITEM_PANEL_HOOK = "register_item_panel"
UNIT_PANEL_HOOK = "register_unit_panel"
PORTAL_MENU_HOOK = "register_portal_menu_item"


@dataclass(frozen=True)
class PortalMenuItem:
    label: str
    url: str


def portal_menu_items(request):
    """The entries the apps add to the portal's main menu, in hook order."""
    return [item for register in hooks.get_hooks(PORTAL_MENU_HOOK) if (item := register(request)) is not None]


def page_panels(hook_name, page, request):
    """The panels the apps register under ``hook_name`` for ``page``, in hook order."""
    return [panel for register in hooks.get_hooks(hook_name) if (panel := register(page, request)) is not None]
