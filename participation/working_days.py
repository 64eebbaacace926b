"""Working days (工作日): Monday to Friday, except the county's holidays, plus weekend days worked (调休)."""

from datetime import timedelta


def _exceptions(start, end):
    from .models import CalendarDay

    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "working"))


def is_working_day(day, exceptions=None):
    exceptions = _exceptions(day, day) if exceptions is None else exceptions
    return exceptions.get(day, day.weekday() < 5)


def add_working_days(start, days):
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    # Holidays are at most a few weeks long: a window of three times the days (plus a month) is enough.
    window_end = start + timedelta(days=days * 3 + 31)
    exceptions = _exceptions(start, window_end)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, exceptions):
            left -= 1
    return day


def working_days_between(start, end):
    """Working days after ``start`` up to ``end`` included (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=offset), exceptions))


def working_day_numbers(start, end):
    """Each date from ``start`` to ``end`` with the working days after ``start`` up to it (one query).

    ``working_days_between(a, b)`` is ``numbers[b] - numbers[a]`` for ``a <= b``: a difference
    of numbers, so the average handling time of many opinions needs the numbers of their dates
    only, not a count per opinion.
    """
    exceptions = _exceptions(start, end)
    numbers, count = {}, 0
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        if offset and is_working_day(day, exceptions):
            count += 1
        numbers[day] = count
    return numbers
