"""The public ledger (意见办理台帐): figures, charts, the list of public opinions, its exports,
and each public opinion's page. Under the language prefixes: /zh-hans/opinions/, /zh-hant/opinions/.

Everything listed goes through ``figures.public_opinions`` (``Opinion.objects.public()``); no
name or contact of an author is ever read here.
"""

import csv
import tempfile

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext as _, gettext_noop
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from wagtail.models import Locale, Site

from disclosure_pages import params as bounds
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.public_urls import public_url
from disclosure_pages.templatetags.portal_tags import in_script
from disclosure_pages import charts
from disclosure_pages.visibility import ANONYMOUS, visible_pages

from . import figures
from .choices import Channel, State

PAGE_SIZE = 20
EXPORT_LIMIT = 50_000
EXCERPT_LENGTH = 80
PERIOD_CHOICES = [("month", gettext_noop("本月")), ("quarter", gettext_noop("本季度")), ("year", gettext_noop("本年")), ("all", gettext_noop("全部")), ("custom", gettext_noop("自定义"))]


def excerpt(text, length=EXCERPT_LENGTH):
    """The start of ``text`` in the reader's script, on one line."""
    text = " ".join((text or "").split())
    return in_script(text[:length] + ("…" if len(text) > length else ""))


# -- the reader's query ---------------------------------------------------------------------------


def default_locale_units():
    return UnitPage.objects.filter(locale=Locale.get_default())


def top_unit():
    """County-wide: the top unit of the tree (the county)."""
    return default_locale_units().order_by("depth", "path").first()


def canonical_unit(unit_id):
    """The default-locale unit of a public unit's id in either script, or None."""
    unit = visible_pages(UnitPage.objects.filter(pk=unit_id), ANONYMOUS).only("translation_key", "locale_id").first()
    if unit is None:
        return None
    return default_locale_units().filter(translation_key=unit.translation_key).first()


def canonical_item(item_id):
    """The default-locale item of a public item's id in either script, or None."""
    item = visible_pages(DisclosureItemPage.objects.filter(pk=item_id), ANONYMOUS).first()
    if item is None:
        return None
    return DisclosureItemPage.objects.filter(translation_key=item.translation_key, locale=Locale.get_default()).first() or item


def period_of(choice, start=None, end=None):
    if choice == "all":
        return figures.Period()
    if choice == "custom":
        return figures.Period(start, end)
    return figures.Period.preset(choice)


class LedgerForm(forms.Form):
    """The ledger's filters, read from the query string; the same names in both scripts."""

    unit = forms.IntegerField(required=False, min_value=1, max_value=bounds.MAX_ID, label=gettext_noop("单位"))
    period = forms.ChoiceField(required=False, choices=PERIOD_CHOICES, label=gettext_noop("时间范围"))
    start = forms.DateField(required=False, label=gettext_noop("开始日期"), input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, label=gettext_noop("结束日期"), input_formats=["%Y-%m-%d"])
    state = forms.ChoiceField(required=False, choices=[("", gettext_noop("全部状态")), *State.choices], label=gettext_noop("办理状态"))
    channel = forms.ChoiceField(required=False, choices=[("", gettext_noop("全部渠道")), *Channel.choices], label=gettext_noop("来源渠道"))
    item = forms.IntegerField(required=False, min_value=1, max_value=bounds.MAX_ID, label=gettext_noop("公开事项"))

    MESSAGES = {
        "unit": gettext_noop("没有这个单位，请从列表中选择。"),
        "item": gettext_noop("没有这个公开事项。"),
        "dates": gettext_noop("请填写开始日期和结束日期（格式 2024-01-31），开始日期不能晚于结束日期。"),
        "range": bounds.DATE_MESSAGE,
    }

    def __init__(self, data, unit_choices):
        super().__init__(data)
        self.unit_choices = unit_choices  # the template writes the select out
        for name in ("period", "state", "channel"):
            self.fields[name].choices = [(value, _(label)) for value, label in self.fields[name].choices]
        for field in self.fields.values():
            field.label = _(field.label)
            field.error_messages = {key: _("请选择或填写有效的值。") for key in ("invalid", "invalid_choice", "min_value", "max_value")}
        self.fields["start"].widget = self.fields["end"].widget = forms.DateInput(attrs={"type": "date"})

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["unit"] = canonical_unit(data["unit"]) if data.get("unit") else top_unit()
        if data["unit"] is None:
            self.add_error("unit", _(self.MESSAGES["unit"]))
        if data.get("item"):
            data["item"] = canonical_item(data["item"])
            if data["item"] is None:
                self.add_error("item", _(self.MESSAGES["item"]))
        else:
            data["item"] = None
        data["period"] = data.get("period") or "year"
        start, end = data.get("start"), data.get("end")
        if data["period"] == "custom":
            if not start or not end or start > end:
                self.add_error("start", _(self.MESSAGES["dates"]))
            elif not (bounds.sane_date(start) and bounds.sane_date(end)):
                self.add_error("start", _(self.MESSAGES["range"]))
        if not self.errors:
            data["range"] = period_of(data["period"], start, end)
        return data


