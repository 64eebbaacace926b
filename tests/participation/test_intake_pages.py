"""Opinions in on the portal (issue 17): the form on items and units, the code step without
JavaScript, the receipt shown once, tracking by 查询码, rating and sending back, and the panels
that sum up what came in. Everything is asserted as the reader sees it: the page's HTML."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Locale

from disclosure_pages.choices import Stage
from participation import handling
from participation.choices import HiddenReason, Outcome, State
from participation.models import Opinion
from participation.senders import OutboxSender
from tests.factories import edit_and_publish, make_item, reload

from .helpers import last_code, outbox_senders, resident_opinion

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
NAME = "王秀英"
BODY = "建议集贸市场改造时保留早市摊位，并增设无障碍通道。"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the wrong-code counts live in the cache
    yield
    cache.clear()


@pytest.fixture
def outbox():
    with outbox_senders():
        yield OutboxSender.outbox


def html(response):
    return response.content.decode()


def submit_url(item, script="zh-hans"):
    return f"/{script}/opinions/new/item/{item.pk}/"


def form_data(action, **fields):
    data = {"action": action, "subject": "", "body": BODY, "name": NAME, "contact_kind": "mobile", "contact": MOBILE, "code": "", "website": ""}
    data.update(fields)
    return data


def post_opinion(client, url, **fields):
    """Ask for a code, then send the opinion with it (as a resident does); returns the receipt's HTML."""
    client.post(url, form_data("code", **fields))
    response = client.post(url, form_data("submit", code=last_code(fields.get("contact", MOBILE)), **fields))
    assert response.status_code == 302, html(response)
    return html(client.get(response["Location"]))


def receipt_code(receipt_html):
    code = re.search(r'class="tracking-code">([2-9A-Z]{5}) ([2-9A-Z]{5})<', receipt_html)
    return code.group(1) + code.group(2)


def track(client, **data):
    return html(client.post("/zh-hans/opinions/track/", data))


def answer(opinion, people, outcome=Outcome.ADOPTED, body="已采纳：改造方案保留早市摊位，东门增设无障碍坡道。"):
    handling.publish(opinion, people.officer)
    handling.approve_answer(handling.submit_answer(opinion, people.officer, body, outcome), people.leader)
    return Opinion.objects.get(pk=opinion.pk)


def assert_no_contact(*pages):
    for page in pages:
        assert MOBILE not in page and "1391234" not in page and NAME not in page


# -- the whole way: form → code → receipt → tracking → rating → sending back -------------------------


def test_resident_comments_on_a_pre_disclosure_item_and_follows_it_with_the_code(county, outbox):
    client = Client()
    item_page = html(client.get(county.pre_item.url))
    assert "意见建议" in item_page and "获取验证码" in item_page and "提交意见" in item_page
    assert f'action="{submit_url(county.pre_item)}"' in item_page

    url = submit_url(county.pre_item)
    sent = html(client.post(url, form_data("code", subject="关于早市")))
    assert "验证码已发送至 139****5678，10 分钟内有效。" in sent
    assert BODY in sent and 'value="关于早市"' in sent  # what was typed is kept
    assert outbox[-1][0] == MOBILE and Opinion.objects.count() == 0

    response = client.post(url, form_data("submit", subject="关于早市", code=last_code(MOBILE)))
    assert response.status_code == 302 and response["Location"] == "/zh-hans/opinions/receipt/"
    receipt = html(client.get(response["Location"]))
    opinion = Opinion.objects.get()
    assert opinion.item == county.pre_item and opinion.body == BODY and opinion.author_name == NAME
    assert "受理编号" in receipt and opinion.number in receipt and "请抄写或截图保存查询码。" in receipt
    code = receipt_code(receipt)
    assert Opinion.by_tracking_code(code) == opinion
    assert "/zh-hans/opinions/track/" in receipt
    # Shown once: the receipt is gone on a second look, and the code was never in a URL.
    again = html(client.get("/zh-hans/opinions/receipt/"))
    assert code[:5] not in again and "回执只显示一次" in again
    assert code not in response["Location"]

    tracked = track(client, code=code.lower())
    assert opinion.number in tracked and "已受理" in tracked and BODY in tracked and "尚未答复" in tracked
    assert "评价" not in tracked.split("办理过程")[1]  # nothing to rate before the answer
    assert_no_contact(item_page, receipt, tracked)

    answer(opinion, county.people, Outcome.NOT_ADOPTED, body="早市摊位与消防通道冲突，本次改造暂不保留，理由详见方案说明。")
    tracked = track(client, code=code)
    assert "不予采纳" in tracked and "早市摊位与消防通道冲突" in tracked and "您对答复是否满意？" in tracked
    assert "发回重办的理由" not in tracked

    rated = track(client, code=code, action="rate", satisfaction="unsatisfied")
    assert "感谢您的评价。" in rated and "不满意" in rated and "发回重办的理由" in rated
    assert Opinion.objects.get().satisfaction == "unsatisfied"

    sent_back = track(client, code=code, action="send_back", reason="消防通道可以另行调整，请重新研究。")
    opinion = Opinion.objects.get()
    assert opinion.state == State.IN_PROGRESS and opinion.returned_count == 1
    assert "已发回重办，承办单位将重新办理并答复。" in sent_back and "消防通道可以另行调整" in sent_back
    assert "发回重办的理由" not in sent_back.split("办理过程")[1]  # once only
    assert_no_contact(rated, sent_back)


