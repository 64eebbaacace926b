"""Wagtail search backends that also index disclosure items for the public search (see search.service)."""
