from wagtail.admin.ui.components import Component


class OpinionsPanel(Component):
    """Opinions on an item or a unit (意见建议): what a feedback app would show on the public pages."""

    template_name = "panel_app/opinions.html"

    def __init__(self, page):
        self.page = page

    def get_context_data(self, parent_context=None):
        return {"page": self.page}


class LedgerPanel(Component):
    """The county's ledger (台帐) of open opinions, on the admin dashboard."""

    name = "panel_app_ledger"
    order = 200
    template_name = "panel_app/ledger.html"


def item_panel(page, request):
    return OpinionsPanel(page)


def unit_panel(page, request):
    # A panel only where it has something to say.
    return OpinionsPanel(page) if page.code.endswith("CGZ") else None


def dashboard_panels(request, panels):
    panels.append(LedgerPanel())
