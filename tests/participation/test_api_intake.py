"""The opinion API's way in and back: code → submission → tracking → rating → send back, every
refusal as JSON, members-only items by token, no contact data in any answer, the throttle."""

import json

import pytest
import yaml
from django.test import Client, override_settings

from api.models import MemberToken
from participation import handling
from participation.choices import Outcome
from participation.models import Opinion, VerificationCode
from participation.senders import OutboxSender

from .helpers import last_code, outbox_senders

pytestmark = pytest.mark.django_db

CODES = "/api/v2/opinions/codes/"
SUBMISSIONS = "/api/v2/opinions/submissions/"
TRACKING = "/api/v2/opinions/tracking/"
RATING = "/api/v2/opinions/tracking/rating/"
SEND_BACK = "/api/v2/opinions/tracking/send-back/"
MINE = "/api/v2/opinions/mine/"
MOBILE = "13912345678"
NAME = "王秀英"


@pytest.fixture
def county(county):
    with outbox_senders(), override_settings(SUNSHINE_OPINION_API_RATE=""):
        yield county


def post(path, data, token=None, address="10.1.1.1", raw=None, content_type="application/json", **query):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if query:
        path += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    body = raw if raw is not None else json.dumps(data, ensure_ascii=False)
    return Client(REMOTE_ADDR=address).post(path, body, content_type=content_type, headers=headers)


def token_of(user):
    return MemberToken.issue(user)[1]


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code, body
    assert body["message"]
    if field:
        assert field in body["errors"], body
    return body


def resident_submits(county, item=None, unit=None, contact=MOBILE, address="10.1.1.1", **fields):
    sent = post(CODES, {"contact_kind": "mobile", "contact": contact}, address=address)
    assert sent.status_code == 202, sent.content.decode()
    target = {"item": item.pk} if item is not None else {"unit": unit.pk}
    return post(SUBMISSIONS, {
        **target, "body": "建议市场改造时增加无障碍通道。", "subject": "无障碍通道", "name": NAME,
        "contact_kind": "mobile", "contact": contact, "code": last_code(contact), **fields,
    }, address=address)


def answer_and_approve(county, opinion, outcome=Outcome.ADOPTED, body="采纳。改造方案已增加两处无障碍通道。"):
    people = county.people
    handling.publish(opinion, people.officer)
    handling.assign(opinion, people.officer, people.officer2)
    handling.start(opinion, people.officer2)
    answer = handling.submit_answer(opinion, people.officer2, body, outcome)
    handling.approve_answer(answer, people.leader)


def test_the_whole_way_code_submission_tracking_rating_send_back(county):
    sent = post(CODES, {"contact_kind": "mobile", "contact": "139-1234-5678"})
    assert sent.status_code == 202
    assert sent.json() == {"sent_to": "139****5678", "expires_in_minutes": 10}
    assert OutboxSender.outbox[-1][0] == MOBILE and sent["Cache-Control"] == "no-store"

    created = post(SUBMISSIONS, {
        "item": county.pre_item.pk, "body": "建议市场改造时增加无障碍通道。", "name": NAME,
        "contact_kind": "mobile", "contact": MOBILE, "code": last_code(MOBILE),
    })
    assert created.status_code == 201, created.content.decode()
    receipt = created.json()
    opinion = Opinion.objects.get(number=receipt["number"])
    assert receipt["state"] == {"value": "received", "label": "已受理"} and not receipt["members_only"]
    assert opinion.contact == MOBILE and opinion.author_name == NAME and opinion.item == county.pre_item

    tracked = post(TRACKING, {"tracking_code": receipt["tracking_code"].lower()}).json()
    assert tracked["number"] == receipt["number"] and tracked["body"] == "建议市场改造时增加无障碍通道。"
    assert tracked["item"] == {"id": county.pre_item.pk, "name": county.pre_item.title}
    assert tracked["moderation"]["value"] == "pending" and tracked["answer"] is None
    assert [step["kind"]["value"] for step in tracked["timeline"]] == ["received"]
    assert not tracked["may_rate"] and not tracked["may_send_back"]
    assert_error(post(RATING, {"tracking_code": receipt["tracking_code"], "satisfaction": "satisfied"}), 409, "rating_not_allowed")

    answer_and_approve(county, opinion)
    tracked = post(TRACKING, {"tracking_code": receipt["tracking_code"]}).json()
    assert tracked["state"]["value"] == "answered" and tracked["may_rate"]
    assert tracked["answer"]["body"] == "采纳。改造方案已增加两处无障碍通道。" and tracked["answer"]["outcome"]["label"] == "采纳"
    assert [step["kind"]["value"] for step in tracked["timeline"]] == ["received", "assigned", "started", "answered"]
    assert_error(post(SEND_BACK, {"tracking_code": receipt["tracking_code"], "reason": "没有说明何时施工。"}), 409, "send_back_not_allowed")

    rated = post(RATING, {"tracking_code": receipt["tracking_code"], "satisfaction": "unsatisfied"})
    assert rated.status_code == 200
    assert rated.json()["satisfaction"]["value"] == "unsatisfied" and rated.json()["may_send_back"]
    assert_error(post(RATING, {"tracking_code": receipt["tracking_code"], "satisfaction": "satisfied"}), 409, "rating_not_allowed")

    sent_back = post(SEND_BACK, {"tracking_code": receipt["tracking_code"], "reason": "没有说明何时施工。"}).json()
    assert sent_back["state"]["value"] == "in_progress" and sent_back["returned_count"] == 1
    assert sent_back["timeline"][-1]["note"] == "没有说明何时施工。" and not sent_back["may_send_back"]
    opinion.refresh_from_db()
    assert opinion.returned_count == 1


