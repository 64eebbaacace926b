"""Supervision follows the domain through its change feed: an item's change re-reckons the
obligations of its unit and entry (``obligations.py``)."""
