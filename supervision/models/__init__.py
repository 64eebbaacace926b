"""Supervision's models, by the part of the work they belong to.

Units and catalogue entries are referred to in the default (Simplified) locale: the page or
entry in the other script maps to it by translation key.
"""

from .assessment import Finding, ScoreRow  # noqa: F401
from .evaluation import Ballot, BallotAnswer, EvaluationRound, Question, Questionnaire, RoundResult, Voter  # noqa: F401
from .inspections import Inspection, InspectionStep, StepAction  # noqa: F401
from .obligations import Chase, EntrySince, Exemption, Obligation, SupervisionRules  # noqa: F401