def test_the_answer_in_traditional_script(county):
    receipt = resident_submits(county, item=county.pre_item).json()
    answer_and_approve(county, Opinion.objects.get(number=receipt["number"]), body="采纳。将在发展规划中增加无障碍通道。")
    tracked = post(TRACKING, {"tracking_code": receipt["tracking_code"]}, locale="zh-hant").json()
    assert tracked["answer"]["body"] == "採納。將在發展規劃中增加無障礙通道。"
    assert tracked["body"] == "建议市场改造时增加无障碍通道。"  # the author's own text, as written


def test_no_answer_carries_a_name_or_a_contact(county):
    people = county.people
    created = resident_submits(county, item=county.pre_item, contact="13900000077")
    opinion = Opinion.objects.get(number=created.json()["number"])
    answer_and_approve(county, opinion)
    token = token_of(people.member)
    member_made = post(SUBMISSIONS, {"unit": county.township.pk, "body": "党员的意见", "name": NAME}, token=token)
    code = created.json()["tracking_code"]
    answers = [
        created,
        post(TRACKING, {"tracking_code": code}),
        post(RATING, {"tracking_code": code, "satisfaction": "unsatisfied"}),
        post(SEND_BACK, {"tracking_code": code, "reason": "请说明施工时间"}),
        member_made,
        post(TRACKING, {"tracking_code": member_made.json()["tracking_code"]}, token=token),
        Client().get(MINE, headers={"Authorization": f"Bearer {token}"}),
    ]
    secrets = ["13900000077", "139****0077", NAME, people.member.username, people.officer2.username, "officer@example.cn"]
    for response in answers:
        assert response.status_code in (200, 201), response.content.decode()
        text = response.content.decode()
        for secret in secrets:
            assert secret not in text, (secret, text)
        assert "contact" not in response.json() and "author_name" not in text


def test_a_member_needs_no_code_and_gets_no_code(county):
    token = token_of(county.people.member)
    created = post(SUBMISSIONS, {"item": county.pre_item.pk, "body": "党员的意见：增加停车位。"}, token=token)
    assert created.status_code == 201, created.content.decode()
    assert OutboxSender.outbox == [] and not VerificationCode.objects.exists()
    opinion = Opinion.objects.get(number=created.json()["number"])
    assert opinion.author == county.people.member and not opinion.members_only
    # A code sent along is not asked for either.
    assert post(SUBMISSIONS, {"unit": county.township.pk, "body": "又一条", "code": "000000"}, token=token).status_code == 201


def test_members_only_item_takes_opinions_from_members_within_its_scope(county):
    people = county.people
    item = county.members_item
    created = post(SUBMISSIONS, {"item": item.pk, "body": "建议公开发展对象的培养考察情况。"}, token=token_of(people.member))
    assert created.status_code == 201, created.content.decode()
    assert created.json()["members_only"] is True
    opinion = Opinion.objects.get(number=created.json()["number"])
    assert opinion.members_only and not Opinion.objects.public().filter(pk=opinion.pk).exists()

    other_member = post(SUBMISSIONS, {"item": item.pk, "body": "外单位党员"}, token=token_of(people.other_member))
    assert_error(other_member, 404, "not_found", "item")
    sent = post(CODES, {"contact_kind": "mobile", "contact": MOBILE})
    assert sent.status_code == 202
    anonymous = post(SUBMISSIONS, {"item": item.pk, "body": "群众", "contact_kind": "mobile", "contact": MOBILE,
                                   "code": last_code(MOBILE)})
    assert_error(anonymous, 404, "not_found", "item")
    assert Opinion.objects.count() == 1