def unit_choices(language_code):
    """The units in tree order for the select: default-locale ids (the same in both scripts),
    names in the reader's script, indented by level."""
    default = dict(default_locale_units().values_list("translation_key", "pk"))
    rows = UnitPage.objects.filter(locale__language_code=language_code).live().order_by("path").values_list("translation_key", "title", "depth")
    rows = list(rows) or list(default_locale_units().live().order_by("path").values_list("translation_key", "title", "depth"))
    top = min((depth for _key, _title, depth in rows), default=0)
    return [(default[key], "\u3000" * (depth - top) + title) for key, title, depth in rows if key in default]


def unit_titles(language_code):
    """Default-locale unit id → the unit's name in the reader's script."""
    titles = dict(UnitPage.objects.filter(locale__language_code=language_code).values_list("translation_key", "title"))
    return {pk: titles.get(key) or in_script(title) for pk, key, title in default_locale_units().values_list("pk", "translation_key", "title")}


def language():
    return "zh-hant" if get_language() == "zh-hant" else "zh-hans"


def portal_in(request, language_code):
    """The portal home in the reader's script: the base template's page (its language, the script switch)."""
    site = Site.find_for_request(request)
    root = site.root_page.specific if site else None
    if root is not None and root.locale.language_code != language_code:
        root = (root.get_translations().filter(locale__language_code=language_code).first() or root).specific
    return root


def read_query(request):
    """The form (bound to the query string) and, when valid, its cleaned data."""
    data = request.GET.copy()
    data.setdefault("period", "year")  # this year, unless the reader chose
    form = LedgerForm(data, unit_choices(language()))
    return form, (form.cleaned_data if form.is_valid() else None)


# -- rows, as the page, the exports and the API show them -----------------------------------------


def row_of(opinion, titles):
    answer = opinion.approved[0] if opinion.approved else None
    return {
        "opinion": opinion,
        "number": opinion.number,
        "received_on": opinion.received_on,
        "unit": titles.get(opinion.unit_id, ""),
        "channel": opinion.get_channel_display(),
        "item": in_script(opinion.item.title) if opinion.item_id and opinion.item else "",
        "subject": in_script(opinion.subject),
        "excerpt": excerpt(opinion.body),
        "state": opinion.get_state_display(),
        "answer": answer,
        "answer_excerpt": excerpt(answer.body, 120) if answer else "",
        "url": reverse("participation:opinion_detail", args=[opinion.number]),
    }


# -- views ------------------------------------------------------------------------------------------


def _context(request, form, heading):
    selected = form.cleaned_data.get("unit") if form.is_valid() else None
    return {
        "page": portal_in(request, language()),
        "page_heading": heading,
        "form": form,
        "unit_options": form.unit_choices,
        "selected_unit": selected.pk if selected else None,
        "errors": [f"{form.fields[name].label}：{error}" if name in form.fields else error
                   for name, errors in form.errors.items() for error in errors],
        # The query means the same in both scripts (default-locale ids): the switch keeps it.
        "keep_query_on_switch": True,
    }


