"""评议: quarterly evaluation of units by their members, supervisors and (where allowed) residents.

- A round is opened and closed by the county office. Votes are taken only while it is open and
  today is within its voting dates; a closed round is never reopened nor voted in.
- One vote per person per unit per round (``Voter``), written with its anonymous ``Ballot`` in
  one transaction; the ballot carries no person and no time.
- Closing computes each unit's ``RoundResult`` (votes, average 0–100 with one decimal, per
  question: the average and the count of each answer), in the same transaction as the state.
- Who reads results is the round's ``result_scope``: everyone, the unit's own members and
  supervisors (and the county office), or the county office only (``results_for``).
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Func, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure_pages.models import UnitPage
from workflows.overview import county_of_user

from . import access
from .choices import EvaluationScale, ResultScope, RoundState, Satisfaction, VoterKind
from .models import Ballot, BallotAnswer, EvaluationRound, RoundResult, Voter


class EvaluationError(Exception):
    """A refused step, with the Chinese message the user is shown."""


def one_decimal(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# -- rounds -----------------------------------------------------------------------------------


def county_of_round(evaluation_round):
    return evaluation_round.questionnaire.county


def takes_votes(evaluation_round, today=None):
    """Open, and today within its voting dates."""
    today = today or timezone.localdate()
    return evaluation_round.state == RoundState.OPEN and evaluation_round.opens_on <= today <= evaluation_round.closes_on


def open_round(evaluation_round):
    with transaction.atomic():
        current = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
        if current.state != RoundState.DRAFT:
            raise EvaluationError(_("只有未开始的评议轮次可以开始。"))
        current.state = RoundState.OPEN
        current.save(update_fields=["state"])
    evaluation_round.state = RoundState.OPEN


def delete_round(evaluation_round):
    """A round that never opened may be dropped; one that took votes is kept with them."""
    with transaction.atomic():
        current = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
        if current.state != RoundState.DRAFT:
            raise EvaluationError(_("只有未开始的评议轮次可以删除。"))
        current.delete()


def close_round(evaluation_round):
    """End voting and compute every unit's result, all or nothing."""
    with transaction.atomic():
        current = EvaluationRound.objects.select_for_update().select_related("questionnaire__county").get(pk=evaluation_round.pk)
        if current.state != RoundState.OPEN:
            raise EvaluationError(_("只有评议中的轮次可以结束。"))
        current.state, current.closed_at = RoundState.CLOSED, timezone.now()
        current.save(update_fields=["state", "closed_at"])
        RoundResult.objects.filter(round=current).delete()
        RoundResult.objects.bulk_create(compute_results(current))
    evaluation_round.state, evaluation_round.closed_at = current.state, current.closed_at


def evaluated_units(evaluation_round):
    """The county's units (default locale) that have members or supervisors to vote for them."""
    county = county_of_round(evaluation_round)
    return (
        UnitPage.objects.filter(locale_id=county.locale_id, path__startswith=county.path)
        .filter(Q(members_group__user__isnull=False) | Q(supervisors_group__user__isnull=False))
        .distinct().order_by("path")
    )


def compute_results(evaluation_round):
    """Unsaved ``RoundResult`` rows, one per evaluated unit and per unit that received ballots."""
    questions = list(evaluation_round.questionnaire.questions.all())
    satisfaction = evaluation_round.questionnaire.scale == EvaluationScale.SATISFACTION
    ballots = Ballot.objects.filter(round=evaluation_round)
    votes = dict(ballots.values_list("unit").annotate(n=Count("pk")).values_list("unit", "n"))
    answers = BallotAnswer.objects.filter(ballot__round=evaluation_round)
    overall = dict(answers.values_list("ballot__unit").annotate(a=Avg("value")).values_list("ballot__unit", "a"))
    by_question = {
        (unit_id, question_id): average
        for unit_id, question_id, average in answers.values_list("ballot__unit", "question").annotate(a=Avg("value")).values_list("ballot__unit", "question", "a")
    }
    counts = {}
    for unit_id, question_id, value, number in (
        answers.values_list("ballot__unit", "question", "value").annotate(n=Count("pk")).values_list("ballot__unit", "question", "value", "n")
    ):
        counts.setdefault((unit_id, question_id), {})[str(value)] = number
    unit_ids = set(evaluated_units(evaluation_round).values_list("pk", flat=True)) | set(votes)
    rows = []
    for unit_id in sorted(unit_ids):
        per_question = {}
        for question in questions:
            entry = {"text": question.text, "score": _float(one_decimal(by_question.get((unit_id, question.pk))))}
            if satisfaction:
                found = counts.get((unit_id, question.pk), {})
                entry["counts"] = {str(choice.value): found.get(str(choice.value), 0) for choice in Satisfaction}
            per_question[str(question.pk)] = entry
        rows.append(RoundResult(
            round=evaluation_round, unit_id=unit_id, votes=votes.get(unit_id, 0),
            score=one_decimal(overall.get(unit_id)), per_question=per_question,
        ))
    return rows


