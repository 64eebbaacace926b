"""The demo county's supervision and assessment (督办 · 评议 · 考核): a realistic last quarter.

- Periodic items of the quarter (惠民资金发放 for townships and departments, 村级“三资”管理
  for villages) published on time by some units, late by others, not at all by a few; the
  quarter's late township also lets its 领导班子成员分工 go stale. The obligations engine then
  reckons every unit's obligations from the items as they are dated (``obligations.rebuild``).
- Two chases (催办) of the late township's outstanding obligations, the second escalated to the
  county; a finding (责任追究) about it, disclosed, and another about a village, not disclosed.
- The county's evaluation questionnaire (评议问卷), last quarter's round closed with results
  向社会公开 (ballots and results for several units), and this quarter's round open.
- Two supervisors' inspection notes (督查意见): one answered, one waiting.
- The county's rules (督办考核规则).

Two parts, called by the builder as the opinions are: ``seed_supervision_items`` adds the
items (with the others, before their approvals are recorded), ``seed_supervision`` the rest
once the units' people exist. Everything comes from the seed's random source: the same seed
gives the same quarter. All people, numbers and words are invented.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from disclosure_pages.choices import UnitType
from disclosure_pages.models import CatalogueEntry, DisclosureItemPage
from supervision.choices import (
    EvaluationScale,
    FindingDecision,
    InspectionState,
    ObligationStatus,
    ResultScope,
    RoundState,
    Satisfaction,
    VoterKind,
)
from supervision.models import (
    Ballot,
    BallotAnswer,
    Chase,
    EvaluationRound,
    Finding,
    Inspection,
    InspectionStep,
    Obligation,
    Question,
    Questionnaire,
    RoundResult,
    SupervisionRules,
)
from supervision import obligations
from supervision.periods import Span, add_months, quarter_of, span_label

from .writers import Ctx, write

# The quarterly entry each kind of unit is checked on, by catalogue code.
CHECKED_ENTRY = {"five_areas": "A05", "seven_plus_x": "S07"}
# The standing entry the late township lets go stale (领导班子成员分工).
STALE_ENTRY = "C01"
# How far back an item of the checked entry already dated in the quarter is moved.
YEAR = datetime.timedelta(days=365)
# How units fare in the quarter when not set below: on time, late, not published.
FATE_WEIGHTS = {"on_time": 60, "late": 25, "missing": 15}

QUESTIONS = [
    "公开内容是否全面，应公开的事项是否都已公开",
    "公开是否及时，定期公开事项是否按期更新",
    "公开内容是否真实准确、通俗易懂",
    "公开形式是否方便党员群众查阅",
    "对党员群众意见建议是否及时回应",
]


def checked_quarter(today, grace_days):
    """The latest quarter whose periodic deadline passed at least three weeks ago (last quarter, mostly)."""
    quarter = quarter_of(today)
    while quarter.end + datetime.timedelta(days=grace_days + 21) >= today:
        start = add_months(quarter.start, -3)
        quarter = Span(start, add_months(start, 3) - datetime.timedelta(days=1))
    return quarter


def _units(tree):
    county = next(page for spec, page in tree if spec.unit_type == UnitType.COUNTY)
    townships = [page for spec, page in tree if spec.unit_type == UnitType.TOWNSHIP]
    return county, townships


def _late_township(townships):
    """The township that falls behind in the quarter: the last one (the first shows the workflow demo)."""
    return townships[-1] if len(townships) > 1 else None


def _fates(builder, tree):
    """(spec, unit, fate) for every unit: the first township on time, the late one missing, the others by chance."""
    rng = random.Random(f"{builder.options.seed}-supervision")
    county, townships = _units(tree)
    late = _late_township(townships)
    fates = []
    for spec, unit in tree:
        fate = rng.choices(list(FATE_WEIGHTS), weights=list(FATE_WEIGHTS.values()))[0]
        if unit.pk in (county.pk, townships[0].pk if townships else None):
            fate = "on_time"
        elif late is not None and unit.pk == late.pk:
            fate = "missing"
        fates.append((spec, unit, fate))
    # Every outcome at least once among the villages, however few there are.
    villages = [index for index, (spec, _unit, _fate) in enumerate(fates) if spec.township is not None]
    for index, fate in zip(villages, ("on_time", "late", "missing")):
        fates[index] = (*fates[index][:2], fate)
    return fates


def _checked_entry(unit):
    shape = unit.catalogue.shape if unit.catalogue_id else None
    code = CHECKED_ENTRY.get(shape)
    return CatalogueEntry.objects.filter(area__catalogue_id=unit.catalogue_id, code=code, unit=None).first() if code else None


def seed_supervision_items(builder, tree):
    """The quarter's periodic items, dated by each unit's fate; other items of the entry in the quarter moved a year back."""
    rules = _rules(builder, tree)
    quarter = checked_quarter(builder.today, rules.periodic_grace_days)
    due = quarter.end + datetime.timedelta(days=rules.periodic_grace_days)
    pages = {spec.code: page for spec, page in tree}
    rng = random.Random(f"{builder.options.seed}-supervision-items")
    written = 0
    with transaction.atomic():
        for sequence, (spec, unit, fate) in enumerate(_fates(builder, tree), start=1):
            entry = _checked_entry(unit)
            if entry is None:
                continue
            # The random seed may have dated one of its items in the quarter: the quarter's story is this one.
            DisclosureItemPage.objects.child_of(unit).filter(catalogue_entry=entry, publish_date__gte=quarter.start).update(
                document_date=F("document_date") - YEAR, publish_date=F("publish_date") - YEAR,
                first_published_at=F("first_published_at") - YEAR, last_published_at=F("last_published_at") - YEAR,
            )
            if fate == "missing":
                continue
            if fate == "on_time":
                days = [quarter.end + datetime.timedelta(days=rng.randint(-4, rules.periodic_grace_days - 1))]
            else:
                # A make-up item after the deadline, and the next quarter's own: an item counts for the
                # period it is published in, so the make-up is the spare one that meets the quarter late.
                following_end = add_months(quarter.start, 6) - datetime.timedelta(days=1)
                days = [min(builder.today, due + datetime.timedelta(days=rng.randint(4, 25))),
                        min(builder.today, following_end) - datetime.timedelta(days=rng.randint(1, 5))]
            for day in days:
                ctx = Ctx(rng, spec, day, builder.today, entry)
                item = builder._item(rng, spec, entry, day - datetime.timedelta(days=rng.randint(0, 3)), day,
                                     write(builder.writer_of.get(entry.pk, "generic"), ctx), sequence, pages)
                item.scope, item.named_units = entry.default_scope, []
                unit.add_child(instance=item)
                written += 1
        late = _late_township(_units(tree)[1])
        if late is not None:
            # Its 领导班子成员分工 was last confirmed long ago.
            stale = DisclosureItemPage.objects.child_of(late).filter(catalogue_entry__code=STALE_ENTRY, catalogue_entry__unit=None)
            for item in stale:
                DisclosureItemPage.objects.filter(pk=item.pk).update(publish_date=min(item.publish_date, quarter.start - datetime.timedelta(days=400)))
    builder.report.items += written
    builder.log(f"督办演示：{span_label(quarter.start, quarter.end)}定期公开事项 {written} 条（按时、逾期，另有单位未公开）。")
    return written


def _rules(builder, tree):
    county, _townships = _units(tree)
    rules, _created = SupervisionRules.objects.get_or_create(
        county=county, defaults={"tracking_start": datetime.date(builder.today.year - 1, 1, 1), **SupervisionRules.defaults()}
    )
    return rules


def seed_supervision(builder, tree):
    """Obligations, chases, findings, evaluation rounds and inspection notes of the quarter."""
    county, townships = _units(tree)
    rules = _rules(builder, tree)
    quarter = checked_quarter(builder.today, rules.periodic_grace_days)
    rng = random.Random(f"{builder.options.seed}-supervision-rest")
    with transaction.atomic():
        obligations.rebuild(county, today=builder.today)
        late = _late_township(townships)
        people = _people(tree)
        if late is not None:
            outstanding = _outstanding(late, quarter)
            _chases(builder, county, late, outstanding, people, rules)
            _findings(builder, county, late, tree, outstanding, quarter, people)
        _evaluation(builder, county, tree, quarter, rng)
        _inspections(builder, tree, people, rules)
    builder.log(f"督办演示：{span_label(quarter.start, quarter.end)}评议已结束并向社会公布结果，本季度评议进行中；催办、责任追究和督查意见各有示例。")


def _people(tree):
    """Each unit's officer and leaders (made by the review seed), by unit id."""
    names = {f"{spec.code.lower()}-{role}": page.pk for spec, page in tree for role in ("officer", "leader1")}
    people = {}
    for user in get_user_model().objects.filter(username__in=names):
        people.setdefault(names[user.username], {})[user.username.rsplit("-", 1)[1]] = user
    return people