def test_a_members_only_opinion_is_tracked_only_with_a_token_that_may_read_it(county):
    people = county.people
    created = post(SUBMISSIONS, {"item": county.members_item.pk, "body": "党内意见"}, token=token_of(people.member)).json()
    code = {"tracking_code": created["tracking_code"]}
    assert_error(post(TRACKING, code), 404, "opinion_not_found")
    assert_error(post(TRACKING, code, token=token_of(people.other_member)), 404, "opinion_not_found")
    assert_error(post(TRACKING, code, token=token_of(people.other_officer)), 404, "opinion_not_found")
    assert Client().get(MINE, headers={"Authorization": f"Bearer {token_of(people.other_officer)}"}).json()["total_count"] == 0
    assert_error(post(RATING, {**code, "satisfaction": "satisfied"}), 404, "opinion_not_found")
    mine = post(TRACKING, code, token=token_of(people.member))
    assert mine.status_code == 200 and mine.json()["members_only"] is True


def test_mine_lists_a_members_own_opinions_members_only_ones_included(county):
    people = county.people
    token = token_of(people.member)
    post(SUBMISSIONS, {"item": county.members_item.pk, "body": "党内意见"}, token=token)
    post(SUBMISSIONS, {"unit": county.township.pk, "body": "意见箱"}, token=token)
    post(SUBMISSIONS, {"unit": county.township2.pk, "body": "别人的"}, token=token_of(people.other_member))
    resident_submits(county, item=county.pre_item)
    listed = Client().get(MINE, headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and listed["Cache-Control"] == "no-store"
    assert listed.json()["total_count"] == 2
    assert [opinion["body"] for opinion in listed.json()["opinions"]] == ["意见箱", "党内意见"]
    assert [opinion["members_only"] for opinion in listed.json()["opinions"]] == [False, True]
    assert Client().get(MINE, {"limit": 1, "offset": 1}, headers={"Authorization": f"Bearer {token}"}).json()["opinions"][0]["body"] == "党内意见"
    assert_error(Client().get(MINE), 401, "not_authenticated")
    assert_error(Client().get(MINE, headers={"Authorization": "Bearer nonsense"}), 401, "invalid_token")


def test_every_refusal_is_json_with_its_code(county):
    item, unit = county.pre_item, county.township
    good = {"item": item.pk, "body": "意见", "contact_kind": "mobile", "contact": MOBILE}
    # The request itself.
    assert_error(post(SUBMISSIONS, {"item": item.pk}), 400, "invalid_parameter", "body")
    assert_error(post(SUBMISSIONS, {**good, "body": "   "}), 400, "invalid_parameter", "body")
    assert_error(post(SUBMISSIONS, {**good, "body": "长" * 2001}), 400, "invalid_parameter", "body")
    assert_error(post(SUBMISSIONS, {**good, "body": 12}), 400, "invalid_parameter", "body")
    assert_error(post(SUBMISSIONS, {**good, "item": str(item.pk)}), 400, "invalid_parameter", "item")
    assert_error(post(SUBMISSIONS, {**good, "unit": unit.pk}), 400, "invalid_parameter", "unit")
    assert_error(post(SUBMISSIONS, {"body": "意见"}), 400, "invalid_parameter", "unit")
    assert_error(post(SUBMISSIONS, None, raw="{not json"), 400, "parse_error")
    assert_error(post(SUBMISSIONS, None, raw="body=x", content_type="application/x-www-form-urlencoded"), 415, "unsupported_media_type")
    assert_error(post(SUBMISSIONS, good, foo="1"), 400, "unknown_parameter")
    assert_error(post(SUBMISSIONS, good, locale="en"), 400, "invalid_parameter")
    assert_error(Client().get(SUBMISSIONS), 405, "method_not_allowed")
    assert_error(post(SUBMISSIONS, good, token="nonsense"), 401, "invalid_token")
    # The contact and its code.
    assert_error(post(CODES, {"contact_kind": "mobile", "contact": "a@example.cn"}), 400, "invalid_contact", "contact")
    assert_error(post(CODES, {"contact_kind": "fax", "contact": MOBILE}), 400, "invalid_parameter", "contact_kind")
    assert_error(post(SUBMISSIONS, {**good, "contact_kind": "email"}), 400, "invalid_contact", "contact")
    assert_error(post(SUBMISSIONS, {**good, "contact_kind": "", "contact": "nobody"}), 400, "invalid_parameter")
    assert_error(post(SUBMISSIONS, {"item": item.pk, "body": "意见"}), 403, "verification_required", "contact")
    assert_error(post(SUBMISSIONS, {**good, "code": "123456"}), 403, "code_expired", "code")
    post(CODES, {"contact_kind": "mobile", "contact": MOBILE})
    wrong = "000000" if last_code(MOBILE) != "000000" else "111111"
    assert_error(post(SUBMISSIONS, {**good, "code": wrong}), 403, "wrong_code", "code")
    # Where it goes.
    right = {**good, "code": last_code(MOBILE)}
    assert_error(post(SUBMISSIONS, {**right, "item": county.plain_item.pk}), 403, "closed", "item")
    assert_error(post(SUBMISSIONS, {**right, "item": 99999}), 404, "not_found", "item")
    assert_error(post(SUBMISSIONS, {**{k: v for k, v in right.items() if k != "item"}, "unit": 99999}), 404, "unknown_unit", "unit")
    assert not Opinion.objects.exists()
    # Tracking.
    assert_error(post(TRACKING, {"tracking_code": "ABCDEFGHJK"}), 404, "opinion_not_found")
    assert_error(post(TRACKING, {}), 400, "invalid_parameter", "tracking_code")
    assert_error(post(RATING, {"tracking_code": "ABCDEFGHJK", "satisfaction": "great"}), 400, "invalid_parameter", "satisfaction")
    assert_error(post(SEND_BACK, {"tracking_code": "ABCDEFGHJK", "reason": "x" * 501}), 400, "invalid_parameter", "reason")
    # The tracking code goes in the body: a query parameter is refused, not read.
    assert_error(post(TRACKING, {}, tracking_code="ABCDEFGHJK"), 400, "unknown_parameter")


@override_settings(SUNSHINE_OPINION_CODES_PER_CONTACT_HOUR=1)
def test_the_hourly_limits_answer_429(county):
    assert post(CODES, {"contact_kind": "email", "contact": "a@example.cn"}).status_code == 202
    assert_error(post(CODES, {"contact_kind": "email", "contact": "A@example.cn"}, address="10.9.9.9"), 429, "rate_limited", "contact")


@override_settings(SUNSHINE_PARTICIPATION_SENDERS={
    "email": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {"fail": True}},
    "mobile": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {"fail": True}},
})
def test_a_code_that_could_not_be_sent_is_503_and_says_so(county):
    assert_error(post(CODES, {"contact_kind": "mobile", "contact": MOBILE}), 503, "send_failed", "contact")


