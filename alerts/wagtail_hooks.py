"""Alerts in Wagtail: the public pages' subscribe panels and menu entry (panels.py)."""

from . import panels  # noqa: F401 (its hooks register on import)