def test_the_tracking_code_shows_its_own_opinion_even_hidden_but_never_the_contact(county, outbox):
    opinion, code = resident_opinion(item=county.pre_item, body="含有他人住址的意见", name=NAME, contact=MOBILE)
    handling.hide(opinion, county.people.officer, HiddenReason.PERSONAL_DATA)
    other, _other_code = resident_opinion(item=county.pre_item, body="另一位居民的意见", contact="13900000002")
    tracked = track(Client(), code=code)
    assert "含有他人住址的意见" in tracked and "不予公开（含个人隐私）" in tracked
    assert "另一位居民的意见" not in tracked and other.number not in tracked
    assert_no_contact(tracked)


def test_a_wrong_tracking_code_is_refused_and_wrong_tries_are_limited_per_address(county, outbox):
    _opinion, code = resident_opinion(item=county.pre_item)
    client = Client(REMOTE_ADDR="10.9.9.9")
    assert "查询码不正确" in track(client, code="ABCDEFGHJK")
    with override_settings(SUNSHINE_OPINION_TRACK_TRIES_PER_ADDRESS_HOUR=2):
        track(client, code="ABCDEFGHJ2")
        refused = track(client, code=code)  # the right code too: the address waits
        assert "查询码错误次数过多" in refused and "尚未答复" not in refused
        assert "尚未答复" in track(Client(REMOTE_ADDR="10.9.9.10"), code=code)


def test_tracking_is_a_post_a_get_with_a_code_shows_nothing(county, outbox):
    opinion, code = resident_opinion(item=county.pre_item)
    page = html(Client().get(f"/zh-hans/opinions/track/?code={code}"))
    assert "意见查询" in page and opinion.number not in page


# -- the honeypot and errors -----------------------------------------------------------------


def test_the_honeypot_gets_a_receipt_like_anyone_and_nothing_is_sent_or_saved(county, outbox):
    client = Client()
    url = submit_url(county.pre_item)
    asked = html(client.post(url, form_data("code", website="http://spam.example")))
    assert "验证码已发送至" in asked and outbox == []
    response = client.post(url, form_data("submit", website="http://spam.example", code="123456"))
    assert response.status_code == 302
    receipt = html(client.get(response["Location"]))
    assert "您的意见已受理" in receipt and re.search(r'class="tracking-code">', receipt)
    assert Opinion.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(county):
    page = html(Client().get(county.pre_item.url))
    block = re.search(r'<div class="hp-field" aria-hidden="true">.*?</div>', page, re.S).group()
    assert 'name="website"' in block and 'tabindex="-1"' in block


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"action": "code", "contact": "1391234"}, "请填写正确的11位手机号码。"),
        ({"action": "code", "contact_kind": "email", "contact": "not-an-address"}, "请填写正确的电子邮箱地址。"),
        ({"action": "submit", "code": "000000"}, "验证码不正确。"),
        ({"action": "submit", "body": "长" * 2001, "code": "000000"}, "意见内容不能超过 2000 字。"),
        ({"action": "submit", "body": "  "}, "请填写意见内容。"),
    ],
)
def test_bad_input_gets_a_chinese_error_on_the_form_and_nothing_is_saved(county, outbox, fields, error):
    client = Client()
    url = submit_url(county.pre_item)
    client.post(url, form_data("code"))
    response = client.post(url, form_data(**fields))
    assert response.status_code == 200
    page = html(response)
    assert '<p class="field-error"' in page and error in page
    assert Opinion.objects.count() == 0