def _outstanding(unit, quarter):
    """The unit's obligations of the quarter still not met (empty until the obligations engine has run)."""
    return list(Obligation.objects.filter(unit=unit, status=ObligationStatus.MISSING, due_on__gt=quarter.start).order_by("due_on", "pk"))


def _at(today, days_ago, hour=9, minute=30):
    return timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(hour, minute)))


def _chases(builder, county, late, outstanding, people, rules):
    """Two chases of the late township; the second, at the county's limit, copied to the county."""
    office = people.get(county.pk, {}).get("officer")
    recipients = len({user.pk for user in people.get(late.pk, {}).values()})
    first, second = _at(builder.today, 30), _at(builder.today, 12, 15, 10)
    messages = [
        f"{late.title}：经检查，你单位上季度应公开的定期公开事项至今未公开，请于5个工作日内在党务公开网站公开，并将情况报县委党务公开工作领导小组办公室。",
        f"{late.title}：上次催办后你单位仍未公开，已报县委。请主要负责同志督促落实，3个工作日内完成公开并书面说明逾期原因。",
    ]
    for when, message, escalated in ((first, messages[0], None), (second, messages[1], county)):
        chase = Chase.objects.create(unit=late, message=message, sent_by=office, sent_at=when, recipients=recipients, escalated_to=escalated)
        chase.obligations.set(outstanding)
    Obligation.objects.filter(pk__in=[obligation.pk for obligation in outstanding]).update(
        chase_count=max(2, rules.escalate_after_chases), last_chased_at=second, escalated_at=second
    )


