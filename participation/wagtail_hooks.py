"""Participation in Wagtail: the public pages' panels (panels.py) and the 意见办理 admin (admin_views.py)."""

from . import admin_views, panels  # noqa: F401 (their hooks register on import)
