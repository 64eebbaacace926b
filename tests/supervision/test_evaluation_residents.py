"""Residents rate a unit's public disclosure once per confirmed mobile or e-mail (participation's codes)."""

import hashlib

import pytest

from supervision.choices import VoterKind
from supervision.models import Ballot, Voter
from participation.senders import OutboxSender
from tests.participation.helpers import last_code, outbox_senders

from .evaluation_county import county, county_once, make_round, today  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("today")

MOBILE = "13800000009"


@pytest.fixture(autouse=True)
def _outbox():
    with outbox_senders():
        yield


def url(r):
    return f"/zh-hans/evaluate/{r.pk}/residents/"


def answers(r, *values):
    return {f"q{question.pk}": value for question, value in zip(r.questionnaire.questions.all(), values)}


def rate(client, r, unit, contact=MOBILE, wrong_code=False, values=(100, 60)):
    client.post(url(r), {"unit": unit.pk, "action": "code", "contact_kind": "mobile", "contact": contact, **answers(r, *values)})
    code = last_code(MOBILE)
    if wrong_code:
        code = f"{(int(code) + 1) % 10**6:06d}"
    return client.post(url(r), {
        "unit": unit.pk, "action": "submit", "contact_kind": "mobile", "contact": contact, "code": code, **answers(r, *values),
    })


def test_a_resident_confirms_a_mobile_and_rates_once(client, county):
    r = make_round(county.satisfaction, residents=True)
    response = rate(client, r, county.township)
    assert response.status_code == 302 and "感谢您的评价" in client.get(response["Location"]).content.decode()
    voter = Voter.objects.get(round=r)
    assert voter.user is None and voter.contact_hash == hashlib.sha256(MOBILE.encode()).hexdigest()
    assert Ballot.objects.get(round=r).voter_kind == VoterKind.RESIDENT
    # The same number, written another way, is the same resident: refused before a code is sent.
    sent = len(OutboxSender.outbox)
    again = client.post(url(r), {"unit": county.township.pk, "action": "code", "contact_kind": "mobile",
                                 "contact": "+86 138-0000-0009", **answers(r, 0, 0)})
    assert "您已参加本轮评议" in again.content.decode() and len(OutboxSender.outbox) == sent
    assert Ballot.objects.filter(round=r).count() == 1
    # Another unit is another vote.
    assert rate(client, r, county.township2).status_code == 302


def test_a_wrong_code_writes_nothing(client, county):
    r = make_round(county.satisfaction, residents=True)
    response = rate(client, r, county.township, wrong_code=True)
    assert "验证码不正确" in response.content.decode()
    assert not Voter.objects.exists() and not Ballot.objects.exists()


def test_requesting_a_code_keeps_the_answers(client, county):
    r = make_round(county.satisfaction, residents=True)
    page = client.post(url(r), {"unit": county.township.pk, "action": "code", "contact_kind": "mobile", "contact": MOBILE,
                                **answers(r, 100, 60)}).content.decode()
    assert "验证码已发送" in page
    first, second = r.questionnaire.questions.all()
    assert f'value="100" id="id_q{first.pk}_0" required checked' in page and f'value="60" id="id_q{second.pk}_1" required checked' in page


def test_a_bad_contact_is_refused_in_chinese(client, county):
    r = make_round(county.satisfaction, residents=True)
    page = client.post(url(r), {"unit": county.township.pk, "action": "code", "contact_kind": "mobile", "contact": "12345"}).content.decode()
    assert "请填写正确的11位手机号码" in page and not Voter.objects.exists()


def test_residents_may_not_rate_where_the_round_does_not_allow_it(client, county):
    r = make_round(county.satisfaction)
    assert client.get(url(r)).status_code == 404
    assert client.post(url(r), {"unit": county.township.pk, "action": "code", "contact_kind": "mobile", "contact": MOBILE}).status_code == 404
    assert not Voter.objects.exists()


def test_the_evaluate_page_links_to_resident_rating(client, county):
    r = make_round(county.satisfaction, residents=True)
    page = client.get("/zh-hans/evaluate/").content.decode()
    assert f'href="{url(r)}"' in page and "群众评价党务公开" in page
