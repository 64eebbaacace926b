"""Calendar periods (month, quarter, year, and the county's standing interval) and their names."""

import datetime
import re
from dataclasses import dataclass

from disclosure_pages.choices import Period, TimingKind


@dataclass(frozen=True, order=True)
class Span:
    start: datetime.date
    end: datetime.date  # the last day, included


def add_months(day, months):
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_in(period):
    return {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}[Period(period)]


def span_containing(day, months):
    """The period of ``months`` months (aligned to 1 January) that holds ``day``."""
    first = datetime.date(day.year, 1, 1)
    index = ((day.month - 1) // months) * months
    start = add_months(first, index)
    return Span(start, add_months(start, months) - datetime.timedelta(days=1))


def spans_between(start, end, months):
    """The periods of ``months`` months from the one holding ``start`` to the one holding ``end``."""
    span = span_containing(start, months)
    while span.start <= end:
        yield span
        following = add_months(span.start, months)
        span = Span(following, add_months(following, months) - datetime.timedelta(days=1))


def quarter_of(day):
    return span_containing(day, 3)


def label_of(obligation):
    """The period of an obligation in words: 2026年5月, 2026年第3季度, 2026年, 2026年上半年, or a day."""
    start, end = obligation.period_start, obligation.period_end
    if obligation.timing in (TimingKind.AD_HOC, TimingKind.PER_STAGE):
        return f"{start:%Y-%m-%d}起"
    return span_label(start, end)


def span_label(start, end):
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months == 1:
        return f"{start.year}年{start.month}月"
    if months == 3 and start.month in (1, 4, 7, 10):
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if months == 6 and start.month in (1, 7):
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    if months == 12 and start.month == 1:
        return f"{start.year}年"
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"


# The period a periodic item reports on, as its title names it: 2026年第三季度, 2026年三季度,
# 2026年9月, 2026年度 / 2026年.
NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
NAMED_QUARTER = re.compile(r"(\d{4})\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度")
NAMED_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
NAMED_YEAR = re.compile(r"(\d{4})\s*年")


def named_period(title, months):
    """The month, quarter or year (by ``months``) that ``title`` names, as a Span, or None."""
    title = title or ""
    if months == 3 and (match := NAMED_QUARTER.search(title)):
        start = datetime.date(int(match[1]), 3 * NUMERALS[match[2]] - 2, 1)
    elif months == 1 and (match := NAMED_MONTH.search(title)) and 1 <= int(match[2]) <= 12:
        start = datetime.date(int(match[1]), int(match[2]), 1)
    elif months == 12 and (match := NAMED_YEAR.search(title)):
        start = datetime.date(int(match[1]), 1, 1)
    else:
        return None
    return Span(start, add_months(start, months) - datetime.timedelta(days=1))