def test_the_opinion_endpoints_have_a_stricter_throttle(county):
    with override_settings(SUNSHINE_OPINION_API_RATE="2/min"):
        assert post(TRACKING, {"tracking_code": "ABCDEFGHJK"}).status_code == 404
        assert post(CODES, {"contact_kind": "mobile", "contact": MOBILE}).status_code == 202
        refused = post(SUBMISSIONS, {"unit": county.township.pk, "body": "意见"})
        body = assert_error(refused, 429, "throttled")
        assert 0 < int(refused["Retry-After"]) <= 60 and body["retry_after"] == int(refused["Retry-After"])
        # Another address has its own budget; the API's other endpoints are not counted here.
        assert post(TRACKING, {"tracking_code": "ABCDEFGHJK"}, address="10.2.2.2").status_code == 404
        assert Client(REMOTE_ADDR="10.1.1.1").get("/api/v2/units/").status_code == 200


def test_the_schema_documents_the_opinion_endpoints_in_chinese(county):
    schema = yaml.safe_load(Client().get("/api/schema/").content)
    expected = {
        CODES: ("post", "202"), SUBMISSIONS: ("post", "201"), TRACKING: ("post", "200"),
        RATING: ("post", "200"), SEND_BACK: ("post", "200"), MINE: ("get", "200"),
    }
    for path, (method, success) in expected.items():
        operation = schema["paths"][path][method]
        assert set(schema["paths"][path]) == {method}, path
        assert success in operation["responses"] and {"400", "401", "429"} <= set(operation["responses"]), path
        assert operation["summary"] and any("\u4e00" <= ch <= "\u9fff" for ch in operation["description"]), path
    submission = schema["components"]["schemas"]["Submission"]
    assert submission["required"] == ["body"] and {"unit", "item", "contact_kind", "contact", "code"} <= set(submission["properties"])
    assert "tracking_code" in schema["components"]["schemas"]["Tracking"]["required"]
    tracked = schema["components"]["schemas"]["TrackedOpinion"]["properties"]
    assert not {"contact", "contact_kind", "author_name", "name"} & set(tracked)
    assert {"403", "404"} <= set(schema["paths"][SUBMISSIONS]["post"]["responses"])


def test_refusals_come_in_the_readers_script(county):
    body = assert_error(post(SUBMISSIONS, {"item": county.pre_item.pk, "body": "意见"}, locale="zh-hant"), 403,
                        "verification_required", "contact")
    assert body["message"].startswith("請填寫聯繫方式") and body["errors"]["contact"] == [body["message"]]
