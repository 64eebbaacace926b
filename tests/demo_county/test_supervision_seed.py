"""The demo county's supervision quarter (issue 18): what a visitor and the county office find."""

import datetime
import io

from django.core.management import CommandError, call_command
from django.test import Client, TestCase
from django.utils import timezone

from disclosure_pages.choices import UnitType
from disclosure_pages.models import DisclosureItemPage, UnitPage
from supervision.choices import InspectionState, ObligationStatus, ResultScope, RoundState
from supervision.models import Ballot, Chase, EvaluationRound, Finding, Inspection, Obligation, RoundResult, SupervisionRules

COUNTY = {"townships": 2, "villages_per_township": 3, "departments": 2, "items_per_unit": 2, "skip_index": True,
          "quiet": True, "no_files": True, "no_opinions": True}


class SupervisionSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", **COUNTY, stdout=io.StringIO())
        cls.county = UnitPage.objects.get(unit_type=UnitType.COUNTY)
        cls.townships = list(UnitPage.objects.filter(unit_type=UnitType.TOWNSHIP).order_by("path"))
        cls.closed = EvaluationRound.objects.get(state=RoundState.CLOSED)

    def performance(self, year, client=None, **query):
        response = (client or Client()).get("/zh-hans/performance/", {"year": year, **query})
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_the_public_page_shows_the_closed_round_and_the_disclosed_finding_only(self):
        self.assertEqual(self.closed.result_scope, ResultScope.PUBLIC)
        html = self.performance(self.closed.period_start.year)
        self.assertIn(f"{self.closed.name}（", html)
        first = self.townships[0]
        html = self.performance(self.closed.period_start.year, section=first.pk)
        result = RoundResult.objects.filter(round=self.closed, unit=first).get()
        self.assertIn(f'<tr><th scope="row">{first.title}</th><td>{result.votes}</td><td>{result.score}</td></tr>', html)

        disclosed, kept = Finding.objects.get(disclosed=True), Finding.objects.get(disclosed=False)
        member = Client()
        member.force_login(next(iter(kept.unit.members_group.user_set.all()), None) or self._member(kept.unit))
        for client in (Client(), member):
            html = self.performance(disclosed.found_on.year, client)
            self.assertIn(disclosed.description, html)
            self.assertIn("通报批评", html)
            html = self.performance(kept.found_on.year, client)
            self.assertNotIn(kept.description, html)
            self.assertNotIn(kept.decision_text, html)

    def _member(self, unit):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create(username="seed-test-member")
        user.groups.add(unit.members_group)
        return user

    def test_the_quarter_has_units_on_time_late_and_missing(self):
        rules = SupervisionRules.objects.get(county=self.county)
        quarter_end, due = self.closed.period_end, self.closed.period_end + datetime.timedelta(days=rules.periodic_grace_days)
        first, late = self.townships
        checked = DisclosureItemPage.objects.filter(catalogue_entry__code__in=["A05", "S07"], publish_date__gte=self.closed.period_start)
        self.assertTrue(checked.filter(unit=first, publish_date__gte=quarter_end - datetime.timedelta(days=4), publish_date__lt=due).exists())
        self.assertFalse(checked.filter(unit=late).exists())
        villages = UnitPage.objects.filter(depth=first.depth + 1, unit_type__in=[UnitType.VILLAGE, UnitType.COMMUNITY])
        self.assertTrue(checked.filter(unit__in=villages, publish_date__gt=due).exists())
        self.assertLess(checked.filter(unit__in=villages).values("unit").distinct().count(), villages.count())
        statuses = set(Obligation.objects.filter(due_on=due, entry__code__in=["A05", "S07"]).values_list("status", flat=True))
        self.assertEqual(statuses, {ObligationStatus.ON_TIME, ObligationStatus.LATE, ObligationStatus.MISSING})

    def test_two_chases_of_the_late_township_the_second_escalated(self):
        late = self.townships[-1]
        chases = list(Chase.objects.order_by("sent_at"))
        self.assertEqual([chase.unit_id for chase in chases], [late.pk, late.pk])
        self.assertEqual([chase.escalated_to_id for chase in chases], [None, self.county.pk])
        self.assertTrue(all(chase.sent_by and chase.sent_by.groups.filter(pk=self.county.officers_group_id).exists() for chase in chases))
        chased = Obligation.objects.filter(unit=late, chase_count=2)
        self.assertTrue(chased.exists())
        self.assertEqual(set(chases[1].obligations.all()), set(chased))

    def test_rounds_ballots_and_results_agree(self):
        self.assertTrue(EvaluationRound.objects.filter(state=RoundState.OPEN, opens_on__lte=timezone.localdate(),
                                                       closes_on__gte=timezone.localdate()).exists())
        results = RoundResult.objects.filter(round=self.closed)
        self.assertGreaterEqual(results.count(), 5)
        for result in results:
            self.assertEqual(result.votes, Ballot.objects.filter(round=self.closed, unit=result.unit).count())
            self.assertTrue(0 <= result.score <= 100)
        self.assertLess(self.closed.closed_at, timezone.now())

    def test_an_inspection_note_answered_and_one_open(self):
        self.assertEqual(set(Inspection.objects.values_list("state", flat=True)), {InspectionState.ANSWERED, InspectionState.OPEN})
        answered = Inspection.objects.get(state=InspectionState.ANSWERED)
        self.assertTrue(answered.answer and answered.answered_by)
        self.assertTrue(answered.filed_by.groups.filter(pk=answered.unit.supervisors_group_id).exists())

    def test_seeding_again_changes_nothing(self):
        counts = (Chase.objects.count(), Finding.objects.count(), EvaluationRound.objects.count(), Ballot.objects.count())
        with self.assertRaises(CommandError):
            call_command("seed_demo", **COUNTY, stdout=io.StringIO())
        call_command("seed_demo", **COUNTY, if_empty=True, stdout=io.StringIO())
        self.assertEqual(counts, (Chase.objects.count(), Finding.objects.count(), EvaluationRound.objects.count(), Ballot.objects.count()))
