"""The SMS gateway adapter (阿里云短信) against Aliyun's documented signature and a local stand-in gateway."""

import json
import smtplib
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from participation import intake
from participation.senders import AliyunSmsSender, Message, SendError, refused_for_good

pytestmark = pytest.mark.django_db

DOCUMENTED_QUERY = {
    "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25",
}


def test_the_signature_is_aliyuns_documented_one():
    # The worked example of Aliyun's SMS API documentation (access key secret "testSecret").
    assert AliyunSmsSender.signature(DOCUMENTED_QUERY, "testSecret") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


@pytest.fixture
def gateway():
    """A gateway on the loopback address that records each request and answers ``answer``."""
    state = {"requests": [], "answer": {"Code": "OK", "Message": "OK"}}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"].append({key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()})
            body = json.dumps(state["answer"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["endpoint"] = f"http://127.0.0.1:{server.server_port}/"
    yield state
    server.shutdown()


def sender(gateway, **options):
    return AliyunSmsSender(
        access_key_id="key-id", access_key_secret="secret", sign_name="阳光党务", endpoint=gateway["endpoint"],
        templates={"verification_code": "SMS_100001"}, **options,
    )


def test_a_code_reaches_the_gateway_signed(gateway):
    sender(gateway).send("13912345678", Message("", "验证码 123456", template="verification_code", params={"code": "123456"}))
    (request,) = gateway["requests"]
    assert request["PhoneNumbers"] == "13912345678" and request["TemplateCode"] == "SMS_100001"
    assert json.loads(request["TemplateParam"]) == {"code": "123456"} and request["SignName"] == "阳光党务"
    signed = dict(request)
    assert AliyunSmsSender.signature({k: v for k, v in signed.items() if k != "Signature"}, "secret") == signed["Signature"]


def test_a_refusal_or_an_unreachable_gateway_is_a_send_error(gateway):
    gateway["answer"] = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}
    with pytest.raises(SendError, match="BUSINESS_LIMIT_CONTROL") as limited:
        sender(gateway).send("13912345678", Message("", "x", template="verification_code", params={"code": "1"}))
    assert not limited.value.permanent  # flow control: a later try may pass
    gateway["answer"] = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
    with pytest.raises(SendError, match="MOBILE_NUMBER_ILLEGAL") as illegal:
        sender(gateway).send("13912345678", Message("", "x", template="verification_code", params={"code": "1"}))
    assert illegal.value.permanent
    with pytest.raises(SendError, match="unreachable"):
        AliyunSmsSender(access_key_id="k", access_key_secret="s", sign_name="x", endpoint="http://127.0.0.1:9/", timeout=2).send(
            "13912345678", Message("", "x", params={"code": "1"})
        )


def test_the_resident_is_told_in_chinese_when_the_gateway_fails(gateway):
    gateway["answer"] = {"Code": "isv.MOBILE_NUMBER_ILLEGAL"}
    senders = {"mobile": {"CLASS": "participation.senders.AliyunSmsSender", "OPTIONS": {
        "access_key_id": "k", "access_key_secret": "s", "sign_name": "阳光党务", "endpoint": gateway["endpoint"]}}}
    with override_settings(SUNSHINE_PARTICIPATION_SENDERS=senders), pytest.raises(intake.IntakeError) as refused:
        intake.request_code("mobile", "13912345678", "10.0.0.1")
    assert refused.value.code == "send_failed" and "验证码发送失败" in refused.value.message


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.cn": (550, b"5.1.1 No such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.cn": (451, b"4.2.1 Try again later")}), False),
        (smtplib.SMTPDataError(550, b"5.1.1 Mailbox unavailable"), True),  # bounced after the data
        (smtplib.SMTPDataError(554, b"5.7.1 Message refused"), False),  # the content, not the address
        (smtplib.SMTPSenderRefused(550, b"5.7.1 Not our sender", "noreply@example.cn"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
    ],
)
def test_only_a_refused_mailbox_is_a_permanent_mail_failure(error, permanent):
    assert refused_for_good(error) is permanent
