"""The demo county's opinion ledger (issue 17): opinions in every state, from every channel, in both
scripts, moderated every way, answered under four-eyes, dated in order."""

import io

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from disclosure_pages.choices import Stage
from disclosure_pages.models import DisclosureItemPage
from participation.choices import AnswerStatus, Channel, EventKind, HiddenReason, Moderation, Satisfaction, State
from participation.models import Answer, CalendarDay, Opinion, OpinionCatalogueEntry

COUNTY = {"townships": 2, "villages_per_township": 2, "departments": 1, "items_per_unit": 2, "skip_index": True,
          "quiet": True, "no_files": True}


class OpinionsSeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", **COUNTY)

    def values(self, field):
        return set(Opinion.objects.values_list(field, flat=True))

    def test_every_state_channel_and_moderation_occurs(self):
        self.assertEqual(self.values("state"), set(State.values))
        self.assertEqual(self.values("channel"), set(Channel.values))
        self.assertEqual(self.values("moderation"), set(Moderation.values))
        self.assertEqual(self.values("hidden_reason") - {""}, set(HiddenReason.values))
        self.assertEqual(self.values("satisfaction") - {""}, {Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED})

    def test_both_scripts(self):
        self.assertEqual(self.values("script"), {"zh-hans", "zh-hant"})
        self.assertTrue(Opinion.objects.filter(script="zh-hant", body__contains="回鄉").exists())

    def test_answers_are_approved_by_a_leader_who_did_not_write_them(self):
        approved = Answer.objects.filter(status=AnswerStatus.APPROVED).select_related("opinion__unit")
        self.assertGreater(approved.count(), 10)
        for answer in approved:
            with self.subTest(answer=answer.pk):
                self.assertIsNotNone(answer.unit_approver)
                self.assertNotEqual(answer.unit_approver, answer.author)
                self.assertTrue(answer.unit_approver.groups.filter(pk=answer.opinion.unit.leading_group_id).exists())
        county_tier = approved.exclude(county_approver=None)
        self.assertEqual(county_tier.count(), 1)
        answer = county_tier.get()
        self.assertTrue(answer.opinion.important)
        self.assertNotIn(answer.county_approver, (answer.author, answer.unit_approver))
        # Still waiting: one at the unit, one at the county.
        self.assertEqual(
            set(Answer.objects.exclude(status__in=[AnswerStatus.APPROVED, AnswerStatus.REJECTED]).values_list("status", flat=True)),
            {AnswerStatus.PENDING_UNIT, AnswerStatus.PENDING_COUNTY},
        )

    def test_a_rejected_answer_was_resubmitted_and_approved(self):
        rejected = Answer.objects.get(status=AnswerStatus.REJECTED)
        self.assertTrue(rejected.rejection_reason)
        later = rejected.opinion.answers.get(status=AnswerStatus.APPROVED)
        self.assertGreater(later.submitted_at, rejected.decided_at)

    def test_one_answer_was_sent_back_and_answered_again(self):
        opinion = Opinion.objects.get(returned_count=1)
        self.assertEqual(opinion.state, State.ANSWERED)
        kinds = list(opinion.events.values_list("kind", flat=True))
        self.assertEqual(kinds.count(EventKind.ANSWERED), 2)
        self.assertLess(kinds.index(EventKind.SENT_BACK), len(kinds) - 1 - kinds[::-1].index(EventKind.ANSWERED))

    def test_the_public_sees_no_members_only_opinion(self):
        self.assertTrue(Opinion.objects.filter(members_only=True).exists())
        public = Opinion.objects.public()
        self.assertGreater(public.count(), 10)
        self.assertFalse(public.filter(members_only=True).exists())
        self.assertFalse(public.exclude(moderation=Moderation.PUBLISHED).exists())

    def test_events_are_in_time_order_and_the_dates_agree(self):
        today = timezone.localdate()
        for opinion in Opinion.objects.prefetch_related("events", "answers"):
            with self.subTest(opinion=opinion.number):
                events = sorted(opinion.events.all(), key=lambda event: event.pk)
                moments = [event.at for event in events]
                self.assertEqual(moments, sorted(moments))
                self.assertEqual(events[0].kind, EventKind.RECEIVED)
                self.assertEqual(opinion.created_at, moments[0])
                self.assertLess(opinion.created_at, timezone.now())
                self.assertEqual(timezone.localtime(opinion.created_at).date(), opinion.received_on)
                self.assertTrue(opinion.number.startswith(f"{timezone.localtime(opinion.created_at):%Y}"))
                answered = [event.at for event in events if event.kind == EventKind.ANSWERED]
                self.assertEqual(opinion.answered_at, answered[-1] if answered else None)
                if opinion.state in State.ended():
                    self.assertIsNotNone(opinion.closed_at)
                    self.assertGreaterEqual(opinion.closed_at, opinion.answered_at)
                else:
                    self.assertIsNone(opinion.closed_at)
                for answer in opinion.answers.all():
                    self.assertGreaterEqual(answer.submitted_at, opinion.created_at)
                    if answer.decided_at:
                        self.assertGreater(answer.decided_at, answer.submitted_at)
                if opinion.item_id:
                    self.assertGreaterEqual(opinion.received_on, opinion.item.publish_date)
                    if opinion.item.comment_deadline:
                        self.assertLessEqual(opinion.received_on, opinion.item.comment_deadline)
                self.assertLessEqual(opinion.received_on, today)

    def test_some_opinions_are_overdue_and_their_assignment_names_their_deadline(self):
        overdue = Opinion.objects.overdue()
        self.assertGreaterEqual(overdue.count(), 2)
        for opinion in overdue:
            assigned = opinion.events.filter(kind=EventKind.ASSIGNED).last()
            self.assertIn(f"{opinion.deadline:%Y-%m-%d}", assigned.note)

    def test_pre_disclosure_items_open_and_closed_and_a_decision_shows_what_was_adopted(self):
        today = timezone.localdate()
        on_items = DisclosureItemPage.objects.filter(pk__in=Opinion.objects.exclude(item=None).values("item"), stage=Stage.PRE_DISCLOSURE)
        self.assertTrue(on_items.filter(comment_deadline__gte=today).exists())
        closed = on_items.get(comment_deadline__lt=today)
        decision = DisclosureItemPage.objects.get(previous_stage=closed)
        self.assertEqual(decision.stage, Stage.DECISION)
        outcomes = set(Answer.objects.filter(opinion__item=closed, status=AnswerStatus.APPROVED).values_list("outcome", flat=True))
        self.assertTrue({"adopted", "not_adopted"} <= outcomes)

    def test_catalogue_entries_take_opinions_and_the_holidays_are_known(self):
        self.assertEqual(OpinionCatalogueEntry.objects.count(), 2)
        self.assertTrue(CalendarDay.objects.filter(date__year=2027, working=False, name__startswith="春节").exists())
        self.assertTrue(CalendarDay.objects.filter(date__year=2027, working=True).exists())

    def test_seeding_again_with_if_empty_changes_nothing(self):
        before = Opinion.objects.count()
        out = io.StringIO()
        call_command("seed_demo", if_empty=True, stdout=out, **COUNTY)
        self.assertIn("跳过", out.getvalue())
        self.assertEqual(Opinion.objects.count(), before)


@override_settings(SUNSHINE_DEMO_LOGINS=True)
class OpinionsSeedWithLoginsTests(TestCase):
    """In development the logins see their own work: officer answered, approver approved, member wrote."""

    @classmethod
    def setUpTestData(cls):
        with override_settings(SUNSHINE_DEMO_LOGINS=True):
            call_command("seed_demo", townships=1, villages_per_township=1, departments=0, items_per_unit=0, skip_index=True,
                         quiet=True, no_files=True)

    def test_the_logins_took_part(self):
        self.assertTrue(Answer.objects.filter(author__username="officer", unit_approver__username="approver").exists())
        self.assertTrue(Answer.objects.filter(county_approver__username="reviewer").exists())
        self.assertTrue(Opinion.objects.filter(author__username="member", members_only=True).exists())
        self.assertEqual(set(Opinion.objects.values_list("state", flat=True)), set(State.values))