@require_GET
def ledger(request):
    """意见办理台帐: the figures of a unit's section for a period, its charts and the public list."""
    form, query = read_query(request)
    context = _context(request, form, _("意见办理台帐"))
    if query is None:
        return _respond(request, "participation/ledger.html", context, status=400)
    unit, period = query["unit"], query["range"]
    numbers = figures.ledger(unit, period)
    titles = unit_titles(language())
    opinions = figures.public_opinions(unit, period, query["state"], query["channel"], query["item"])
    paginator = Paginator(opinions, PAGE_SIZE)
    if not (query["state"] or query["channel"] or query["item"]):
        paginator.count = numbers.totals.published  # counted with the figures, from their index
    page = paginator.get_page(request.GET.get("page"))
    month_labels = [f"{month.month:%Y-%m}" for month in numbers.months]
    received_name, closed_name = _("受理"), _("办结")
    context.update(
        unit=unit,
        unit_title=titles.get(unit.pk, unit.title),
        period=period,
        ledger=numbers,
        totals=numbers.totals,
        breakdown=[(titles.get(child.pk, child.title), child.pk, child_figures) for child, child_figures in numbers.breakdown],
        states=[(_(label), count) for label, count in numbers.states],
        rows=[row_of(opinion, titles) for opinion in page.object_list],
        page_obj=page,
        query_without_page=_query_without(request, "page"),
        query_without_unit=_query_without(request, "page", "unit"),
        export_limit=EXPORT_LIMIT,
        months_chart=charts.bar_chart(
            "chart-months", _("每月受理与办结"), _("柱状图，数据见下方“每月受理与办结”表。"), month_labels,
            [(received_name, "#b2151b", [month.received for month in numbers.months]),
             (closed_name, "#2e6b3a", [month.closed for month in numbers.months])],
        ) if numbers.months else "",
        states_chart=charts.horizontal_bars(
            "chart-states", _("办理状态分布"), _("条形图，数据见下方“办理状态分布”表。"), [(_(label), count) for label, count in numbers.states]
        ),
    )
    return _respond(request, "participation/ledger.html", context)


def _query_without(request, *names):
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _respond(request, template, context, status=200):
    response = TemplateResponse(request, template, context, status=status)
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
    response["Vary"] = "Cookie, Accept-Language"
    return response


EXPORT_COLUMNS = ["受理编号", "收到日期", "承办单位", "来源渠道", "公开事项", "标题", "意见内容", "办理状态", "答复", "网址"]


def export_rows(query, language_code):
    """The header and up to ``EXPORT_LIMIT`` rows of the filtered public list, then a note when cut.

    Streamed after the view has returned: the reader's script is set here, not assumed."""
    with translation.override(language_code):
        titles = unit_titles(language_code)
        opinions = figures.public_opinions(query["unit"], query["range"], query["state"], query["channel"], query["item"])
        yield [_(column) for column in EXPORT_COLUMNS]
        for count, opinion in enumerate(opinions[: EXPORT_LIMIT + 1].iterator(chunk_size=2000), start=1):
            if count > EXPORT_LIMIT:
                yield [_("仅导出前 %(limit)s 条，请缩小时间范围或增加筛选条件后分批导出。") % {"limit": EXPORT_LIMIT}]
                return
            row = row_of(opinion, titles)
            answer = row["answer"]
            yield [
                row["number"], f"{row['received_on']:%Y-%m-%d}", row["unit"], str(row["channel"]), row["item"], row["subject"],
                in_script(opinion.body), str(row["state"]), in_script(answer.body) if answer else "", public_url(row["url"]),
            ]


class _Echo:
    """A file that hands back what is written: csv.writer's output, row by row, to the response."""

    def write(self, value):
        return value


@require_GET
def ledger_export(request, fmt):
    """The filtered public list as CSV (UTF-8 with a BOM: Excel then reads the Chinese) or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, query = read_query(request)
    if query is None:
        context = _context(request, form, _("意见办理台帐"))
        return _respond(request, "participation/ledger.html", context, status=400)
    filename = f"opinions-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo())
        lines = (writer.writerow(row) for row in export_rows(query, language()))
        response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    else:
        response = FileResponse(_xlsx(export_rows(query, language())), as_attachment=True, filename=filename,
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-cache"
    return response


def _with_bom(lines):
    yield "\ufeff"
    yield from lines


def _xlsx(rows):
    """A workbook written row by row (openpyxl's write-only mode) to a temporary file, streamed from there."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("意见办理台帐"))
    for row in rows:
        sheet.append(row)
    handle = tempfile.TemporaryFile()
    workbook.save(handle)
    handle.seek(0)
    return handle


@require_GET
def opinion_detail(request, number):
    """A public opinion: its text, public timeline, approved answer and rating. 404 for anything not public."""
    opinion = figures.public_opinion(number)
    if opinion is None:
        raise Http404
    titles = unit_titles(language())
    events = [
        {"kind": event.get_kind_display(), "at": event.at, "from_unit": titles.get(event.from_unit_id), "to_unit": titles.get(event.to_unit_id)}
        for event in opinion.public_events()
    ]
    context = {
        "page": portal_in(request, language()),
        "page_heading": opinion.number,
        "row": row_of(opinion, titles),
        "body": in_script(opinion.body),
        "events": events,
        "ledger_url": reverse("participation:ledger") + f"?unit={opinion.unit_id}",
    }
    return _respond(request, "participation/ledger_detail.html", context)
