"""The opinion API's way in and the author's way back: one-time codes, submissions, tracking
by 查询码, rating and sending back, and a member's own opinions (/api/v2/opinions/…).

The rules are intake's and handling's; this module only turns JSON into their calls and their
refusals (``IntakeError``, ``HandlingError``) into the API's errors. The tracking code travels
in the JSON body, never in a URL (URLs end up in logs and browser histories). No answer here
carries a name or a contact: not the author's, not an officer's.
"""

import re

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

from api import filters
from api.errors import ApiError, not_found
from api.serializers import ErrorSerializer, labelled
from api.throttling import ClientRateThrottle
from api.views import ApiView
from disclosure_pages.models import DisclosureItemPage, UnitPage
from disclosure_pages.templatetags.portal_tags import in_script
from disclosure_pages.visibility import visible_pages

from . import handling, intake
from .choices import AnswerStatus, Channel, ContactKind, EventKind, HiddenReason, Moderation, Outcome, PUBLIC_EVENTS, Satisfaction, State
from .conf import app_settings
from .models import Opinion

# The HTTP status of each refusal of intake's, by its code. A request the schema calls well
# formed is never answered 400: a wrong or missing code is 403 (the contact is not proven),
# an unknown unit or item 404.
INTAKE_STATUS = {
    "required": 400,
    "too_long": 400,
    "invalid_contact": 400,
    "invalid_contact_kind": 400,
    "verification_required": 403,
    "wrong_code": 403,
    "code_expired": 403,
    "closed": 403,
    "not_found": 404,
    "unknown_unit": 404,
    "rate_limited": 429,
    "send_failed": 503,
}
# Steps of the public timeline whose note the author may read: the channel, their rating, their reason
# for sending the answer back. The others' notes are the officers' (names of assignees, internal remarks).
NOTED_EVENTS = {EventKind.RECEIVED, EventKind.RATED, EventKind.SENT_BACK}

# The forms a contact takes, as the schema states them (intake.normalise_contact decides).
MOBILE_PATTERN = r"^(\+86)?1[3-9][0-9]{9}$"
EMAIL_PATTERN = (
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
# (A pattern, not a one-value enum, names the kind: drf-spectacular would make each enum a component.)
CONTACT_FORMS = [
    {"properties": {"contact_kind": {"pattern": f"^{ContactKind.MOBILE.value}$"}, "contact": {"pattern": MOBILE_PATTERN}}},
    {"properties": {"contact_kind": {"pattern": f"^{ContactKind.EMAIL.value}$"}, "contact": {"pattern": EMAIL_PATTERN}}},
]
# Text with something to read: not empty, not only spaces, no NUL characters (what DRF's
# CharField takes); text that may be empty: no NUL characters.
TEXT_PATTERN = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
NO_NUL_PATTERN = r"^[^\u0000]*$"


def intake_error(error):
    errors = {error.field: [in_script(error.message)]} if error.field else None
    return ApiError(error.code, error.message, INTAKE_STATUS.get(error.code, 400), errors)


def client_address(request):
    """The client's address as the API's throttles see it (``API_NUM_PROXIES`` behind proxies)."""
    return BaseThrottle().get_ident(request)


class OpinionWriteThrottle(ClientRateThrottle):
    """Codes, submissions and look-ups by tracking code: a stricter rate, on top of the API's own."""

    scope = "opinions"

    def rate(self, request):
        return app_settings.SUNSHINE_OPINION_API_RATE


# -- input ------------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """Text only: DRF's CharField would take a number or ``true`` and turn it into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictIdField(serializers.IntegerField):
    """A JSON integer only (not ``"5"``, ``5.0`` or ``true``), within the ids a row may have."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=filters.MAX_ID, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class OpinionInput(serializers.Serializer):
    """A JSON body of the opinion API (its schema says what DRF's fields take: see ``InputSchema``)."""


class ContactFields(OpinionInput):
    contact_kind = serializers.ChoiceField(
        choices=ContactKind.choices, help_text="联系方式类型：mobile 手机号码，email 电子邮箱"
    )
    contact = StrictCharField(max_length=254, help_text="手机号码（11 位，可带 +86）或电子邮箱；只有承办单位的工作人员能看到")


class CodeRequestSerializer(ContactFields):
    """获取验证码：验证码发到所填的手机或邮箱，10 分钟内有效。"""


class SubmissionSerializer(ContactFields):
    """提交意见：unit（给单位的意见箱）和 item（对某一公开事项）二者给一个。"""

    unit = StrictIdField(required=False, help_text="接收意见的单位 id（任一文字下的 id 均可）")
    item = StrictIdField(required=False, help_text="所评论的公开事项 id（任一文字下的 id 均可）；事项须在征求意见期内")
    subject = StrictCharField(max_length=60, required=False, allow_blank=True, help_text="标题（可不填）")
    name = StrictCharField(
        max_length=40, required=False, allow_blank=True, help_text="姓名（可不填）；只有承办单位的工作人员能看到，从不公开"
    )
    code = StrictCharField(
        max_length=20, required=False, allow_blank=True, help_text="发到联系方式的验证码；带党员访问令牌时不需要"
    )

    def get_fields(self):
        fields = super().get_fields()
        # The length limit is a setting: read when the form is made, so the schema says it too.
        fields["body"] = StrictCharField(
            max_length=app_settings.SUNSHINE_OPINION_MAX_LENGTH, help_text="意见内容", trim_whitespace=True,
        )
        fields["contact_kind"].required = fields["contact"].required = False
        return fields


class TrackingSerializer(OpinionInput):
    """凭查询码查询：查询码放在请求正文里，不要放进网址。"""

    tracking_code = StrictCharField(max_length=40, help_text="受理时给出的查询码（10 位，不分大小写，可带空格或连字符）")


class RatingSerializer(TrackingSerializer):
    """评价答复。"""

    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, help_text="satisfied 满意，basic 基本满意，unsatisfied 不满意")


class SendBackSerializer(TrackingSerializer):
    """发回重办：评价为“不满意”后，可说明理由发回一次。"""

    reason = StrictCharField(max_length=500, help_text="发回重办的理由")


class MineParams(filters.LocaleParams):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20, help_text="每页条数")
    offset = serializers.IntegerField(min_value=0, max_value=filters.MAX_OFFSET, default=0, help_text="跳过的条数")


