"""Request ids and one log line per request, in JSON (production) or text (development).

``RequestLogMiddleware`` runs first: it takes the request id nginx sends in ``X-Request-ID``
(when it looks like one: letters, digits, ``-``, ``_``, ``.``, at most 100), else makes one,
echoes it in the response's ``X-Request-ID`` and writes one ``cms.request`` line per request
(method, path, status, duration, user id, remote address). Every record logged while the
request runs carries the id (``RequestContextFilter`` on the handler), so a 500's traceback,
which Django logs on ``django.request``, is found by the id the user's browser or nginx's
access log shows.

The JSON lines are python-json-logger's (``LOGGING`` in cms/settings/base.py chooses them
with ``LOG_FORMAT=json``).
"""

import contextvars
import logging
import re
import time
import uuid

logger = logging.getLogger("cms.request")

HEADER = "X-Request-ID"
VALID_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")
# Probes every few seconds: logged only when they fail.
QUIET_PATHS = {"/healthz", "/readyz"}

_request_id = contextvars.ContextVar("request_id", default=None)


def current_request_id():
    return _request_id.get()


def request_id_of(request):
    """The id nginx gave the request when it is a plausible one (it is echoed and logged), else a new one."""
    given = request.headers.get(HEADER, "")
    return given if VALID_ID.fullmatch(given) else uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = request_id_of(request)
        token = _request_id.set(request.id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.id
            if request.path not in QUIET_PATHS or response.status_code != 200:
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        "user_id": _user_id(request),
                        "remote_addr": request.META.get("REMOTE_ADDR"),
                        "forwarded_for": request.headers.get("X-Forwarded-For"),
                    },
                )
            return response
        finally:
            _request_id.reset(token)


def _user_id(request):
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except Exception:  # the session or user could not be read (the database is down): the line is still written
        return None


class RequestContextFilter(logging.Filter):
    """Adds the request id to every record, and makes Django's ``request`` extra loggable.

    ``django.request`` passes the request object itself; a JSON line takes its method and
    path instead of its repr.
    """

    def filter(self, record):
        request_id = current_request_id()
        if request_id is not None:
            record.request_id = request_id
        request = getattr(record, "request", None)
        if request is not None and not isinstance(request, str):
            record.method = getattr(request, "method", None)
            record.path = getattr(request, "path", None)
            del record.request
            if hasattr(record, "status_code"):
                record.status = record.status_code
                del record.status_code
        return True


class TextFormatter(logging.Formatter):
    """Development's lines: time, level, logger, message, and the request id when there is one."""

    def format(self, record):
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} [{request_id}]" if request_id else line


def logging_config(log_format, level):
    """Django's ``LOGGING``: everything to stderr, one JSON object a line (``json``) or text (``text``)."""
    from django.core.exceptions import ImproperlyConfigured

    if log_format not in ("json", "text"):
        raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, got {log_format!r}")
    level = level.upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {level!r}")
    formatters = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
        "text": {"()": "cms.request_log.TextFormatter", "format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "cms.request_log.RequestContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": log_format,
                "filters": ["request_context"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Django's own handlers (the console in DEBUG, mail to ADMINS) are replaced by the one above.
            "django": {"handlers": [], "level": level, "propagate": True},
            # 4xx are in the request line already; 5xx keep Django's record with the traceback.
            "django.request": {"level": "ERROR"},
            # runserver's own access log repeats the request line.
            "django.server": {"level": "WARNING"},
        },
    }