def _findings(builder, county, late, tree, outstanding, quarter, people):
    """One finding about the late township, disclosed; one about a village, kept internal."""
    office = people.get(county.pk, {}).get("officer")
    label = span_label(quarter.start, quarter.end)
    Finding.objects.create(
        unit=late, obligation=outstanding[0] if outstanding else None, found_on=builder.today - datetime.timedelta(days=8),
        description=f"{late.title}{label}惠民资金发放情况应公开未公开，经两次催办仍未公开，群众在意见箱中反映查不到补贴发放名单。",
        decision=FindingDecision.CRITICISM,
        decision_text=f"对{late.title}在全县党务公开工作中通报批评，责令10日内补充公开并向县委作出书面说明；该单位年度党务公开考核相应扣分。",
        decided_by="县委党务公开工作领导小组", disclosed=True, recorded_by=office,
    )
    village = next((unit for spec, unit, fate in _fates(builder, tree) if spec.township is not None and fate == "late"), None)
    if village is not None:
        Finding.objects.create(
            unit=village, found_on=builder.today - datetime.timedelta(days=20),
            description=f"{village.title}{label}集体“三资”管理和财务收支情况逾期公开，已补充公开。",
            decision=FindingDecision.REMINDER, decision_text="由乡镇党委对村党支部书记进行提醒谈话。",
            decided_by="乡镇纪委", disclosed=False, recorded_by=office,
        )


def _evaluation(builder, county, tree, quarter, rng):
    """The questionnaire, last quarter's closed round (results public) and this quarter's open one."""
    questionnaire = Questionnaire.objects.create(county=county, name="党务公开工作评议问卷", scale=EvaluationScale.SATISFACTION)
    questions = [Question.objects.create(questionnaire=questionnaire, text=text, sort_order=order) for order, text in enumerate(QUESTIONS)]
    closes = quarter.end + datetime.timedelta(days=20)
    closed = EvaluationRound.objects.create(
        questionnaire=questionnaire, name=f"{span_label(quarter.start, quarter.end)}党务公开评议",
        period_start=quarter.start, period_end=quarter.end, opens_on=quarter.end + datetime.timedelta(days=5), closes_on=closes,
        state=RoundState.CLOSED, result_scope=ResultScope.PUBLIC, closed_at=_at(closes, -1, 17, 0),
    )
    this = quarter_of(builder.today)
    EvaluationRound.objects.create(
        questionnaire=questionnaire, name=f"{span_label(this.start, this.end)}党务公开评议",
        period_start=this.start, period_end=this.end, opens_on=builder.today - datetime.timedelta(days=3),
        closes_on=builder.today + datetime.timedelta(days=12), state=RoundState.OPEN, result_scope=ResultScope.PUBLIC,
    )
    # Evaluated: the first township and its villages, the late township, and a few departments.
    _county, townships = _units(tree)
    chosen = [page for spec, page in tree if spec.unit_type == UnitType.DEPARTMENT][:3]
    if townships:
        chosen += [townships[0]] + [page for spec, page in tree if spec.township is not None and spec.township.code == townships[0].code]
    late = _late_township(townships)
    if late is not None:
        chosen.append(late)
    ballots, answers, plans = [], [], []
    for unit in chosen:
        # A unit that kept its disclosure up is rated higher; the late township lower.
        leaning = [25, 45, 30] if late is not None and unit.pk == late.pk else [70, 25, 5]
        for _number in range(rng.randint(8, 18)):
            kind = rng.choices([VoterKind.MEMBER, VoterKind.SUPERVISOR], weights=[80, 20])[0]
            ballots.append(Ballot(round=closed, unit=unit, voter_kind=kind))
            plans.append([rng.choices(list(Satisfaction.values), weights=leaning)[0] for _question in questions])
    # Ballots carry no order of voting: shuffled before they are written.
    order = list(range(len(ballots)))
    rng.shuffle(order)
    ballots, plans = [ballots[index] for index in order], [plans[index] for index in order]
    Ballot.objects.bulk_create(ballots)
    for ballot, values in zip(Ballot.objects.filter(round=closed).order_by("pk"), plans):
        answers += [BallotAnswer(ballot=ballot, question=question, value=value) for question, value in zip(questions, values)]
    BallotAnswer.objects.bulk_create(answers)
    _results(closed, questions)


