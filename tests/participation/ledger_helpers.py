"""A crafted ledger for the ledger's tests: opinions in every state and audience, with exact figures.

March 2026 in 城关镇's section (the township, 东关村, 西关村), CalendarDay 2026-03-09 a holiday:

=====  =========  ===========  =========  =========  ==========================  ===========
 no.   unit       state        received   deadline   answered (local time)        other
=====  =========  ===========  =========  =========  ==========================  ===========
 1     township   closed       03-02 Mon  03-04      03-04 23:30 (on time)        satisfied
 2     village1   not_feas.    03-03 Tue  03-09      03-10 00:30 (late)           basic, sent back once
 3     village1   in_progress  03-04      03-16      —  (overdue on 03-20)
 4     village2   answered     03-05 Thu  03-25      03-09 10:00 (on time)        unsatisfied
 5     village2   received     03-06      —          —
 6     township   not_adopted  03-06 Fri  —          03-09 11:00
 7     township   received     03-10      —          —                            hidden: spam
 8     township   received     03-13      —          —                            not yet moderated
=====  =========  ===========  =========  =========  ==========================  ===========

Public (listed): 1–6. Counted in the figures: 1–8. Never counted: a members-only opinion, one
on an item turned members-only, a merged duplicate; outside the section's March: one received
in February, one of 石桥镇 (the county's).
Working days received → answered: 2, 4, 1, 0 → 1.8 on average.
"""

import itertools
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from participation.choices import AnswerStatus, Channel, EventKind, HiddenReason, Moderation, Outcome, Satisfaction, State
from participation.models import Answer, CalendarDay, Opinion, OpinionEvent, hash_secret

from .helpers import build_people

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONTACT = "13912345678"
AUTHOR = "王秘密"
TODAY = date(2026, 3, 20)
_numbers = itertools.count(1)


def local(day, hour, minute=0):
    return datetime(2026, day[0], day[1], hour, minute, tzinfo=SHANGHAI)


def opinion(unit, received, body, state=State.RECEIVED, answered=None, answer_outcome=Outcome.ADOPTED, **fields):
    """An opinion as the handling leaves it (written directly: the figures read the rows)."""
    n = next(_numbers)
    fields.setdefault("moderation", Moderation.PUBLISHED)
    made = Opinion.objects.create(
        tracking_code_hash=hash_secret(f"ledger-test-{n}"), received_by=unit, unit=unit, received_on=received, body=body,
        author_name=AUTHOR, contact_kind="mobile", contact=CONTACT, state=state, answered_at=answered,
        created_at=datetime.combine(received, datetime.min.time(), SHANGHAI).replace(hour=9), **fields,
    )
    OpinionEvent.objects.create(opinion=made, kind=EventKind.RECEIVED, at=made.created_at, note=f"{AUTHOR} {CONTACT}")
    if answered:
        Answer.objects.create(opinion=made, body=f"答复：{body}已研究办理。", outcome=answer_outcome, status=AnswerStatus.APPROVED,
                              submitted_at=answered, decided_at=answered)
        OpinionEvent.objects.create(opinion=made, kind=EventKind.ANSWERED, at=answered)
    return made


def build_ledger():
    county = build_people()
    CalendarDay.objects.create(date=date(2026, 3, 9), working=False, name="测试假日")
    t, v1, v2 = county.township, county.village1, county.village2
    o = SimpleNamespace()
    o.closed = opinion(t, date(2026, 3, 2), "建议集贸市场增设无障碍通道", State.CLOSED, local((3, 4), 23, 30),
                       deadline=date(2026, 3, 4), satisfaction=Satisfaction.SATISFIED, subject="无障碍通道", channel=Channel.HEARING,
                       item=county.pre_item)
    o.not_feasible = opinion(v1, date(2026, 3, 3), "建议东关村修建篮球场", State.NOT_FEASIBLE, local((3, 10), 0, 30),
                             answer_outcome=Outcome.NOT_FEASIBLE, deadline=date(2026, 3, 9), satisfaction=Satisfaction.BASIC,
                             returned_count=1, channel=Channel.BOX)
    o.overdue = opinion(v1, date(2026, 3, 4), "东关村路灯不亮", State.IN_PROGRESS, deadline=date(2026, 3, 16))
    o.answered = opinion(v2, date(2026, 3, 5), "西关村垃圾清运不及时", State.ANSWERED, local((3, 9), 10),
                         deadline=date(2026, 3, 25), satisfaction=Satisfaction.UNSATISFIED)
    o.received = opinion(v2, date(2026, 3, 6), "希望公开西关村党费收缴情况")
    o.not_adopted = opinion(t, date(2026, 3, 6), "建议取消集市", State.NOT_ADOPTED, local((3, 9), 11), answer_outcome=Outcome.NOT_ADOPTED)
    o.hidden = opinion(t, date(2026, 3, 10), "广告：代办各类证件", moderation=Moderation.HIDDEN, hidden_reason=HiddenReason.SPAM)
    # Never in the public figures or lists.
    o.members_only = opinion(t, date(2026, 3, 11), "党内意见：发展党员程序", members_only=True, item=county.members_item)
    o.item_private = opinion(v1, date(2026, 3, 12), "对已转为党内公开的事项的意见", item_public=False)
    o.merged = opinion(t, date(2026, 3, 12), "重复：建议集贸市场增设无障碍通道", moderation=Moderation.MERGED, merged_into=o.closed)
    o.pending = opinion(t, date(2026, 3, 13), "尚未审查的意见", moderation=Moderation.PENDING)
    # Outside the section or the period.
    o.february = opinion(t, date(2026, 2, 20), "二月份的意见")
    o.other_township = opinion(county.township2, date(2026, 3, 5), "石桥镇的意见")
    county.opinions = o
    return county
