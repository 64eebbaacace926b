"""A small county with people and opinions, for the participation tests."""

import re
from types import SimpleNamespace

from django.test import override_settings

from disclosure_pages.choices import Scope, Stage
from participation import intake
from participation.senders import OutboxSender
from tests.factories import build_tree, built_once, d, fresh, make_item, make_member, make_user  # noqa: F401 (built_once, fresh: for conftest)

OUTBOX_SENDERS = {
    "email": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
    "mobile": {"CLASS": "participation.senders.OutboxSender", "OPTIONS": {}},
}


def outbox_senders():
    """Codes go to ``OutboxSender.outbox`` (emptied here) instead of the console or a gateway."""
    OutboxSender.outbox.clear()
    return override_settings(SUNSHINE_PARTICIPATION_SENDERS=OUTBOX_SENDERS)


def last_code(contact):
    for sent_to, message in reversed(OutboxSender.outbox):
        if sent_to == contact:
            return re.search(r"\d{6}", message.text).group()
    raise AssertionError(f"no code sent to {contact}")


def build_people():
    tree = build_tree()
    future = d("2099-12-31")
    people = SimpleNamespace(
        officer=make_user("cgz_officer", tree.township.officers_group, email="officer@example.cn"),
        officer2=make_user("cgz_officer2", tree.township.officers_group),
        leader=make_user("cgz_leader", tree.township.leading_group, email="leader@example.cn"),
        leader2=make_user("cgz_leader2", tree.township.leading_group),
        other_officer=make_user("sqz_officer", tree.township2.officers_group),
        county_officer=make_user("qx_officer", tree.county.officers_group),
        county_leader=make_user("qx_leader", tree.county.leading_group),
        village_officer=make_user("dgc_officer", tree.village1.officers_group),
        member=make_member(tree.township, "cgz_member"),
        other_member=make_member(tree.township2, "sqz_member"),
    )
    tree.pre_item = make_item(tree.township, "关于城关镇集贸市场改造方案的预公开", stage=Stage.PRE_DISCLOSURE, comment_deadline=future)
    tree.members_item = make_item(
        tree.township, "关于发展党员工作的意见征集（党内）", scope=Scope.UNIT_MEMBERS, stage=Stage.PRE_DISCLOSURE, comment_deadline=future
    )
    tree.plain_item = make_item(tree.township, "城关镇党委2024年工作要点")
    tree.people = people
    return tree


def resident_opinion(item=None, unit=None, body="建议市场改造时增加无障碍通道。", contact="13800000001", **fields):
    """An opinion sent from the web by a resident who confirmed the code."""
    with outbox_senders():
        intake.request_code("mobile", contact, "10.0.0.1")
        return intake.submit(
            body=body, item=item, unit=unit, contact_kind="mobile", contact=contact, code=last_code(contact),
            address="10.0.0.1", **fields,
        )
