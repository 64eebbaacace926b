"""The forms of the workflow: what an approver fills in the action dialog, and the takedown request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure_pages.choices import Takedown
from disclosure_pages.models import DisclosureItemPage
from disclosure_pages.visibility import without_removed_items

from .takedowns import REQUEST_LABELS

CONFIDENTIALITY_LABEL = _("保密审查：我已审查，本事项内容不涉及党和国家秘密、工作秘密和个人隐私，可以按所选范围公开")


class ApproveForm(forms.Form):
    """审核通过: the confidentiality check (保密审查) is part of every approval."""

    confidentiality_confirmed = forms.BooleanField(
        label=CONFIDENTIALITY_LABEL,
        required=True,
        error_messages={"required": _("审核通过前须完成保密审查并勾选确认。")},
    )
    comment = forms.CharField(label=_("审核意见（可选）"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReferUpForm(ApproveForm):
    """审核通过并提请县级审核: approve at the unit tier and send a general item to the county."""

    comment = forms.CharField(
        label=_("提请县级审核的理由"),
        required=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写提请县级审核的理由。")},
    )


class RejectForm(forms.Form):
    """退回修改: the officer must be told why."""

    comment = forms.CharField(
        label=_("退回理由"),
        required=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明需要修改的内容，提交人将收到通知。"),
        error_messages={"required": _("退回修改须填写理由。")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("退回修改须填写理由。"))
        return comment


class TakedownRequestForm(forms.Form):
    """申请撤回/撤除 (or 恢复公开): what to do with a public item, and why; takes effect on approval."""

    kind = forms.ChoiceField(
        label=_("申请事项"),
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择撤回、撤除或恢复公开。"), "invalid_choice": _("请选择撤回、撤除或恢复公开。")},
    )
    reason = forms.CharField(
        label=_("原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("撤回的原因将显示在事项页面顶部；撤除的原因只记入审核记录。"),
        error_messages={"required": _("请填写原因。"), "max_length": _("原因不能超过 500 字。")},
    )
    replacement = forms.ModelChoiceField(
        label=_("替代事项（仅撤除时可选）"),
        queryset=None,
        required=False,
        empty_label=_("不跳转，显示“已撤除”"),
        help_text=_("撤除后，原网址永久跳转到本单位的这一事项。"),
        error_messages={"invalid_choice": _("所选替代事项不是本单位已公开的其他事项。")},
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        # Anything but what the item already is: a withdrawn item may be removed or restored.
        self.fields["kind"].choices = [(kind, label) for kind, label in REQUEST_LABELS.items() if kind != item.takedown]
        siblings = DisclosureItemPage.objects.child_of(item.get_parent()).live().exclude(pk=item.pk)
        self.fields["replacement"].queryset = without_removed_items(siblings).order_by("-publish_date", "-pk")
        self.fields["replacement"].label_from_instance = lambda page: f"{page.title}（{page.publish_date}）"

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("请填写原因。"))
        return reason

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("replacement") and cleaned_data.get("kind") != Takedown.REMOVED:
            self.add_error("replacement", _("只有撤除时才能指定替代事项。"))
        return cleaned_data
