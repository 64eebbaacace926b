"""县级督办 → what is behind the dashboard panel, for the county office (the users the panel is
shown to): every section with something to do, one section's overdue approvals, and one
section's units whose leading group has nobody in it.

The same visibility as the rest of the admin: the panel's county is the user's own
(``county_of_user``), and every item listed is one the user may read (``boundary.readable_ids``).
The lists are paginated: a province's county has over a hundred townships and thousands of units.
"""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .boundary import readable_ids
from .overview import CountyOverview, county_of_user
from .panels import CountyOverviewPanel, group_help

KINDS = {"approvals": "超期待审事项", "leading-groups": "领导小组无审核人的单位"}
PAGE_SIZE = 50


class CountyOfficeView(WagtailAdminTemplateMixin, TemplateView):
    """A page of the county office about its own county (``county_of_user``)."""

    def dispatch(self, request, *args, **kwargs):
        self.county = county_of_user(request.user)
        if self.county is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def paginate(self, objects):
        page = Paginator(objects, PAGE_SIZE).get_page(self.request.GET.get("p"))
        return {"page": page, "elided_page_range": page.paginator.get_elided_page_range(page.number)}


class CountyOverviewView(CountyOfficeView):
    """Every section with overdue approvals or empty leading groups, most first (the panel's rows)."""

    template_name = "workflows/county_overview.html"
    header_icon = "warning"
    page_title = "县级督办：逾期与待处理"

    def get_context_data(self, **kwargs):
        overview = CountyOverview(self.county)
        paging = self.paginate(overview.ranked())
        sections = overview.summaries(list(paging["page"].object_list), named=CountyOverviewPanel.named)
        return super().get_context_data(
            county=self.county, sections=sections, empty_leading_groups=sum(overview.empty.values()),
            **paging, **group_help(self.request.user), **kwargs
        )


class CountyOverdueView(CountyOfficeView):
    """The items or units behind one count of a section."""

    template_name = "workflows/county_overdue.html"
    header_icon = "warning"

    def dispatch(self, request, kind, section_id):
        if kind not in KINDS:
            raise Http404
        self.kind, self.section_id = kind, section_id
        return super().dispatch(request)

    def get_page_title(self):
        # The county's own row counts the county unit alone; a township's row its villages too.
        below = "" if self.section.unit.pk == self.county.pk else "（含下级单位）"
        return f"{KINDS[self.kind]}：{self.section.unit.display_name}{below}"

    def get(self, request, *args, **kwargs):
        self.overview = CountyOverview(self.county)
        self.section = self.overview.section(self.section_id)
        if self.section is None:  # not a township of the user's county: nothing to say about it
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        if self.kind == "approvals":
            readable = set(readable_ids(self.request.user, [approval.item.pk for approval in self.section.overdue_approvals]))
            listed = [approval for approval in self.section.overdue_approvals if approval.item.pk in readable]
        else:
            listed = self.overview.without_approvers(self.section.unit).only("pk", "path", "title", "short_name", "leading_group")
        return super().get_context_data(
            kind=self.kind, section=self.section, **self.paginate(listed), **group_help(self.request.user), **kwargs
        )