class InputSchema(OpenApiSerializerExtension):
    """The schema says what the fields take, so that a request it calls well formed is one the
    API accepts: required text has more than spaces, no text has NUL characters, a contact
    goes with its kind (a mobile number with ``mobile``, an address with ``email``), and a
    submission names exactly one of a unit and an item."""

    target_class = OpinionInput
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        required = set(schema.get("required", []))
        for name, field in schema["properties"].items():
            if field.get("type") == "string" and "pattern" not in field and "enum" not in field:
                field["pattern"] = TEXT_PATTERN if name in required else NO_NUL_PATTERN
        if isinstance(self.target, ContactFields):
            schema["anyOf" if isinstance(self.target, SubmissionSerializer) else "oneOf"] = CONTACT_FORMS
        if isinstance(self.target, SubmissionSerializer):
            schema["allOf"] = [{"oneOf": [{"required": ["unit"]}, {"required": ["item"]}]}]
        return schema


def validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in serializer.errors.items()}
        raise ApiError("invalid_parameter", "参数有误：" + "；".join(errors), errors=errors)
    return serializer.validated_data


# -- output -----------------------------------------------------------------------------------


StateChoice = labelled(State)
ModerationChoice = labelled(Moderation)
HiddenReasonChoice = labelled(HiddenReason)
ChannelChoice = labelled(Channel)
OutcomeChoice = labelled(Outcome)
SatisfactionChoice = labelled(Satisfaction)
EventKindChoice = labelled(EventKind)


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class TimelineStepSerializer(serializers.Serializer):
    kind = EventKindChoice(help_text="办理环节")
    at = serializers.DateTimeField(help_text="时间")
    unit = serializers.CharField(allow_null=True, help_text="交办、转办到的单位")
    note = serializers.CharField(allow_null=True, help_text="说明：受理渠道、评价或发回重办的理由（其他环节为 null）")


