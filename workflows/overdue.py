"""县级督办 → the items behind a count: one township's (or the county's own) overdue approvals,
for the county office (the users the panel is shown to).

The same visibility as the rest of the admin: the panel's county is the user's own
(``county_of_user``), and every item listed is one the user may read (``boundary.readable_ids``).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


from .boundary import readable_ids
from .overview import county_of_user, county_overview

KINDS = {"approvals": "超期待审事项"}


class CountyOverdueView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "workflows/county_overdue.html"
    header_icon = "warning"

    def dispatch(self, request, kind, section_id):
        if kind not in KINDS:
            raise Http404
        self.county = county_of_user(request.user)
        if self.county is None:
            raise PermissionDenied
        self.kind = kind
        sections = county_overview(self.county)
        self.section = next((section for section in sections if section.unit.pk == section_id), None)
        if self.section is None:  # not a township of the user's county: nothing to say about it
            raise Http404
        return super().dispatch(request)

    def get_page_title(self):
        # The county's own row counts the county unit alone; a township's row its villages too.
        below = "" if self.section.unit.pk == self.county.pk else "（含下级单位）"
        return f"{KINDS[self.kind]}：{self.section.unit.display_name}{below}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        readable = set(readable_ids(self.request.user, [approval.item.pk for approval in self.section.overdue_approvals]))
        approvals = [approval for approval in self.section.overdue_approvals if approval.item.pk in readable]
        return super().get_context_data(kind=self.kind, section=self.section, approvals=approvals, **kwargs)