def test_a_closed_item_shows_no_form_and_refuses_an_opinion(county, outbox):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    item = edit_and_publish(county.pre_item, comment_deadline=yesterday)
    page = html(Client().get(item.url))
    assert "意见征集已于" in page and "截止" in page and "获取验证码" not in page
    refused = html(Client().post(submit_url(item), form_data("submit", code="123456")))
    assert "该事项的意见征集已经结束。" in refused and Opinion.objects.count() == 0


def test_an_item_that_takes_no_opinions_has_no_panel_and_no_submit_route(county):
    assert "获取验证码" not in html(Client().get(county.plain_item.url))
    assert Client().get(submit_url(county.plain_item)).status_code == 404
    assert Client().post(submit_url(county.plain_item), form_data("submit")).status_code == 404


def test_posting_needs_the_csrf_token(county, outbox):
    client = Client(enforce_csrf_checks=True)
    assert client.post(submit_url(county.pre_item), form_data("code")).status_code == 403
    assert outbox == []


def test_the_submit_route_shows_the_form_alone(county, outbox):
    page = html(Client().get(submit_url(county.pre_item)))
    assert "提出意见建议" in page and county.pre_item.title in page and "获取验证码" in page
    assert Client().head(submit_url(county.pre_item)).status_code == 200
    assert Client().head("/zh-hans/opinions/receipt/").status_code == 405  # looking must not spend a receipt
    assert outbox == [] and Opinion.objects.count() == 0


# -- members-only items -----------------------------------------------------------------------


def test_a_member_in_scope_writes_on_a_members_only_item_without_a_code_and_finds_it_under_my_opinions(county, outbox):
    member = county.people.member
    client = Client()
    client.force_login(member)
    page = html(client.get(county.members_item.url))
    assert "提交意见" in page and "获取验证码" not in page and 'name="contact"' not in page
    response = client.post(submit_url(county.members_item), {"action": "submit", "body": "建议发展党员公示期延长到七天。", "website": ""})
    assert response.status_code == 302
    receipt = html(client.get(response["Location"]))
    opinion = Opinion.objects.get()
    assert opinion.author == member and opinion.members_only and opinion.number in receipt and outbox == []

    mine = html(client.get("/zh-hans/opinions/track/"))
    assert "我的意见" in mine and opinion.number in mine and "党内" in mine
    detail = html(client.get(f"/zh-hans/opinions/track/?opinion={opinion.pk}"))
    assert "建议发展党员公示期延长到七天。" in detail and "党内意见，不对外公开" in detail


@pytest.mark.parametrize("who", ["anonymous", "other_member"])
def test_a_members_only_item_takes_no_opinion_from_outside_its_scope(county, outbox, who):
    client = Client()
    if who == "other_member":
        client.force_login(county.people.other_member)
    assert "提交意见" not in html(client.get(county.members_item.url))
    url = submit_url(county.members_item)
    assert client.get(url).status_code == 404
    assert client.post(url, form_data("code")).status_code == 404
    assert client.post(url, {"action": "submit", "body": "意见", "website": ""}).status_code == 404
    assert Opinion.objects.count() == 0 and outbox == []


def test_a_member_sees_only_their_own_opinions_without_a_code(county, outbox):
    theirs, _code = resident_opinion(item=county.pre_item, body="居民的意见")
    client = Client()
    client.force_login(county.people.other_member)
    assert client.get(f"/zh-hans/opinions/track/?opinion={theirs.pk}").status_code == 404
    assert client.post("/zh-hans/opinions/track/", {"opinion": theirs.pk, "action": "rate", "satisfaction": "satisfied"}).status_code == 404
    mine = html(client.get("/zh-hans/opinions/track/"))
    assert "我的意见" in mine and theirs.number not in mine and "居民的意见" not in mine
    assert "我的意见" not in html(Client().get("/zh-hans/opinions/track/"))


# -- both scripts, the unit's box ---------------------------------------------------------------


