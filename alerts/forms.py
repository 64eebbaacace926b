"""The portal's subscription forms. They collect and show the fields; the rules are
subscribing.py's, whose ``SubscribeError.field`` names these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from participation.choices import ContactKind

from .models import Frequency, OfficerReminderSetting


class SubscribeForm(forms.Form):
    kind = forms.ChoiceField(label=_("接收方式"), choices=ContactKind.choices, initial=ContactKind.EMAIL, widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("电子邮箱或手机号码"), max_length=254,
        error_messages={"required": _("请填写电子邮箱或手机号码。")},
        widget=forms.TextInput(attrs={"maxlength": 254, "autocomplete": "email"}),
    )
    frequency = forms.ChoiceField(label=_("提醒频率"), choices=Frequency.choices, initial=Frequency.IMMEDIATE, widget=forms.RadioSelect)
    with_sub_units = forms.BooleanField(label=_("包括下级单位（如乡镇所属各村、社区）发布的信息"), required=False, initial=True)

    def __init__(self, *args, unit=False, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        if member is not None and member.is_authenticated and member.email:
            # A signed-in member is offered their account's address (tied to them once confirmed).
            self.fields["address"].initial = member.email.strip().lower()
        self.fields["kind"].error_messages["invalid_choice"] = _("请选择接收方式（电子邮箱或手机号码）。")
        self.fields["frequency"].error_messages["invalid_choice"] = _("请选择提醒频率。")
        if not unit:
            del self.fields["with_sub_units"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"), max_length=6, error_messages={"required": _("请填写短信验证码。")},
        widget=forms.TextInput(attrs={"maxlength": 6, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class OfficerReminderForm(forms.ModelForm):
    """待办提醒 in the admin account settings (``wagtail_hooks.OfficerRemindersPanel``)."""

    class Meta:
        model = OfficerReminderSetting
        fields = ["frequency"]
        widgets = {"frequency": forms.RadioSelect}
        help_texts = {
            "frequency": _("每天早上把等待您处理的审核、逾期未公开事项和意见汇总发到您账号的电子邮箱；没有待办事项的日子不发送。"),
        }
