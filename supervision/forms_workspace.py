"""The supervisors' workspace forms: filing a note (提出督查意见) and sending an answer back (退回重办)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure_pages.templatetags.portal_tags import in_script

from .models import Inspection

CHOICE_ERRORS = {
    "invalid_choice": _("所选事项不属于该单位或您无权查看，请从列表中选择。"),
}


class InspectionForm(forms.Form):
    """督查事项, 督查意见, and optionally the item or obligation it is about — only the unit's,
    and only items the supervisor may read (the choices are all that validates)."""

    subject = forms.CharField(label=_("督查事项"), max_length=Inspection._meta.get_field("subject").max_length)
    body = forms.CharField(label=_("督查意见"), widget=forms.Textarea(attrs={"rows": 6}), max_length=Inspection._meta.get_field("body").max_length)
    item = forms.TypedChoiceField(label=_("所涉公开事项"), required=False, coerce=int, empty_value=None, error_messages=CHOICE_ERRORS)
    obligation = forms.TypedChoiceField(label=_("所涉应公开事项"), required=False, coerce=int, empty_value=None, error_messages=CHOICE_ERRORS)

    def __init__(self, *args, items, obligations, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item.pk: item for item in items}
        self.obligations = {obligation.pk: obligation for obligation in obligations}
        self.fields["item"].choices = [("", _("（不涉及具体事项）"))] + [(pk, in_script(item.title)) for pk, item in self.items.items()]
        self.fields["obligation"].choices = [("", _("（不涉及应公开事项）"))] + [(pk, obligation_label(row)) for pk, row in self.obligations.items()]
        for name in ("subject", "body"):
            self.fields[name].error_messages.update({
                "required": _("请填写%(label)s。") % {"label": self.fields[name].label},
                "max_length": _("%(label)s不能超过 %%(limit_value)d 字（现有 %%(show_value)d 字）。") % {"label": self.fields[name].label},
            })

    def clean_item(self):
        pk = self.cleaned_data.get("item")
        return self.items.get(pk) if pk is not None else None

    def clean_obligation(self):
        pk = self.cleaned_data.get("obligation")
        return self.obligations.get(pk) if pk is not None else None


def obligation_label(obligation):
    return f"{obligation.entry.name} · {obligation.period_label}（{obligation.get_status_display()}）"


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回理由。"), "max_length": _("退回理由不能超过 %(limit_value)d 字。")},
    )