def _float(value):
    return None if value is None else float(value)


def turnout(evaluation_round):
    """While a round is open: per unit, who may vote and how many have (never the scores)."""
    voted = dict(
        Voter.objects.filter(round=evaluation_round).values_list("unit").annotate(n=Count("pk")).values_list("unit", "n")
    )
    units = evaluated_units(evaluation_round).annotate(eligible=eligible_voters())
    return [TurnoutRow(unit=unit, eligible=unit.eligible, voted=voted.get(unit.pk, 0)) for unit in units]


def eligible_voters():
    """How many active people are in the members or supervisors group of each unit of the outer
    query (once each): a subquery, for every unit of the county in the query that lists them."""
    memberships = get_user_model().groups.through.objects.filter(
        Q(group=OuterRef("members_group")) | Q(group=OuterRef("supervisors_group")), user__is_active=True
    )
    return Subquery(
        memberships.order_by().annotate(n=Func("user", function="COUNT", template="COUNT(DISTINCT %(expressions)s)")).values("n"),
        output_field=IntegerField(),
    )


@dataclass
class TurnoutRow:
    unit: UnitPage
    eligible: int
    voted: int

    @property
    def rate(self):
        return one_decimal(self.voted * 100 / self.eligible) if self.eligible else None


# -- voting -----------------------------------------------------------------------------------


def open_rounds_for(user, today=None):
    """[(round, [(unit, voted?)])]: the rounds taking votes now and the units ``user`` votes for in each."""
    today = today or timezone.localdate()
    units = list(access.voting_units(user))
    if not units:
        return []
    rounds = EvaluationRound.objects.filter(state=RoundState.OPEN, opens_on__lte=today, closes_on__gte=today).select_related("questionnaire__county")
    voted = set(Voter.objects.filter(user=user, round__in=rounds).values_list("round", "unit"))
    listing = []
    for evaluation_round in rounds:
        county = county_of_round(evaluation_round)
        own = [(unit, (evaluation_round.pk, unit.pk) in voted) for unit in units if unit.path.startswith(county.path)]
        if own:
            listing.append((evaluation_round, own))
    return listing


def voter_kind(user, unit):
    return VoterKind.SUPERVISOR if access.supervises(user, unit) else VoterKind.MEMBER


def may_vote_for(user, unit, evaluation_round):
    """``unit`` is one of ``user``'s (member or supervisor) and lies in the round's county."""
    county = county_of_round(evaluation_round)
    return unit.path.startswith(county.path) and access.voting_units(user).filter(pk=unit.pk).exists()


def has_voted(evaluation_round, unit, user=None, contact_hash=""):
    voters = Voter.objects.filter(round=evaluation_round, unit=unit)
    return voters.filter(user=user).exists() if user is not None else voters.filter(contact_hash=contact_hash).exists()


def contact_digest(contact):
    """A resident's normalised contact as ``Voter`` keeps it: a SHA-256 digest, never the contact."""
    return hashlib.sha256(contact.encode()).hexdigest()


def _random_key():
    """A primary key for a ballot row (a 63-bit key: a clash is as unlikely as never)."""
    return secrets.randbelow(2**62) + 1


