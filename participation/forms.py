"""The portal's opinion forms. They collect and show the fields; the rules (lengths, contacts,
codes, who may write where) are intake.py's, whose ``IntakeError.field`` names these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ContactKind
from .conf import app_settings

# The honeypot: an input people never see (off-screen, hidden from screen readers, skipped by
# the tab key). Whatever fills it is a robot.
HONEYPOT = "website"


class OpinionForm(forms.Form):
    subject = forms.CharField(label=_("标题"), required=False, widget=forms.TextInput(attrs={"maxlength": 60}))
    body = forms.CharField(label=_("意见内容"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    name = forms.CharField(label=_("姓名"), required=False, widget=forms.TextInput(attrs={"maxlength": 40, "autocomplete": "name"}))
    contact_kind = forms.CharField(
        label=_("联系方式"), required=False, initial=ContactKind.MOBILE, widget=forms.RadioSelect(choices=ContactKind.choices)
    )
    contact = forms.CharField(
        label=_("手机号码或电子邮箱"), required=False, widget=forms.TextInput(attrs={"maxlength": 254, "autocomplete": "off"})
    )
    code = forms.CharField(
        label=_("验证码"), required=False,
        widget=forms.TextInput(attrs={"maxlength": 6, "inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    website = forms.CharField(
        label=_("网址（请勿填写）"), required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})
    )

    contact_fields = ("contact_kind", "contact", "code")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = app_settings.SUNSHINE_OPINION_MAX_LENGTH
        self.fields["body"].widget.attrs["maxlength"] = self.limit
        self.fields["body"].help_text = _("不超过 %(limit)s 字。") % {"limit": self.limit}
        self.signed_in = bool(user is not None and user.is_authenticated)
        if self.signed_in:
            # A member is known by the account: no contact to confirm.
            for name in self.contact_fields:
                del self.fields[name]

    def value(self, name):
        return (self.cleaned_data.get(name) or "") if hasattr(self, "cleaned_data") else ""

    @property
    def is_spam(self):
        return bool(self.value(HONEYPOT))

    def refuse(self, error):
        """Show an ``intake.IntakeError`` on the field it is about (else above the form)."""
        self.add_error(error.field if error.field in self.fields else None, error.message)

