"""Integers and dates from requests, checked before they reach a query.

One set of bounds for every route: the API's parameters (``api.filters``), its ids in paths,
the portal's ``?unit=`` and catalogue entries, the search endpoint's unit ids. Out of range is
the client's mistake, never a 500:

- SQLite's driver cannot hold an integer past 2**63 (``OverflowError``), and lookups through a
  page's ``page_ptr`` get none of Django's out-of-range protection; ids are 32-bit here anyway;
- ``str.isdigit`` and ``int`` take digits of any script (``"²"``, ``"１２"``, ``"١٢"``): only
  ASCII digits are an id;
- a date in year 1 overflows the time-zone arithmetic (Asia/Shanghai is ahead of UTC), one in
  year 9999 has no room for the next day: dates are kept to 1900–2100.
"""

import re
from datetime import date, datetime

MAX_ID = 2**31 - 1
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)

_ASCII_DIGITS = re.compile(r"[0-9]{1,20}")

ID_MESSAGE = f"须为 1 至 {MAX_ID} 之间的整数。"
DATE_MESSAGE = f"日期须在 {MIN_DATE:%Y-%m-%d} 至 {MAX_DATE:%Y-%m-%d} 之间。"


def positive_int(value, maximum=MAX_ID):
    """``value`` (text or int) as an int from 1 to ``maximum``; None for anything else
    (empty, signs, spaces, non-ASCII digits, zero, too big)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 1 <= number <= maximum else None


def is_id(value):
    """Whether ``value`` can be a row's id (1 … ``MAX_ID``)."""
    return positive_int(value) is not None


def looks_numeric(value):
    """Whether ``value`` is ASCII digits (an id, in range or not), as opposed to a code."""
    return isinstance(value, str) and value.isascii() and value.isdigit()


def sane_date(value):
    """Whether a date (or a datetime, by its own calendar date) lies within the bounds."""
    if isinstance(value, datetime):
        value = value.date()
    return isinstance(value, date) and MIN_DATE <= value <= MAX_DATE


def parse_date(value):
    """``YYYY-MM-DD`` within the bounds, or None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return None
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return None
    return parsed if sane_date(parsed) else None