def cast(evaluation_round, unit, answers, *, kind, user=None, contact_hash=""):
    """Record one vote: the ``Voter`` row and the anonymous ballot, or nothing.

    ``answers`` maps every question's id to a value 0–100 (a satisfaction answer's score)."""
    if (user is None) == (not contact_hash):
        raise ValueError("a vote is a user's or a confirmed contact's")
    with transaction.atomic():
        # The round's row is locked: a vote and the closing never interleave.
        current = EvaluationRound.objects.select_for_update().get(pk=evaluation_round.pk)
        if not takes_votes(current):
            raise EvaluationError(_("本轮评议未在投票期间，不能投票。"))
        if kind == VoterKind.RESIDENT and not current.residents_may_rate:
            raise EvaluationError(_("本轮评议不接受群众评价。"))
        questions = set(current.questionnaire.questions.values_list("pk", flat=True))
        if set(answers) != questions or not all(0 <= value <= 100 for value in answers.values()):
            raise EvaluationError(_("请回答全部题目。"))
        try:
            with transaction.atomic():
                Voter.objects.create(round=current, unit=unit, user=user, contact_hash=contact_hash)
        except IntegrityError:
            raise EvaluationError(_("您已参加本轮评议。")) from None
        # Random keys: sequential ones would follow the voters' order and tie each ballot to its voter.
        ballot = Ballot.objects.create(pk=_random_key(), round=current, unit=unit, voter_kind=kind)
        BallotAnswer.objects.bulk_create(
            BallotAnswer(pk=_random_key(), ballot=ballot, question_id=question_id, value=value)
            for question_id, value in answers.items()
        )
    return ballot


# -- results ----------------------------------------------------------------------------------


@dataclass
class RoundResults:
    """A closed round and the rows of it a reader may see (best score first)."""

    round: EvaluationRound
    rows: list = field(default_factory=list)

    @property
    def questions(self):
        return list(self.round.questionnaire.questions.all())


def result_rows(evaluation_round, units=None):
    results = RoundResult.objects.filter(round=evaluation_round).select_related("unit")
    if units is not None:
        results = results.filter(unit__in=units)
    return sorted(results, key=lambda row: (row.score is None, -(row.score or 0), row.unit.path))


def reads_all_results(user, evaluation_round):
    """The office of the round's county (or a superuser) reads every row whatever the scope."""
    if not access.is_county_office(user):
        return False
    return user.is_superuser or county_of_user(user) == county_of_round(evaluation_round)


def results_for(evaluation_round, user):
    """The rows of a closed round ``user`` may read, or None when they may read none.

    PUBLIC: every row to everyone. MEMBERS: a unit's row to its members and supervisors; every
    row to the county office. COUNTY: the county office only."""
    if evaluation_round.state != RoundState.CLOSED:
        return None
    scope = evaluation_round.result_scope
    if scope == ResultScope.PUBLIC or reads_all_results(user, evaluation_round):
        return RoundResults(evaluation_round, result_rows(evaluation_round))
    if scope == ResultScope.MEMBERS and access.is_active(user):
        rows = result_rows(evaluation_round, access.voting_units(user))
        return RoundResults(evaluation_round, rows) if rows else None
    return None


def readable_rounds(user):
    """Every closed round of which ``user`` may read at least one row, the newest first."""
    closed = EvaluationRound.objects.filter(state=RoundState.CLOSED).select_related("questionnaire")
    if access.is_county_office(user) and user.is_superuser:
        return list(closed)
    allowed = Q(result_scope=ResultScope.PUBLIC)
    if access.is_county_office(user):
        allowed |= Q(questionnaire__county=county_of_user(user))
    if access.is_active(user):
        allowed |= Q(result_scope=ResultScope.MEMBERS, results__unit__in=access.voting_units(user))
    return list(closed.filter(allowed).distinct())


def unit_scores(units, start, end):
    """{unit id: the average score of its results in closed rounds whose evaluated period
    overlaps [start, end], one decimal, or None}: one query for all ``units``. For the
    scorecard (any result scope)."""
    key_of = {unit.translation_key: unit.pk for unit in units}
    averages = dict(
        RoundResult.objects.filter(
            unit__translation_key__in=list(key_of), score__isnull=False,
            round__state=RoundState.CLOSED, round__period_start__lte=end, round__period_end__gte=start,
        ).order_by().values("unit__translation_key").annotate(a=Avg("score")).values_list("unit__translation_key", "a")
    )
    return {pk: one_decimal(averages.get(key)) for key, pk in key_of.items()}
