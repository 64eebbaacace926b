"""Forms of 评议: the ballot (built from the round's questionnaire), a resident's contact, a round in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import EvaluationScale, Satisfaction
from .models import EvaluationRound, Questionnaire


class BallotForm(forms.Form):
    """One field per question: 满意 · 基本满意 · 不满意 as radio buttons, or a score 0–100."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all())
        satisfaction = questionnaire.scale == EvaluationScale.SATISFACTION
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}"
            if satisfaction:
                field = forms.TypedChoiceField(
                    label=label, choices=Satisfaction.choices, coerce=int, widget=forms.RadioSelect,
                    error_messages={"required": _("请选择一项。"), "invalid_choice": _("请选择一项。")},
                )
            else:
                field = forms.IntegerField(
                    label=label, min_value=0, max_value=100,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                    error_messages={
                        "required": _("请填写0到100之间的分数。"), "invalid": _("请填写0到100之间的整数。"),
                        "min_value": _("分数不能低于0。"), "max_value": _("分数不能高于100。"),
                    },
                )
            field.question = question
            self.fields[f"q{question.pk}"] = field

    def answers(self):
        """{question id: value} of a valid form."""
        return {question.pk: self.cleaned_data[f"q{question.pk}"] for question in self.questions}


class ResidentForm(forms.Form):
    """A resident's confirmed contact: mobile or e-mail and the one-time code (participation's)."""

    contact_kind = forms.ChoiceField(
        label=_("联系方式"), choices=[("mobile", _("手机号码")), ("email", _("电子邮箱"))], initial="mobile",
        widget=forms.RadioSelect,
    )
    contact = forms.CharField(label=_("手机号码或电子邮箱"), max_length=254, required=False)
    code = forms.CharField(label=_("验证码"), max_length=6, required=False)


class RoundForm(forms.ModelForm):
    """A round as the county office sets it up; its questionnaires are the office's county's only."""

    class Meta:
        model = EvaluationRound
        fields = ["questionnaire", "name", "period_start", "period_end", "opens_on", "closes_on", "residents_may_rate", "result_scope"]
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in ("period_start", "period_end", "opens_on", "closes_on")}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = Questionnaire.objects.filter(county=county).order_by("name")
        self.fields["name"].help_text = _("例如：2026年第3季度党务公开评议")

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_start"] > data["period_end"]:
            self.add_error("period_end", _("评议期间的结束日期不能早于开始日期。"))
        if data.get("opens_on") and data.get("closes_on") and data["opens_on"] > data["closes_on"]:
            self.add_error("closes_on", _("结束投票日期不能早于开始投票日期。"))
        return data
