"""Admin forms of the disclosure page types."""

from wagtail.admin.forms import WagtailAdminPageForm


class DisclosureItemForm(WagtailAdminPageForm):
    """Sets the item's unit from its place in the tree before the model validates it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = getattr(self, "parent_page", None)
        if self.instance.unit_id is None and parent is not None:
            from .models import UnitPage

            parent = parent.specific
            if isinstance(parent, UnitPage):
                self.instance.unit = parent
