"""What a unit owes under each timing kind, at the edges of periods, grace and deadlines."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from disclosure_pages.choices import Period, Stage, Takedown, TimingKind
from supervision import obligations
from supervision.choices import NotApplicableReason, ObligationStatus as S
from supervision.models import Exemption, Obligation, SupervisionRules
from supervision.obligations import ItemFacts, plan
from supervision.periods import Span, named_period
from tests.factories import build_tree, d, edit_and_publish, make_item, reload

RULES = SimpleNamespace(tracking_start=d("2026-01-01"), periodic_grace_days=10, standing_interval_months=6, stage_days=30)
QUARTERLY = SimpleNamespace(timing=TimingKind.PERIODIC, period=Period.QUARTER, deadline_days=None)
STANDING = SimpleNamespace(timing=TimingKind.STANDING, period="", deadline_days=None)
AD_HOC = SimpleNamespace(timing=TimingKind.AD_HOC, period="", deadline_days=7)
STAGES = SimpleNamespace(timing=TimingKind.PER_STAGE, period="", deadline_days=None)


def item(pk, published=None, live=True, title="", document_date=None, stage=Stage.OTHER, takedown=Takedown.NONE, takedown_date=None,
         comment_deadline=None, previous=None, confirmations=()):
    published = d(published) if published else None
    facts = ItemFacts(
        pk=pk, title=title, translation_key=f"key-{pk}", entry_key="entry", live=live, published_on=published if live else None,
        document_date=d(document_date) if document_date else None, stage=stage, comment_deadline=d(comment_deadline) if comment_deadline else None,
        takedown=takedown, takedown_date=d(takedown_date) if takedown_date else None, previous_key=f"key-{previous}" if previous else None,
    )
    facts.confirmations = [d(day) for day in confirmations] or ([published] if published and live else [])
    return facts


def outcome(rows):
    return [(f"{row.period_start:%m-%d}", row.status, row.met_by_id) for row in rows]


def reckon(entry, items, today, unit_since=None, entry_since=None, exemptions=()):
    return plan(entry, d(unit_since) if unit_since else None, d(entry_since) if entry_since else None, items, list(exemptions), RULES, d(today))


class TestPeriodic:
    def test_each_quarter_takes_an_item_published_in_it_or_its_grace(self):
        rows = reckon(QUARTERLY, [item(1, "2026-02-15"), item(2, "2026-07-05")], "2026-07-20")
        assert outcome(rows) == [("01-01", S.ON_TIME, 1), ("04-01", S.ON_TIME, 2), ("07-01", S.DUE, None)]
        assert rows[1].due_on == d("2026-07-10") and rows[1].met_on == d("2026-07-05")

    def test_the_last_day_of_grace_is_on_time_and_the_day_after_is_not(self):
        on_time = reckon(QUARTERLY, [item(1, "2026-04-10")], "2026-04-20")
        assert outcome(on_time)[0] == ("01-01", S.ON_TIME, 1)
        # Published a day later, it is the second quarter's item; the first quarter is missing.
        late = reckon(QUARTERLY, [item(1, "2026-04-11")], "2026-04-20")
        assert outcome(late)[:2] == [("01-01", S.MISSING, None), ("04-01", S.ON_TIME, 1)]

    def test_a_spare_item_after_the_deadline_meets_a_missed_period_late(self):
        rows = reckon(QUARTERLY, [item(1, "2026-04-11"), item(2, "2026-05-02")], "2026-05-20")
        assert outcome(rows)[:2] == [("01-01", S.LATE, 2), ("04-01", S.ON_TIME, 1)]
        assert rows[0].met_on == d("2026-05-02")

    def test_due_until_the_deadline_has_passed(self):
        assert outcome(reckon(QUARTERLY, [], "2026-04-10"))[0] == ("01-01", S.DUE, None)
        assert outcome(reckon(QUARTERLY, [], "2026-04-11"))[0] == ("01-01", S.MISSING, None)

    def test_a_unit_set_up_mid_quarter_owes_from_the_next_one(self):
        rows = reckon(QUARTERLY, [], "2026-07-20", unit_since="2026-02-01")
        assert [(row.period_start, row.status, row.not_applicable) for row in rows[:2]] == [
            (d("2026-01-01"), S.NOT_APPLICABLE, NotApplicableReason.UNIT_NEW), (d("2026-04-01"), S.MISSING, ""),
        ]

    def test_an_entry_added_mid_quarter_owes_from_the_next_one(self):
        rows = reckon(QUARTERLY, [], "2026-07-20", entry_since="2026-05-01")
        assert [(row.period_start, row.status, row.not_applicable) for row in rows[:2]] == [
            (d("2026-04-01"), S.NOT_APPLICABLE, NotApplicableReason.ENTRY_NEW), (d("2026-07-01"), S.DUE, ""),
        ]

    def test_an_exemption_covering_a_period_makes_it_not_applicable(self):
        exemption = Exemption(starts_on=d("2026-04-01"), ends_on=d("2026-06-30"), reason="村两委换届")
        rows = reckon(QUARTERLY, [], "2026-07-20", exemptions=[exemption])
        assert [(row.status, row.not_applicable) for row in rows[:2]] == [(S.MISSING, ""), (S.NOT_APPLICABLE, NotApplicableReason.EXEMPT)]

    def test_a_removed_item_counts_for_nothing_and_a_withdrawn_one_before_it_was_withdrawn(self):
        removed = reckon(QUARTERLY, [item(1, "2026-02-15", takedown=Takedown.REMOVED, takedown_date="2026-03-01")], "2026-04-20")
        assert outcome(removed)[0] == ("01-01", S.MISSING, None)
        withdrawn = reckon(QUARTERLY, [item(1, "2026-02-15", takedown=Takedown.WITHDRAWN, takedown_date="2026-03-01")], "2026-04-20")
        assert outcome(withdrawn)[0] == ("01-01", S.ON_TIME, 1)

    def test_an_item_that_names_its_quarter_meets_that_quarter_even_late(self):
        # Published in the fourth quarter, the third quarter's report makes the third quarter late, not the fourth on time.
        rows = reckon(QUARTERLY, [item(1, "2026-12-07", title="石桥镇2026年第三季度党费收缴使用情况公示")], "2026-12-08")
        assert outcome(rows)[2:4] == [("07-01", S.LATE, 1), ("10-01", S.DUE, None)]
        rows = reckon(QUARTERLY, [item(1, "2026-04-05", title="2026年一季度党费收缴情况"), item(2, "2026-04-08", title="党费收缴情况")], "2026-04-20")
        assert outcome(rows)[:2] == [("01-01", S.ON_TIME, 1), ("04-01", S.ON_TIME, 2)]

    def test_the_periods_titles_name(self):
        assert named_period("2026年第三季度党费收缴", 3) == Span(d("2026-07-01"), d("2026-09-30"))
        assert named_period("2026年4季度", 3) == Span(d("2026-10-01"), d("2026-12-31"))
        assert named_period("2026年9月主题党日", 1) == Span(d("2026-09-01"), d("2026-09-30"))
        assert named_period("2025年度述职述廉报告", 12) == Span(d("2025-01-01"), d("2025-12-31"))
        assert named_period("2026年第三季度", 1) is None and named_period("党费收缴情况", 3) is None
        assert named_period("2026年13月", 1) is None

    def test_monthly_and_yearly_periods(self):
        monthly = SimpleNamespace(timing=TimingKind.PERIODIC, period=Period.MONTH, deadline_days=None)
        rows = reckon(monthly, [item(1, "2026-02-09")], "2026-03-15")
        # 9 February is inside January's grace: January is met, February is missing once its grace ends (10 March).
        assert outcome(rows)[:3] == [("01-01", S.ON_TIME, 1), ("02-01", S.MISSING, None), ("03-01", S.DUE, None)]
        yearly = SimpleNamespace(timing=TimingKind.PERIODIC, period=Period.YEAR, deadline_days=None)
        assert outcome(reckon(yearly, [], "2027-01-11"))[0] == ("01-01", S.MISSING, None)
        assert outcome(reckon(yearly, [], "2027-01-10"))[0] == ("01-01", S.DUE, None)


class TestStanding:
    def test_every_publication_reconfirms_the_current_interval(self):
        rows = reckon(STANDING, [item(1, "2026-01-15", confirmations=["2026-01-15", "2026-08-03"])], "2026-09-01")
        assert outcome(rows) == [("01-01", S.ON_TIME, 1), ("07-01", S.ON_TIME, 1)]

    def test_an_interval_without_a_confirmation_is_missing_after_its_grace(self):
        rows = reckon(STANDING, [item(1, "2026-01-15")], "2027-01-11")
        assert outcome(rows)[:2] == [("01-01", S.ON_TIME, 1), ("07-01", S.MISSING, None)]

    def test_a_withdrawn_item_no_longer_confirms(self):
        rows = reckon(STANDING, [item(1, "2026-01-15", takedown=Takedown.WITHDRAWN, takedown_date="2026-03-01",
                                      confirmations=["2026-01-15", "2026-08-03"])], "2027-01-11")
        assert outcome(rows)[:2] == [("01-01", S.ON_TIME, 1), ("07-01", S.MISSING, None)]


class TestAdHoc:
    def test_each_event_is_owed_within_the_entrys_days(self):
        rows = reckon(AD_HOC, [item(1, "2026-03-08", document_date="2026-03-01"), item(2, "2026-03-09", document_date="2026-03-02"),
                               item(3, "2026-03-10", document_date="2026-03-02")], "2026-03-20")
        assert outcome(rows) == [("03-01", S.ON_TIME, 1), ("03-02", S.ON_TIME, 2), ("03-02", S.LATE, 3)]

    def test_a_draft_whose_deadline_passed_is_missing(self):
        draft = item(1, live=False, document_date="2026-03-01")
        assert outcome(reckon(AD_HOC, [draft], "2026-03-08")) == [("03-01", S.DUE, None)]
        assert outcome(reckon(AD_HOC, [draft], "2026-03-09")) == [("03-01", S.MISSING, None)]

    def test_events_before_tracking_and_removed_items_owe_nothing(self):
        assert reckon(AD_HOC, [item(1, "2025-12-20", document_date="2025-12-01")], "2026-03-01") == []
        assert reckon(AD_HOC, [item(1, "2026-03-02", document_date="2026-03-01", takedown=Takedown.REMOVED)], "2026-03-20") == []


class TestStages:
    def test_the_decision_is_owed_within_the_days_after_the_comment_deadline(self):
        pre = item(1, "2026-03-01", stage=Stage.PRE_DISCLOSURE, comment_deadline="2026-03-31")
        decision = item(2, "2026-04-20", stage=Stage.DECISION, previous=1)
        rows = reckon(STAGES, [pre, decision], "2026-05-05")
        assert [(row.subject_id, row.due_on, row.status, row.met_by_id) for row in rows] == [
            (1, d("2026-04-30"), S.ON_TIME, 2), (2, d("2026-05-20"), S.DUE, None),
        ]

    def test_a_matter_that_stopped_is_missing_and_the_entrys_own_days_apply(self):
        pre = item(1, "2026-03-01", stage=Stage.PRE_DISCLOSURE, comment_deadline="2026-03-31")
        assert outcome(reckon(STAGES, [pre], "2026-05-01")) == [("03-31", S.MISSING, None)]
        strict = SimpleNamespace(timing=TimingKind.PER_STAGE, period="", deadline_days=10)
        late = reckon(strict, [pre, item(2, "2026-04-20", stage=Stage.DECISION, previous=1)], "2026-04-25")
        assert [(row.subject_id, row.status) for row in late] == [(1, S.LATE), (2, S.DUE)]

    def test_a_result_ends_the_matter(self):
        assert reckon(STAGES, [item(1, "2026-03-01", stage=Stage.RESULT)], "2026-06-01") == []


# -- kept current by the change feed, and the same when rebuilt ------------------------------


@pytest.fixture
def county(db):
    tree = build_tree()
    # The units have existed since before the tracking began.
    type(tree.county).objects.filter(pk__in=[tree.county.pk, tree.township.pk, tree.village1.pk, tree.village2.pk, tree.township2.pk,
                                             tree.department.pk]).update(first_published_at=timezone.make_aware(datetime.datetime(2020, 1, 1)))
    SupervisionRules.objects.create(county=tree.county, tracking_start=d("2026-01-01"), **SupervisionRules.defaults())
    return tree


def rows_of(unit, entry):
    return list(Obligation.objects.filter(unit=unit, entry=entry).order_by("period_start", "pk"))


def snapshot():
    return sorted(
        (row.unit_id, row.entry_id, row.period_start, row.subject_id, row.section_id, row.status, row.met_by_id, row.due_on)
        for row in Obligation.objects.all()
    )


def test_publishing_and_removing_an_item_moves_its_obligation(county, monkeypatch):
    # 20 July 2026: the first quarter's report is on time, the second quarter's is missing.
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(datetime.datetime(2026, 7, 20, 12)))
    dues = county.entries["党费收缴使用"]
    report = make_item(county.village1, "东关村2026年第一季度党费收缴情况", catalogue_entry=dues, publish_date=d("2026-03-20"))
    rows = rows_of(county.village1, dues)
    assert [(row.period_start, row.status) for row in rows][:2] == [(d("2026-01-01"), S.ON_TIME), (d("2026-04-01"), S.MISSING)]
    assert rows[0].met_by_id == report.pk and rows[0].section_id == county.township.pk
    edit_and_publish(reload(report), takedown=Takedown.REMOVED, takedown_reason="误发")
    assert [row.status for row in rows_of(county.village1, dues)][:2] == [S.MISSING, S.MISSING]
    # A chase survives the re-reckoning.
    Obligation.objects.filter(unit=county.village1, entry=dues, period_start=d("2026-01-01")).update(chase_count=2)
    edit_and_publish(reload(report), takedown=Takedown.NONE, takedown_reason="")
    first = rows_of(county.village1, dues)[0]
    assert (first.status, first.chase_count) == (S.ON_TIME, 2)


def test_rebuilding_gives_what_the_change_feed_kept(county):
    today = timezone.localdate()
    make_item(county.township, "城关镇党费收缴情况", catalogue_entry=county.entries["党费收缴使用"], publish_date=today)
    make_item(county.department, "县财政局党员发展公示", catalogue_entry=county.entries["发展党员"], document_date=today)
    make_item(county.village2, "西关村工作制度", catalogue_entry=county.entries["工作制度和程序"], publish_date=today)
    kept = snapshot()
    touched = {(row[0], row[1]) for row in kept}
    assert len(touched) == 3
    # The rebuild adds the pairs the feed had no reason to touch, and changes nothing it kept.
    created, updated, deleted = obligations.rebuild(county.county)
    assert (updated, deleted) == (0, 0) and created > 0
    assert [row for row in snapshot() if (row[0], row[1]) in touched] == kept
    Obligation.objects.all().delete()
    obligations.rebuild(county.county)
    assert [row for row in snapshot() if (row[0], row[1]) in touched] == kept
    # Every unit of the county owes under every entry of its catalogue.
    assert Obligation.objects.values("unit").distinct().count() == 6


def test_an_item_moved_away_leaves_its_old_unit_owing(county):
    dues = county.entries["党费收缴使用"]
    report = make_item(county.village1, "东关村党费收缴情况", catalogue_entry=dues, publish_date=timezone.localdate())
    assert Obligation.objects.filter(unit=county.village1, entry=dues, met_by=report).exists()
    reload(report).move(county.village2, pos="last-child")
    assert not Obligation.objects.filter(unit=county.village1, entry=dues, met_by=report).exists()
    assert Obligation.objects.filter(unit=county.village2, entry=dues, met_by=report).exists()