class AnswerSerializer(serializers.Serializer):
    body = serializers.CharField(help_text="答复内容（已经承办单位领导小组审核）")
    outcome = OutcomeChoice(help_text="答复结果")
    answered_at = serializers.DateTimeField(help_text="答复时间")


class TrackedOpinionSerializer(serializers.Serializer):
    """An opinion as its author sees it: their own text, where it stands, the approved answer."""

    number = serializers.CharField(help_text="受理编号")
    state = StateChoice(help_text="办理状态")
    moderation = ModerationChoice(help_text="审查：公开后内容（不含姓名、联系方式）在意见台帐中公开")
    hidden_reason = HiddenReasonChoice(allow_null=True, help_text="不予公开的原因")
    members_only = serializers.BooleanField(help_text="仅党内：从不公开")
    channel = ChannelChoice(help_text="来源渠道")
    received_on = serializers.DateField(help_text="收到日期")
    subject = serializers.CharField(help_text="标题（提交人所写）")
    body = serializers.CharField(help_text="意见内容（提交人所写，原样）")
    unit = PlaceSerializer(help_text="承办单位")
    item = PlaceSerializer(allow_null=True, help_text="所评论的公开事项（给单位意见箱的为 null）")
    deadline = serializers.DateField(allow_null=True, help_text="办理期限")
    overdue = serializers.BooleanField(help_text="已超过办理期限仍未答复")
    timeline = TimelineStepSerializer(many=True, help_text="办理过程（公开的环节）")
    answer = AnswerSerializer(allow_null=True, help_text="审核通过的答复；尚未答复为 null")
    satisfaction = SatisfactionChoice(allow_null=True, help_text="提交人的评价")
    returned_count = serializers.IntegerField(help_text="发回重办次数")
    may_rate = serializers.BooleanField(help_text="现在可以评价答复")
    may_send_back = serializers.BooleanField(help_text="现在可以发回重办（评价为不满意后一次）")


class SubmittedSerializer(serializers.Serializer):
    number = serializers.CharField(help_text="受理编号")
    tracking_code = serializers.CharField(help_text="查询码：只显示这一次，请提交人妥善保存，凭它查询办理情况、评价答复")
    state = StateChoice(help_text="办理状态")
    members_only = serializers.BooleanField(help_text="仅党内：从不公开")
    message = serializers.CharField(help_text="给提交人的说明")


class CodeSentSerializer(serializers.Serializer):
    sent_to = serializers.CharField(help_text="验证码发往的联系方式（部分隐去）")
    expires_in_minutes = serializers.IntegerField(help_text="验证码的有效分钟数")


class MineListSerializer(serializers.Serializer):
    total_count = serializers.IntegerField(help_text="总数")
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()
    opinions = TrackedOpinionSerializer(many=True, help_text="本人提交的意见，含仅党内的，最新的在前")


def masked(kind, contact):
    """138****0001, z***@example.cn: enough for the resident to recognise, not to read off a screen."""
    if kind == ContactKind.MOBILE:
        return f"{contact[:3]}****{contact[-4:]}"
    local, _, domain = contact.partition("@")
    return f"{local[:1]}***@{domain}"


def in_locale(page, language_code):
    """The page's counterpart in the requested script (units and items exist in both)."""
    if page is None:
        return None
    return (
        type(page).objects.filter(translation_key=page.translation_key, locale__language_code=language_code).live().first() or page
    )


def place(page, language_code):
    page = in_locale(page, language_code)
    return None if page is None else {"id": page.pk, "name": page.title}


