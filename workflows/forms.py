"""The forms an approver fills in the workflow action dialog."""

from django import forms

CONFIDENTIALITY_LABEL = "保密审查：我已审查，本事项内容不涉及党和国家秘密、工作秘密和个人隐私，可以按所选范围公开"


class ApproveForm(forms.Form):
    """审核通过: the confidentiality check (保密审查) is part of every approval."""

    confidentiality_confirmed = forms.BooleanField(
        label=CONFIDENTIALITY_LABEL,
        required=True,
        error_messages={"required": "审核通过前须完成保密审查并勾选确认。"},
    )
    comment = forms.CharField(label="审核意见（可选）", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ReferUpForm(ApproveForm):
    """审核通过并提请县级审核: approve at the unit tier and send a general item to the county."""

    comment = forms.CharField(
        label="提请县级审核的理由",
        required=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写提请县级审核的理由。"},
    )


class RejectForm(forms.Form):
    """退回修改: the officer must be told why."""

    comment = forms.CharField(
        label="退回理由",
        required=True,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="请写明需要修改的内容，提交人将收到通知。",
        error_messages={"required": "退回修改须填写理由。"},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("退回修改须填写理由。")
        return comment
