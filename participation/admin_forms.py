"""Forms of the 意见办理 admin: the queue's filters, each handling step, and the offline entry.

The forms only collect and shape input; the rules (who may, in which state) are handling.py's
and intake.py's, whose refusals the views show as messages.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from disclosure_pages.models import DisclosureItemPage, UnitPage

from . import access
from .choices import Channel, ContactKind, HiddenReason, Moderation, Outcome, State


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.display_name


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("办理状态"), required=False, choices=[("", _("全部"))] + State.choices)
    moderation = forms.ChoiceField(label=_("审查"), required=False, choices=[("", _("全部"))] + Moderation.choices)
    channel = forms.ChoiceField(label=_("来源渠道"), required=False, choices=[("", _("全部"))] + Channel.choices)
    unit = UnitChoiceField(label=_("承办单位"), required=False, queryset=UnitPage.objects.none(), empty_label=_("全部"))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if access.is_county_office(user):
            self.fields["unit"].queryset = UnitPage.objects.filter(
                pk__in=access.visible_opinions(user).values("unit_id")
            ).order_by("path")
        else:
            del self.fields["unit"]

    def filter(self, opinions):
        if not self.is_valid():
            return opinions
        data = self.cleaned_data
        for field in ("state", "moderation", "channel"):
            if data.get(field):
                opinions = opinions.filter(**{field: data[field]})
        if data.get("unit"):
            opinions = opinions.filter(unit=data["unit"])
        if data.get("overdue"):
            opinions = opinions.overdue()
        return opinions


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("不予公开原因"), choices=HiddenReason.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class MergeForm(forms.Form):
    number = forms.CharField(label=_("合并到的受理编号"), max_length=20)

    def __init__(self, *args, user, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.opinion = user, opinion

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        # Only numbers the user can see are found: another unit's numbers are "not found", not "not yours".
        into = access.visible_opinions(self.user).filter(number=number).first()
        if into is None:
            raise forms.ValidationError(_("找不到受理编号为 %(number)s 的意见。"), params={"number": number})
        return into


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("承办人"), queryset=None, empty_label=None)
    working_days = forms.IntegerField(label=_("办理期限（工作日）"), min_value=1, max_value=60)

    def __init__(self, *args, user, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        from .conf import app_settings

        self.fields["assignee"].queryset = access.assignable_people(opinion.unit)
        self.fields["assignee"].label_from_instance = lambda person: person.get_full_name() or person.get_username()
        self.fields["working_days"].initial = app_settings.SUNSHINE_OPINION_DEADLINE_WORKING_DAYS
        if not access.is_county_office(user):
            # Only the county sets the days: a unit's officers get the county's default.
            self.fields["working_days"].disabled = True
            self.fields["working_days"].help_text = _("办理期限由县委党务公开办设定。")


class TransferForm(forms.Form):
    to_unit = UnitChoiceField(label=_("转办给"), queryset=UnitPage.objects.none(), empty_label=None)
    note = forms.CharField(label=_("转办说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = access.transfer_targets(user, opinion)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("答复结果"), choices=Outcome.choices)
    body = forms.CharField(label=_("答复内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("答复经本单位领导小组审核后公开。不予采纳或暂不具备条件的，须说明理由。"))
    important = forms.BooleanField(label=_("重要意见，报县级审核"), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("退回原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("销号说明"), required=False, max_length=500)


class OfflineOpinionForm(forms.Form):
    """录入线下意见: an opinion taken at a hearing, a meeting, from a box, a visit or a hotline."""

    unit = UnitChoiceField(label=_("受理单位"), queryset=UnitPage.objects.none(), empty_label=None)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[(channel.value, channel.label) for channel in Channel.offline()])
    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    place = forms.CharField(label=_("地点"), required=False, max_length=100)
    subject = forms.CharField(label=_("标题"), required=False, max_length=60)
    body = forms.CharField(label=_("意见内容"), widget=forms.Textarea(attrs={"rows": 6}))
    name = forms.CharField(label=_("姓名"), required=False, max_length=40)
    contact_kind = forms.ChoiceField(label=_("联系方式类型"), required=False, choices=[("", "—")] + ContactKind.choices)
    contact = forms.CharField(label=_("联系方式"), required=False, max_length=254,
                              help_text=_("仅承办单位工作人员可见，办结后按规定期限清除。"))
    item = forms.ModelChoiceField(label=_("公开事项（可选）"), required=False, queryset=DisclosureItemPage.objects.none(),
                                  help_text=_("须是所选单位的事项。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from wagtail.models import Locale

        managed = access.handled_units(user)
        self.fields["unit"].queryset = managed
        self.fields["received_on"].initial = timezone.localdate
        self.fields["item"].queryset = (
            DisclosureItemPage.objects.filter(unit__in=managed, locale=Locale.get_default()).live().order_by("-first_published_at")
        )
        self.fields["item"].label_from_instance = lambda item: f"{item.unit.display_name}：{item.title}"
        self.fields["body"].max_length = None  # intake checks the configured limit, with its own message

    def clean(self):
        data = super().clean()
        if data.get("contact") and not data.get("contact_kind"):
            self.add_error("contact_kind", _("请选择联系方式类型。"))
        return data

