"""Bad input is the client's mistake, also where no view checks it.

The project's own routes check their integers and dates before any query (``disclosure_pages.params``).
Wagtail's and Django's own views (the admin's choosers, reports, its internal API) take
query parameters to the database as given: a number past the database's integers is an
``OverflowError`` on SQLite and a ``DataError`` on PostgreSQL, a non-number a ``ValueError``
from the field. Those exceptions, raised while answering a GET, are the request's fault:
this answers them 400 (JSON under /api/, a short page elsewhere) instead of a 500, and logs
a warning. Any other exception is left to Django's 500 handling.
"""

import logging

from django.db import DataError, IntegrityError
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

# What the database layer says of a value it cannot hold (SQLite, PostgreSQL).
_OUT_OF_RANGE = ("datatype mismatch", "out of range", "too large")


def is_bad_input(exception):
    """Whether ``exception`` is a query refusing a value the request gave."""
    if isinstance(exception, OverflowError):
        return True
    if isinstance(exception, (ValueError, TypeError)):
        return "expected a number but got" in str(exception)  # Django's fields, preparing a lookup
    if isinstance(exception, (DataError, IntegrityError)):
        return any(words in str(exception) for words in _OUT_OF_RANGE)
    return False


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.method not in ("GET", "HEAD") or not is_bad_input(exception):
            return None
        logger.warning("Bad input, answered 400: %s %s (%s: %s)", request.method, request.get_full_path(), type(exception).__name__, exception)
        from api.errors import bad_request, is_api_path

        if is_api_path(request.path):
            return bad_request(request)
        return TemplateResponse(request, "400.html", status=400, headers={"Cache-Control": "no-store"})
