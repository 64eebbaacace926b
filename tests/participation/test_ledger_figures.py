"""The ledger's figures on a crafted set (ledger_helpers.py): every number exact."""

from datetime import date

import pytest
from django.utils import timezone

from participation import figures
from participation.figures import Period
from participation.working_days import working_days_between

from .helpers import built_once, fresh
from .ledger_helpers import TODAY, build_ledger

pytestmark = pytest.mark.django_db

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))


ledger_once = built_once(build_ledger)


@pytest.fixture
def county(ledger_once, db):
    return fresh(ledger_once)


def test_a_townships_section_for_a_month(county):
    ledger = figures.ledger(county.township, MARCH, today=TODAY)
    totals = ledger.totals
    assert (totals.received, totals.closed, totals.in_progress, totals.answered, totals.not_adopted, totals.not_feasible) == (8, 1, 5, 1, 1, 1)
    assert (totals.satisfied, totals.basic, totals.unsatisfied, totals.satisfaction_rate) == (1, 1, 1, 66.7)
    assert (totals.sent_back, totals.ever_answered, totals.sent_back_rate) == (1, 4, 25.0)
    # Due: 1, 2 and 4 answered, 3 overdue; on time: 1 (at 23:30 on its deadline, local time) and 4 —
    # not 2, answered at 00:30 local the day after (still the deadline's date in UTC).
    assert (totals.due, totals.on_time, totals.on_time_rate) == (4, 2, 50.0)
    assert totals.hidden_total == 1 and [(str(label), count) for label, count in totals.hidden_by_reason()] == [("广告灌水", 1)]
    assert totals.average_days == 1.8  # 2, 4, 1, 0 working days (03-09 a holiday)
    assert [(month.month, month.received, month.closed) for month in ledger.months] == [(date(2026, 3, 1), 8, 1)]
    assert ledger.states[0][1] == 4 and [count for _, count in ledger.states] == [4, 1, 1, 1, 1]


def test_the_average_agrees_with_working_days_between(county):
    o = county.opinions
    days = [working_days_between(x.received_on, timezone.localtime(x.answered_at).date())
            for x in (o.closed, o.not_feasible, o.answered, o.not_adopted)]
    assert days == [2, 4, 1, 0]
    assert figures.ledger(county.township, MARCH, today=TODAY).totals.average_days == round(sum(days) / 4, 1)


def test_breakdown_by_sub_unit_and_the_units_own(county):
    ledger = figures.ledger(county.township, MARCH, today=TODAY)
    rows = {child.title: (row.received, row.closed, row.in_progress, row.not_feasible) for child, row in ledger.breakdown}
    assert rows == {"东关村党支部": (2, 0, 1, 1), "西关村党支部": (2, 0, 2, 0)}
    assert (ledger.own.received, ledger.own.closed, ledger.own.not_adopted, ledger.own.hidden_total) == (4, 1, 1, 1)


def test_county_wide_and_other_periods(county):
    county_ledger = figures.ledger(county.county, MARCH, today=TODAY)
    assert county_ledger.totals.received == 9
    assert {child.title: row.received for child, row in county_ledger.breakdown} == {
        "中共城关镇委员会": 8, "中共石桥镇委员会": 1, "县财政局党组": 0}
    assert figures.ledger(county.township, Period(), today=TODAY).totals.received == 9  # February's too
    assert figures.ledger(county.township, Period(date(2026, 2, 1), date(2026, 2, 28)), today=TODAY).totals.received == 1
    assert figures.ledger(county.village2, MARCH, today=TODAY).totals.received == 2
    empty = figures.ledger(county.township, Period(date(2025, 1, 1), date(2025, 1, 31)), today=TODAY).totals
    assert (empty.received, empty.on_time_rate, empty.satisfaction_rate, empty.average_days) == (0, None, None, None)


def test_months_are_filled_and_presets_start_where_they_should(county):
    ledger = figures.ledger(county.township, Period(date(2026, 1, 1), date(2026, 3, 31)), today=TODAY)
    assert [(month.month.month, month.received) for month in ledger.months] == [(1, 0), (2, 1), (3, 8)]
    assert Period.preset("month", TODAY) == Period(date(2026, 3, 1), TODAY)
    assert Period.preset("quarter", date(2026, 5, 9)) == Period(date(2026, 4, 1), date(2026, 5, 9))
    assert Period.preset("year", TODAY) == Period(date(2026, 1, 1), TODAY)


def test_the_public_list_holds_published_public_opinions_only(county):
    o = county.opinions
    listed = set(figures.public_opinions(county.township, MARCH))
    assert listed == {o.closed, o.not_feasible, o.overdue, o.answered, o.received, o.not_adopted}
    assert set(figures.public_opinions(county.township, MARCH, state="closed")) == {o.closed}
    assert set(figures.public_opinions(county.township, MARCH, channel="box")) == {o.not_feasible}
    assert set(figures.public_opinions(county.township, MARCH, item=county.pre_item)) == {o.closed}
    for hidden in (o.hidden, o.members_only, o.item_private, o.merged, o.pending):
        assert figures.public_opinion(hidden.number) is None
    assert figures.public_opinion(o.closed.number) == o.closed


def test_the_figures_take_a_few_queries_whatever_the_number_of_opinions(county, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        figures.ledger(county.county, MARCH, today=TODAY)