def test_the_panel_is_on_the_item_in_both_scripts_and_an_opinion_from_either_goes_to_the_same_item(county, outbox):
    variant = reload(county.pre_item).get_translation(Locale.objects.get(language_code="zh-hant"))
    assert "获取验证码" in html(Client().get(county.pre_item.url))
    page = html(Client().get(variant.url))
    assert variant.url.startswith("/zh-hant/") and f'action="{submit_url(variant, "zh-hant")}"' in page
    receipt = post_opinion(Client(), submit_url(variant, "zh-hant"))
    opinion = Opinion.objects.get()
    assert opinion.item == county.pre_item and opinion.script == "zh-hant" and opinion.number in receipt
    assert "/zh-hant/opinions/track/" in receipt


def test_the_unit_page_has_its_opinion_box_and_a_link_to_its_ledger(county, outbox):
    page = html(Client().get(county.township.url))
    url = f"/zh-hans/opinions/new/unit/{county.township.pk}/"
    assert "意见箱" in page and f'action="{url}"' in page and f"?unit={county.township.pk}" in page
    receipt = post_opinion(Client(), url, body="建议镇政府门前增设公交站。")
    opinion = Opinion.objects.get()
    assert opinion.unit == county.township and opinion.item is None and opinion.number in receipt
    assert_no_contact(page, receipt)


# -- what came in: the summary after the period, 意见采纳情况 on the decision ---------------------------


def opinions_on_pre_item(county):
    people = county.people
    adopted, _ = resident_opinion(item=county.pre_item, body="建议保留早市摊位。", name=NAME, contact=MOBILE)
    answer(adopted, people, Outcome.ADOPTED, body="已采纳，改造后保留早市摊位。")
    hidden, _ = resident_opinion(item=county.pre_item, body="含有某某电话号码的意见", contact="13900000003")
    handling.hide(hidden, people.officer, HiddenReason.PERSONAL_DATA)
    resident_opinion(item=county.pre_item, body="尚未审查的意见", contact="13900000004")
    member_opinion = Opinion.objects.create(
        received_by=county.township, unit=county.township, item=county.pre_item, body="党内意见", members_only=True,
        tracking_code_hash="x" * 64,
    )
    return adopted, member_opinion


def test_after_the_period_the_item_shows_the_note_and_what_came_in(county, outbox):
    opinions_on_pre_item(county)
    item = edit_and_publish(county.pre_item, comment_deadline=timezone.localdate() - datetime.timedelta(days=1))
    page = html(Client().get(item.url))
    assert "意见征集已于" in page and "获取验证码" not in page
    assert "共收到意见建议 <strong>3</strong> 件，其中采纳或部分采纳 <strong>1</strong> 件，尚在办理 <strong>2</strong> 件。" in page
    assert "建议保留早市摊位。" in page and "已采纳，改造后保留早市摊位。" in page
    assert "含个人隐私 1 件" in page
    assert "含有某某电话号码" not in page and "尚未审查的意见" not in page and "党内意见" not in page
    assert_no_contact(page)


def test_a_decision_shows_how_the_opinions_on_its_pre_disclosure_were_adopted(county, outbox):
    opinions_on_pre_item(county)
    decision = make_item(county.township, "关于城关镇集贸市场改造方案的决定", stage=Stage.DECISION, previous_stage=county.pre_item)
    variant = reload(decision).get_translation(Locale.objects.get(language_code="zh-hant"))
    for page in (html(Client().get(decision.url)), html(Client().get(variant.url))):
        assert "意见采纳情况" in page or "意見採納情況" in page
        assert "<strong>3</strong>" in page and "建议保留早市摊位" in page.replace("建議保留早市攤位", "建议保留早市摊位")
        assert "含有某某电话号码" not in page and "尚未审查的意见" not in page and "党内意见" not in page
        assert_no_contact(page)
    assert "意见采纳情况" not in html(Client().get(county.plain_item.url))


def test_a_members_only_opinion_is_not_tracked_by_its_code_outside_its_members(county):
    """The code alone does not take a members-only opinion outside: the same rule as the API's."""
    from participation import intake

    opinion, code = intake.submit(body="党内意见：发展对象公示期太短", item=county.members_item, user=county.people.member, address="m")
    for client in (Client(), _signed_in(county.people.other_member)):
        html = client.post("/zh-hans/opinions/track/", {"code": code}).content.decode()
        assert "查询码不正确" in html and "发展对象公示期太短" not in html
    html = _signed_in(county.people.member).post("/zh-hans/opinions/track/", {"code": code}).content.decode()
    assert "发展对象公示期太短" in html and opinion.number in html


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client