def _results(evaluation, questions):
    """Each unit's votes and average score in the closed round, and per question."""
    by_unit = {}
    for unit_id, question_id, value in BallotAnswer.objects.filter(ballot__round=evaluation).values_list("ballot__unit_id", "question_id", "value"):
        by_unit.setdefault(unit_id, {}).setdefault(question_id, []).append(value)
    votes = {unit_id: Ballot.objects.filter(round=evaluation, unit_id=unit_id).count() for unit_id in by_unit}
    results = []
    for unit_id, answered in by_unit.items():
        per_question = {
            str(question_id): {"score": round(sum(values) / len(values), 1),
                               "counts": {str(choice): values.count(choice) for choice in Satisfaction.values}}
            for question_id, values in answered.items()
        }
        every = [value for values in answered.values() for value in values]
        results.append(RoundResult(round=evaluation, unit_id=unit_id, votes=votes[unit_id],
                                   score=round(sum(every) / len(every), 1), per_question=per_question))
    RoundResult.objects.bulk_create(results)


def _inspections(builder, tree, people, rules):
    """A supervisor of a village files two notes: one the village answered, one still waiting."""
    village_spec, village = next(((spec, page) for spec, page in tree if spec.township is not None), (None, None))
    if village is None:
        return
    supervisor = _supervisor(village)
    officer = people.get(village.pk, {}).get("officer")
    item = DisclosureItemPage.objects.child_of(village).live().order_by("-publish_date", "-pk").first()
    answered = Inspection.objects.create(
        unit=village, item=item, subject="村务公开栏更新不及时",
        body="本月走访发现，村党群服务中心公开栏张贴的财务收支情况仍为上上个季度的，与网站公开内容不一致，请及时更新并核对。",
        filed_by=supervisor, filed_at=_at(builder.today, 26, 10, 0), deadline=builder.today - datetime.timedelta(days=26 - rules.inspection_answer_days),
        state=InspectionState.ANSWERED, answer="已于次日更新公开栏，并安排报账员每季度结束后10日内同步更新公开栏和网站，由村务监督委员会核对。",
        answered_by=officer, answered_at=_at(builder.today, 20, 16, 20),
    )
    waiting = Inspection.objects.create(
        unit=village, subject="发展党员公示未写明培养考察经过",
        body="近期发展对象公示只列了姓名和基本情况，未写明培养考察的时间和经过，群众看不明白，请补充完善。",
        filed_by=supervisor, filed_at=_at(builder.today, 4, 9, 15), deadline=builder.today + datetime.timedelta(days=rules.inspection_answer_days - 4),
    )
    InspectionStep.objects.bulk_create([
        InspectionStep(inspection=answered, action="filed", by=supervisor, at=answered.filed_at),
        InspectionStep(inspection=answered, action="answered", text=answered.answer, by=officer, at=answered.answered_at),
        InspectionStep(inspection=waiting, action="filed", by=supervisor, at=waiting.filed_at),
    ])


def _supervisor(unit):
    """A supervisor (监督员) of ``unit``: a name only, no password works for them."""
    User = get_user_model()
    username = f"{unit.code.lower()}-supervisor1"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create(username=username, first_name="周志明", email=f"{username}@dangwu.yunxi.example", password=make_password(None))
        user.groups.add(unit.supervisors_group)
    return user
