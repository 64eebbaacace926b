"""Admin widgets of the disclosure page types."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .audience import SOURCES, search_url_name

PLACEHOLDERS = {
    "units": _("输入组织名称或编码搜索"),
    "groups": _("输入用户组名称搜索"),
    "people": _("输入姓名或用户名搜索"),
}


class AudienceChooser(forms.SelectMultiple):
    """A multiple select of an item's audience that holds only the chosen, with a search box to add more.

    Posts what a select posts (the chosen ids), so the form and its validation are the
    model form's. The search asks ``audience.audience_choices`` for a page of matches; set
    ``locale`` to offer units in that script only (the item's).
    """

    template_name = "disclosure_pages/widgets/audience_chooser.html"
    locale = None

    def __init__(self, source, attrs=None):
        super().__init__(attrs)
        self.source = SOURCES[source]

    class Media:
        js = ["disclosure_pages/audience-chooser.js"]
        css = {"all": ["disclosure_pages/audience-chooser.css"]}

    def optgroups(self, name, value, attrs=None):
        # Only the chosen are options: the form must not grow with the province.
        chosen = [pk for pk in value if str(pk).isdigit()]
        if not chosen:
            return []
        objects = self.choices.queryset.filter(pk__in=chosen).order_by(*self.source.ordering)
        options = [
            self.create_option(name, obj.pk, self.source.label(obj), True, index) for index, obj in enumerate(objects)
        ]
        return [(None, options, 0)]

    def id_for_label(self, id_):
        # The field's label names the search box, the one control the editor types into.
        return f"{id_}-search" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse(search_url_name(self.source.key))
        if self.locale is not None and self.source.key == "units":
            url = f"{url}?locale={self.locale.language_code}"
        context["widget"].update(search_url=url, placeholder=PLACEHOLDERS[self.source.key])
        return context
