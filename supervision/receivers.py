"""Supervision follows the domain through its change feed: an item's change re-reckons the
obligations of its unit and entry (``obligations.py``)."""

from . import board  # noqa: F401 (its receivers move the 督办台's cached figures on)
