"""The base of supervision's admin pages: who may open one, and the part it belongs to in the breadcrumbs."""

from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from workflows.overview import county_of_user

from . import access


class SupervisionPage(WagtailAdminTemplateMixin, TemplateView):
    """A page of one part of the work (``section``: its first page's URL name and label); Wagtail's
    refusal for a user ``may_open`` turns away."""

    header_icon = "clipboard-list"
    section = None

    def may_open(self, user):
        return True

    def dispatch(self, request, *args, **kwargs):
        if not self.may_open(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.page_title

    def get_breadcrumbs_items(self):
        part = [{"url": reverse(self.section[0]), "label": self.section[1]}] if self.section else []
        return self.breadcrumbs_items + part + [{"url": "", "label": self.get_page_title()}]


class CountyOfficePage(SupervisionPage):
    """A page of the county office's, about its own county (``self.county``)."""

    def dispatch(self, request, *args, **kwargs):
        self.county = county_of_user(request.user) if access.is_county_office(request.user) else None
        if self.county is None:
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)
