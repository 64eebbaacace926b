"""Models of the disclosure plugin; import them from here."""

from .behaviours import AudienceScopeMixin, IndexNumberMixin, IndexNumberSequence, ValidityMixin
from .catalogue import Catalogue, CatalogueArea, CatalogueEntry
from .changes import PendingItemChange
from .items import DisclosureItemPage, ItemChangeNote, PublishedAttachment, ShownImage
from .portal import PortalPage, PortalSettings
from .power import PowerListPage
from .units import UnitPage

__all__ = [
    "AudienceScopeMixin",
    "Catalogue",
    "CatalogueArea",
    "CatalogueEntry",
    "DisclosureItemPage",
    "IndexNumberMixin",
    "IndexNumberSequence",
    "ItemChangeNote",
    "PendingItemChange",
    "PortalPage",
    "PortalSettings",
    "PowerListPage",
    "PublishedAttachment",
    "ShownImage",
    "UnitPage",
    "ValidityMixin",
]