def tracked(opinion, language_code):
    """The author's view of ``opinion`` (events and answers prefetched or read here)."""
    events = [event for event in opinion.events.all() if event.kind in PUBLIC_EVENTS]
    events.sort(key=lambda event: (event.at, event.pk))
    approved = [answer for answer in opinion.answers.all() if answer.status == AnswerStatus.APPROVED]
    approved.sort(key=lambda answer: (answer.decided_at, answer.pk), reverse=True)
    answer = approved[0] if approved and opinion.state in State.answered() else None
    return {
        "number": opinion.number,
        "state": opinion.state,
        "moderation": opinion.moderation,
        "hidden_reason": opinion.hidden_reason or None,
        "members_only": opinion.members_only or not opinion.item_public,
        "channel": opinion.channel,
        "received_on": opinion.received_on,
        "subject": opinion.subject,
        "body": opinion.body,
        "unit": place(opinion.unit, language_code),
        "item": place(opinion.item, language_code),
        "deadline": opinion.deadline,
        "overdue": opinion.is_overdue,
        "timeline": [
            {
                "kind": event.kind,
                "at": event.at,
                "unit": in_script(event.to_unit.title) if event.to_unit_id and event.to_unit else None,
                "note": in_script(event.note) if event.kind in NOTED_EVENTS and event.note else None,
            }
            for event in events
        ],
        "answer": (
            {"body": in_script(answer.body), "outcome": answer.outcome, "answered_at": answer.decided_at} if answer else None
        ),
        "satisfaction": opinion.satisfaction or None,
        "returned_count": opinion.returned_count,
        "may_rate": opinion.may_be_rated,
        "may_send_back": opinion.may_be_sent_back,
    }


def with_steps(queryset):
    return queryset.select_related("unit", "item").prefetch_related("events__to_unit", "answers")


# -- views ------------------------------------------------------------------------------------

COMMON_ERRORS = {
    400: "请求有误（code: invalid_parameter 字段不合要求，errors 逐项说明；unknown_parameter；parse_error 不是 JSON）",
    401: "访问令牌无效或已过期（code: invalid_token）",
    429: "请求过于频繁（code: throttled，Retry-After 头给出等待秒数；rate_limited：每小时的次数已用完）",
}


def documented(described):
    """The error answers of an endpoint: the common ones and ``described`` ({status: what it means})."""
    return {
        status_code: OpenApiResponse(ErrorSerializer, description=text)
        for status_code, text in {**COMMON_ERRORS, **described}.items()
    }


