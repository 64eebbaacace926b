"""The search parameters, validated once for the page and the JSON endpoint."""

from django import forms
from django.core.exceptions import ValidationError

from . import schema
from .query import SORT_DATE, SORT_RELEVANCE

# Longer queries are cut, not refused: pasted paragraphs should still find their item.
MAX_QUERY_LENGTH = 100
MAX_PAGE = 500
SORT_CHOICES = [(SORT_RELEVANCE, "按相关度"), (SORT_DATE, "按日期")]


class SearchParametersForm(forms.Form):
    """Query-string parameters; errors carry a machine-readable code for the API.

    Every facet of the schema (search.schema) is a parameter of its name; those needing more
    than their field's type are declared here.
    """

    q = forms.CharField(required=False, strip=True)
    unit = forms.CharField(required=False, max_length=64)
    area = forms.UUIDField(required=False, error_messages={"invalid": "板块参数无效。"})
    entry = forms.UUIDField(required=False, error_messages={"invalid": "目录参数无效。"})
    year = forms.IntegerField(
        required=False, min_value=1949, max_value=2100, error_messages={"invalid": "年份参数无效。", "min_value": "年份参数无效。", "max_value": "年份参数无效。"}
    )
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, error_messages={"invalid_choice": "排序参数无效。"})
    page = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE,
        error_messages={"invalid": "页码参数无效。", "min_value": "页码参数无效。", "max_value": f"页码不能超过 {MAX_PAGE}。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NUL characters are dropped from the query (clean_q) rather than refused in English.
        self.fields["q"].validators = []
        for field in schema.SCHEMA.facet_fields:
            if field.facet.name not in self.fields:
                self.fields[field.facet.name] = _parameter(field)

    def clean_q(self):
        text = self.cleaned_data["q"].replace("\x00", "")
        self.truncated = len(text) > MAX_QUERY_LENGTH
        return text[:MAX_QUERY_LENGTH]

    def clean_unit(self):
        code = self.cleaned_data["unit"]
        if code and not code.replace("-", "").replace("_", "").isalnum():
            raise ValidationError("单位参数无效。", code="invalid")
        return code

    def error_list(self):
        """``[(parameter, code, message)]`` of the errors, for the JSON error body."""
        return [
            (name, f"invalid_{name}", str(error.message % (error.params or {})) if error.params else str(error.message))
            for name, errors in self.errors.as_data().items()
            for error in errors
        ]


def _parameter(field):
    """The form field of a facet parameter: one of its choices, or a value of its field's type."""
    invalid = f"{field.facet.label}参数无效。"
    if field.facet.choices:
        return forms.ChoiceField(required=False, choices=field.facet.choices, error_messages={"invalid_choice": invalid})
    if field.kind.python_type is int:
        return forms.IntegerField(required=False, error_messages={"invalid": invalid})
    return forms.CharField(required=False, max_length=255)


def saved_facets(cleaned_data):
    """The facet parameters of validated search parameters that anyone may use, as JSON values
    (text, whole numbers), by facet name: what a saved search keeps (alerts), page and sort left out."""
    saved = {}
    for facet in schema.SCHEMA.facets:
        value = cleaned_data.get(facet.name)
        if facet.members_only or value in (None, ""):
            continue
        saved[facet.name] = value if isinstance(value, int) else str(value)
    return saved
