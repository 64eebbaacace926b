"""The public ledger in the API, under /api/v2/opinions/: the list of public opinions, the
figures of a unit's section, and one public opinion.

The project's API views (``api.views.ApiView``): member tokens, throttling, JSON errors with a
``code``, parameters declared once for validation and the schema. Not the content-version
cache: opinions move on without publishing anything, so these answers are built fresh.
Only public opinions (``figures.public_opinions``), never an author's name or contact.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from api import filters
from api.errors import not_found
from api.serializers import absolute, labelled
from api.views import ApiView, responses
from disclosure_pages.public_urls import public_url
from disclosure_pages.templatetags.portal_tags import in_script
from disclosure_pages.visibility import ANONYMOUS

from . import figures
from .choices import Channel, EventKind, HiddenReason, Outcome, Satisfaction, State
from .ledger import canonical_item, excerpt, top_unit, unit_titles
from .ledger import canonical_unit as default_locale_unit

StateChoice = labelled(State)
ChannelChoice = labelled(Channel)
OutcomeChoice = labelled(Outcome)
SatisfactionChoice = labelled(Satisfaction)
EventKindChoice = labelled(EventKind)
HiddenReasonChoice = labelled(HiddenReason)


# -- parameters -------------------------------------------------------------------------------------


class FiguresParams(filters.LocaleParams):
    unit = filters.IdField("单位 id（任一文字下的 id 均可）：该单位及下级组织；不传为全县")

    def get_fields(self):
        # ``from`` and ``to`` are Python keywords: added here rather than declared.
        fields = super().get_fields()
        fields["from"] = filters.SaneDateField(required=False, help_text="收到意见的日期不早于（含），YYYY-MM-DD")
        fields["to"] = filters.SaneDateField(required=False, help_text="收到意见的日期不晚于（含），YYYY-MM-DD")
        return fields

    def validate(self, data):
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise serializers.ValidationError({"from": ["开始日期不能晚于结束日期。"]})
        return data


class OpinionListParams(FiguresParams):
    state = serializers.ChoiceField(choices=State.choices, required=False, help_text="办理状态")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, help_text="来源渠道")
    item = filters.IdField("公开事项 id（任一文字下的 id 均可）：对该事项提出的意见")
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20, help_text="每页条数")
    offset = serializers.IntegerField(min_value=0, max_value=filters.MAX_OFFSET, default=0, help_text="跳过的条数")


def section_of(params):
    """The default-locale unit whose section is asked for (the county without ``unit``); 404 for an unknown one."""
    if "unit" not in params:
        unit = top_unit()
    else:
        unit = default_locale_unit(filters.visible_unit(params["unit"], ANONYMOUS).pk)
    if unit is None:
        raise not_found("没有这个单位。", "unit_not_found")
    return unit


def period_of(params):
    return figures.Period(params.get("from"), params.get("to"))


# -- shapes ------------------------------------------------------------------------------------------


class LedgerUnitRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="单位 id（简体）")
    title = serializers.CharField(help_text="所请求文字的单位名称")


class LedgerItemRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class LedgerAnswerSerializer(serializers.Serializer):
    """经审核公开的答复."""

    outcome = OutcomeChoice()
    body = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)


class LedgerOpinionSerializer(serializers.Serializer):
    """一件公开的意见建议（不含提出人的姓名和联系方式）."""

    number = serializers.CharField(help_text="受理编号")
    received_on = serializers.DateField(help_text="收到日期")
    unit = LedgerUnitRefSerializer(help_text="承办单位")
    channel = ChannelChoice()
    state = StateChoice()
    item = LedgerItemRefSerializer(allow_null=True, help_text="所针对的公开事项；写给单位意见箱的为 null")
    subject = serializers.CharField()
    excerpt = serializers.CharField(help_text="意见内容的开头")
    answer = LedgerAnswerSerializer(allow_null=True, help_text="答复（列表中为摘要）；尚未答复为 null")
    satisfaction = SatisfactionChoice(allow_null=True, help_text="群众评价；未评价为 null")
    html_url = serializers.URLField(help_text="门户上的公开页面")
    detail_url = serializers.URLField()


class LedgerEventSerializer(serializers.Serializer):
    kind = EventKindChoice()
    at = serializers.DateTimeField()
    from_unit = serializers.CharField(allow_null=True, help_text="转办时的原单位")
    to_unit = serializers.CharField(allow_null=True, help_text="交办、转办的单位")


class LedgerOpinionDetailSerializer(LedgerOpinionSerializer):
    body = serializers.CharField(help_text="意见全文")
    events = LedgerEventSerializer(many=True, help_text="公开的办理过程")


class LedgerListMetaSerializer(serializers.Serializer):
    total_count = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    locale = serializers.CharField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class LedgerOpinionListSerializer(serializers.Serializer):
    meta = LedgerListMetaSerializer()
    items = LedgerOpinionSerializer(many=True)


class LedgerHiddenCountSerializer(serializers.Serializer):
    reason = HiddenReasonChoice()
    count = serializers.IntegerField()


class LedgerCountsSerializer(serializers.Serializer):
    """Counts of the opinions received in the period (members-only never, merged duplicates once) and rates in percent."""

    received = serializers.IntegerField(help_text="受理")
    closed = serializers.IntegerField(help_text="办结（已销号）")
    in_progress = serializers.IntegerField(help_text="办理中：未办结的（含已答复待销号）")
    answered = serializers.IntegerField(help_text="已答复待销号")
    not_adopted = serializers.IntegerField(help_text="不予采纳")
    not_feasible = serializers.IntegerField(help_text="暂不具备条件")
    due = serializers.IntegerField(help_text="有办理期限且已答复或已逾期的")
    on_time = serializers.IntegerField(help_text="其中在期限内（含当日）答复的")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="按期答复率 %")
    average_days = serializers.FloatField(allow_null=True, help_text="从收到到答复的平均工作日数（仅全范围）")
    satisfied = serializers.IntegerField()
    basic = serializers.IntegerField()
    unsatisfied = serializers.IntegerField()
    satisfaction_rate = serializers.FloatField(allow_null=True, help_text="满意和基本满意占已评价的 %")
    ever_answered = serializers.IntegerField(help_text="曾经答复过的")
    sent_back = serializers.IntegerField(help_text="发回重办过的")
    sent_back_rate = serializers.FloatField(allow_null=True, help_text="发回重办率 %（占曾经答复过的）")
    hidden = LedgerHiddenCountSerializer(many=True, help_text="经审查不予公开的件数，按原因")


class LedgerBreakdownSerializer(serializers.Serializer):
    unit = LedgerUnitRefSerializer()
    figures = LedgerCountsSerializer()


class LedgerMonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    received = serializers.IntegerField()
    closed = serializers.IntegerField(help_text="当月收到的意见中已办结的")


class LedgerPeriodSerializer(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)


class LedgerFiguresSerializer(serializers.Serializer):
    locale = serializers.CharField()
    unit = LedgerUnitRefSerializer()
    period = LedgerPeriodSerializer()
    totals = LedgerCountsSerializer()
    breakdown = LedgerBreakdownSerializer(many=True, help_text="各下级组织（含其下级）的数字")
    own = LedgerCountsSerializer(help_text="本级直接承办的")
    months = LedgerMonthSerializer(many=True)


# -- data ---------------------------------------------------------------------------------------------


def opinion_data(request, opinion, titles, detail=False):
    answer = opinion.approved[0] if opinion.approved else None
    html = reverse("participation:opinion_detail", args=[opinion.number])
    data = {
        "number": opinion.number,
        "received_on": opinion.received_on,
        "unit": {"id": opinion.unit_id, "title": titles.get(opinion.unit_id, "")},
        "channel": opinion.channel,
        "state": opinion.state,
        "item": {"id": opinion.item_id, "title": in_script(opinion.item.title)} if opinion.item_id and opinion.item else None,
        "subject": in_script(opinion.subject),
        "excerpt": excerpt(opinion.body),
        "answer": {
            "outcome": answer.outcome,
            "body": in_script(answer.body) if detail else excerpt(answer.body, 120),
            "answered_on": answer.decided_at.date() if answer.decided_at else None,
        } if answer else None,
        "satisfaction": opinion.satisfaction or None,
        "html_url": public_url(html),
        "detail_url": absolute(request, "api-opinion-detail", opinion.number),
    }
    if detail:
        data["body"] = in_script(opinion.body)
        data["events"] = [
            {"kind": event.kind, "at": event.at, "from_unit": titles.get(event.from_unit_id), "to_unit": titles.get(event.to_unit_id)}
            for event in opinion.public_events()
        ]
    return data


def figures_data(numbers):
    return {
        **{name: getattr(numbers, name) for name in LedgerCountsSerializer().fields if name != "hidden"},
        "hidden": [{"reason": reason, "count": count} for reason, count in numbers.hidden.items()],
    }


# -- views ---------------------------------------------------------------------------------------------


class LedgerApiView(ApiView):
    """Built on every request (see the module's docstring); shared caches may keep a minute."""

    def get(self, request, *args, **kwargs):
        params = filters.parse(self.params_class, request)
        data = self.build(request, params, *args, **kwargs)
        cache_control = "private, no-cache" if request.user.is_authenticated else "public, max-age=60"
        return Response(data, headers={"Cache-Control": cache_control, "Vary": "Authorization"})


@extend_schema_view(get=extend_schema(
    operation_id="opinions_ledger_list",
    summary="公开的意见建议（台帐）",
    description="某单位及下级组织（不传 unit 为全县）公开的意见建议，新收到的在前，分页，附总数；可按收到日期、办理状态、"
    "来源渠道、公开事项筛选。只含经审查公开的、向社会公开的意见，不含提出人的任何信息。",
    parameters=[OpinionListParams],
    responses=responses(LedgerOpinionListSerializer, 404),
    tags=["opinions"],
))
class OpinionListView(LedgerApiView):
    params_class = OpinionListParams

    def build(self, request, params):
        item = None
        if "item" in params:
            item = canonical_item(params["item"])
            if item is None:
                raise not_found("没有这个公开事项。", "item_not_found")
        opinions = figures.public_opinions(section_of(params), period_of(params), params.get("state"), params.get("channel"), item)
        offset, limit = params["offset"], params["limit"]
        total = opinions.count()
        titles = unit_titles(params["locale"])
        data = {
            "meta": {
                "total_count": total,
                "limit": limit,
                "offset": offset,
                "locale": params["locale"],
                "next": self._page_url(request, offset + limit) if offset + limit < total else None,
                "previous": self._page_url(request, max(offset - limit, 0)) if offset > 0 else None,
            },
            "items": [opinion_data(request, opinion, titles) for opinion in opinions[offset : offset + limit]],
        }
        return LedgerOpinionListSerializer(data).data

    @staticmethod
    def _page_url(request, offset):
        query = request.GET.copy()
        query["offset"] = offset
        return public_url(f"{request.path}?{query.urlencode()}")


@extend_schema_view(get=extend_schema(
    operation_id="opinions_ledger_figures",
    summary="意见办理统计",
    description="某单位及下级组织（不传 unit 为全县）在某段时间（按收到日期，from/to 均含）收到的意见建议的办理情况："
    "受理、办结、办理中、不予采纳、暂不具备条件、按期答复率、平均办理工作日、满意率、发回重办率，经审查不予公开的件数（按原因），"
    "各下级组织的数字和每月的受理、办结数。党内意见不计，重复意见只计一次。",
    parameters=[FiguresParams],
    responses=responses(LedgerFiguresSerializer, 404),
    tags=["opinions"],
))
class FiguresView(LedgerApiView):
    params_class = FiguresParams

    def build(self, request, params):
        unit = section_of(params)
        numbers = figures.ledger(unit, period_of(params))
        titles = unit_titles(params["locale"])
        data = {
            "locale": params["locale"],
            "unit": {"id": unit.pk, "title": titles.get(unit.pk, unit.title)},
            "period": {"start": numbers.period.start, "end": numbers.period.end},
            "totals": figures_data(numbers.totals),
            "breakdown": [
                {"unit": {"id": child.pk, "title": titles.get(child.pk, child.title)}, "figures": figures_data(child_figures)}
                for child, child_figures in numbers.breakdown
            ],
            "own": figures_data(numbers.own),
            "months": [{"month": f"{month.month:%Y-%m}", "received": month.received, "closed": month.closed} for month in numbers.months],
        }
        return LedgerFiguresSerializer(data).data


@extend_schema_view(get=extend_schema(
    operation_id="opinions_ledger_retrieve",
    summary="公开的意见建议详情",
    description="一件公开的意见建议：全文、公开的办理过程、经审核的答复和群众评价。未公开、党内的意见答 404。",
    parameters=[filters.LocaleParams, OpenApiParameter("number", OpenApiTypes.STR, OpenApiParameter.PATH, description="受理编号", pattern=r"^[0-9]{1,20}$")],
    responses=responses(LedgerOpinionDetailSerializer, 404),
    tags=["opinions"],
))
class OpinionDetailView(LedgerApiView):
    params_class = filters.LocaleParams

    def build(self, request, params, number):
        opinion = figures.public_opinion(number)
        if opinion is None:
            raise not_found("没有这件意见建议，或该意见不公开。", "opinion_not_found")
        return LedgerOpinionDetailSerializer(opinion_data(request, opinion, unit_titles(params["locale"]), detail=True)).data