class OpinionApiView(ApiView):
    """JSON in (a body, never form data), JSON out, nothing cached: the answers are one person's."""

    parser_classes = [JSONParser]
    throttle_classes = [ClientRateThrottle, OpinionWriteThrottle]
    http_method_names = ["post", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    def language_code(self, request):
        return filters.parse(filters.LocaleParams, request)["locale"]

    def opinion_by_code(self, request, code):
        """The opinion whose 查询码 this is (``intake.find_by_tracking_code``: wrong codes counted
        per address; a members-only one only for its author's or its readers' tokens)."""
        try:
            return intake.find_by_tracking_code(code, request.META.get("REMOTE_ADDR", ""), request.user)
        except intake.IntakeError as error:
            if error.code == "rate_limited":
                raise ApiError("rate_limited", error.message, status.HTTP_429_TOO_MANY_REQUESTS) from None
            raise not_found("查询码不正确，没有找到该意见。", "opinion_not_found") from None

    def tracked_response(self, opinion, language_code, status_code=status.HTTP_200_OK):
        opinion = with_steps(Opinion.objects.filter(pk=opinion.pk)).get()
        return Response(TrackedOpinionSerializer(tracked(opinion, language_code)).data, status=status_code)


@extend_schema_view(post=extend_schema(
    operation_id="opinion_codes_create",
    summary="获取验证码",
    description=(
        "提交意见前，把一次性验证码发到提交人的手机或电子邮箱（10 分钟内有效，输错 5 次作废）。"
        "同一联系方式每小时最多 5 次，同一地址每小时最多 20 次。带党员访问令牌提交意见时不需要验证码。"
    ),
    parameters=[filters.LocaleParams],
    request=CodeRequestSerializer,
    responses={
        202: OpenApiResponse(CodeSentSerializer, description="已发送"),
        **documented({503: "验证码发送失败（code: send_failed），请稍后再试或换一种联系方式"}),
    },
    examples=[OpenApiExample("手机", value={"contact_kind": "mobile", "contact": "13800000001"}, request_only=True)],
    tags=["opinions"],
))
class CodeRequestView(OpinionApiView):
    def post(self, request):
        self.language_code(request)
        data = validated(CodeRequestSerializer, request)
        try:
            contact = intake.request_code(data["contact_kind"], data["contact"], client_address(request))
        except intake.IntakeError as error:
            raise intake_error(error) from None
        body = {"sent_to": masked(data["contact_kind"], contact), "expires_in_minutes": app_settings.SUNSHINE_OPINION_CODE_MINUTES}
        return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema_view(post=extend_schema(
    operation_id="opinion_submissions_create",
    summary="提交意见",
    description=(
        "对征求意见期内的公开事项（item）或给单位的意见箱（unit）提交意见。居民须填联系方式和发到该联系方式的验证码；"
        "带党员访问令牌时不需要验证码，还可以对本人可见的党内事项提交（这类意见仅党内，从不公开）。"
        "成功后返回受理编号和查询码，查询码只显示这一次。意见经审查后公开（只公开内容，从不公开姓名和联系方式）。"
    ),
    parameters=[filters.LocaleParams],
    request=SubmissionSerializer,
    responses={
        201: OpenApiResponse(SubmittedSerializer, description="已受理"),
        **documented({
            403: "不能提交（code: verification_required 未填联系方式或验证码；wrong_code 验证码不正确；"
                   "code_expired 验证码已失效；closed 该事项的意见征集已经结束）",
            404: "没有该单位或事项，或您无权对其提交意见（code: unknown_unit、not_found）",
        }),
    },
    examples=[OpenApiExample("对事项提交", request_only=True, value={
        "item": 123, "body": "建议市场改造时增加无障碍通道。", "contact_kind": "mobile", "contact": "13800000001", "code": "123456",
    })],
    tags=["opinions"],
))
class SubmissionView(OpinionApiView):
    def post(self, request):
        language_code = self.language_code(request)
        data = validated(SubmissionSerializer, request)
        user = request.user if request.user.is_authenticated else None
        try:
            unit, item = self.target(data, user)
            kind, contact = self.contact(data)
            if user is None and not (kind and contact):
                raise intake.IntakeError(
                    "verification_required", "请填写联系方式和发到该联系方式的验证码（党员登录后无需验证码）。", "contact"
                )
            opinion, tracking_code = intake.submit(
                body=data["body"], subject=data.get("subject", ""), unit=unit, item=item, name=data.get("name", ""),
                contact_kind=kind, contact=contact, code=data.get("code", ""), user=user, address=client_address(request),
                script=language_code,
            )
        except intake.IntakeError as error:
            raise intake_error(error) from None
        body = {
            "number": opinion.number,
            "tracking_code": tracking_code,
            "state": opinion.state,
            "members_only": opinion.members_only,
            "message": in_script("意见已受理。请保存受理编号和查询码，凭查询码查询办理情况和答复。"),
        }
        return Response(SubmittedSerializer(body).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def target(data, user):
        """``(unit, item)``: exactly one was given; one the reader cannot see is unknown (404)."""
        if ("unit" in data) == ("item" in data):
            message = "请在 unit（单位）和 item（公开事项）中给出一个。"
            raise ApiError("invalid_parameter", message, errors={"unit": [message], "item": [message]})
        if "unit" in data:
            unit = visible_pages(UnitPage.objects.filter(pk=data["unit"]), user).first()
            if unit is None:
                raise intake.IntakeError("unknown_unit", "请选择接收意见的单位。", "unit")
            return unit, None
        item = DisclosureItemPage.objects.filter(pk=data["item"]).first()
        if item is None:
            raise intake.IntakeError("not_found", "该公开事项不存在或不接受意见。", "item")
        return None, item

    @staticmethod
    def contact(data):
        """The contact as given, checked whoever sends it (a member's is not used, but a wrong one is still wrong)."""
        kind, contact = data.get("contact_kind", ""), data.get("contact", "")
        if contact and kind:
            intake.normalise_contact(kind, contact)
        elif contact:
            if not any(re.match(pattern, contact) for pattern in (MOBILE_PATTERN, EMAIL_PATTERN)):
                raise intake.IntakeError("invalid_contact", "请填写正确的11位手机号码或电子邮箱地址。", "contact")
        return kind, contact


@extend_schema_view(post=extend_schema(
    operation_id="opinion_tracking_retrieve",
    summary="凭查询码查询意见",
    description=(
        "提交人凭查询码查看本人意见的办理状态、办理过程、审核通过的答复，以及现在能否评价、能否发回重办。"
        "查询码放在请求正文里，不要放进网址。仅党内的意见须同时带上本人（或能查看该事项的党员）的访问令牌。"
        "答复中不含任何人的姓名和联系方式。"
    ),
    parameters=[filters.LocaleParams],
    request=TrackingSerializer,
    responses={
        200: TrackedOpinionSerializer,
        **documented({404: "查询码不正确，或该意见仅党内、您无权查看（code: opinion_not_found）"}),
    },
    tags=["opinions"],
))
class TrackingView(OpinionApiView):
    def post(self, request):
        language_code = self.language_code(request)
        data = validated(TrackingSerializer, request)
        return self.tracked_response(self.opinion_by_code(request, data["tracking_code"]), language_code)


@extend_schema_view(post=extend_schema(
    operation_id="opinion_tracking_rating_create",
    summary="评价答复",
    description="答复公开后，提交人凭查询码评价一次：满意、基本满意或不满意。返回评价后的意见（与查询的结果相同）。",
    parameters=[filters.LocaleParams],
    request=RatingSerializer,
    responses={
        200: TrackedOpinionSerializer,
        **documented({
            404: "查询码不正确（code: opinion_not_found）",
            409: "现在不能评价：尚未答复或已经评价过（code: rating_not_allowed）",
        }),
    },
    tags=["opinions"],
))
class TrackedStepView(OpinionApiView):
    """A step the holder of the 查询码 takes (``step(opinion, data)``), refused with ``refusal`` (409)."""

    serializer_class = None
    refusal = ""

    def step(self, opinion, data):
        raise NotImplementedError

    def post(self, request):
        language_code = self.language_code(request)
        data = validated(self.serializer_class, request)
        opinion = self.opinion_by_code(request, data["tracking_code"])
        try:
            self.step(opinion, data)
        except handling.HandlingError as error:
            raise ApiError(self.refusal, str(error), status.HTTP_409_CONFLICT) from None
        return self.tracked_response(opinion, language_code)


class RatingView(TrackedStepView):
    serializer_class, refusal = RatingSerializer, "rating_not_allowed"

    def step(self, opinion, data):
        handling.rate(opinion, data["satisfaction"])


@extend_schema_view(post=extend_schema(
    operation_id="opinion_tracking_send_back_create",
    summary="发回重办",
    description="评价为“不满意”后，提交人可说明理由，把答复发回承办单位重新办理，每件意见一次。返回发回后的意见。",
    parameters=[filters.LocaleParams],
    request=SendBackSerializer,
    responses={
        200: TrackedOpinionSerializer,
        **documented({
            404: "查询码不正确（code: opinion_not_found）",
            409: "现在不能发回重办：未评价为不满意，或已经发回过一次（code: send_back_not_allowed）",
        }),
    },
    tags=["opinions"],
))
class SendBackView(TrackedStepView):
    serializer_class, refusal = SendBackSerializer, "send_back_not_allowed"

    def step(self, opinion, data):
        handling.send_back(opinion, data["reason"])


@extend_schema_view(get=extend_schema(
    operation_id="opinion_mine_list",
    summary="我提交的意见",
    description="党员凭访问令牌列出本人通过网站或应用提交的意见，含仅党内的，最新的在前；每条与凭查询码查询的结果相同。",
    parameters=[MineParams],
    responses={
        200: MineListSerializer,
        **documented({401: "未带访问令牌（code: not_authenticated）或令牌无效（code: invalid_token）"}),
    },
    tags=["opinions"],
))
class MineView(OpinionApiView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ClientRateThrottle]
    http_method_names = ["get", "head", "options"]

    def get(self, request):
        params = filters.parse(MineParams, request)
        opinions = with_steps(Opinion.objects.filter(author=request.user).order_by("-created_at", "-pk"))
        offset, limit = params["offset"], params["limit"]
        page = opinions[offset:offset + limit]
        body = {
            "total_count": opinions.count(),
            "limit": limit,
            "offset": offset,
            "opinions": [tracked(opinion, params["locale"]) for opinion in page],
        }
        return Response(MineListSerializer(body).data)
