"""Supervision's own signal: its aggregates changed (figures and caches that read them move on)."""

from django.dispatch import Signal

# Sent after obligations were written or rolled over, with no arguments.
obligations_changed = Signal()
