"""Errors as the API answers them: ``{"code": …, "message": …}``, never an HTML page.

``code`` is for programs and never changes; ``message`` is for people, in the requested
script. Every path under /api/ answers so, whatever fails: DRF's exceptions through
``exception_handler``; anything else (a bug, the database unreachable, a failing middleware)
through Django's ``handler500``/``handler404``, which the root urlconf points here and which
keep Django's HTML pages for the portal.
"""

import sys

from django.db import DatabaseError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response

from disclosure_pages.templatetags.portal_tags import in_script


class ApiError(exceptions.APIException):
    """An error with a stable machine-readable ``code`` and a Chinese ``message``."""

    def __init__(self, code, message, status_code=status.HTTP_400_BAD_REQUEST, errors=None):
        super().__init__(message, code)
        self.code, self.message, self.status_code, self.errors = code, message, status_code, errors


def not_found(message="未找到该资源。", code="not_found"):
    return ApiError(code, message, status.HTTP_404_NOT_FOUND)


def error_body(code, message, errors=None):
    body = {"code": code, "message": in_script(message)}
    if errors:
        body["errors"] = errors
    return body


# DRF's own exceptions, by class, with the code and message the API gives them.
KNOWN = [
    (exceptions.NotAuthenticated, "not_authenticated", "需要提供访问令牌。"),
    (exceptions.AuthenticationFailed, "invalid_token", "访问令牌无效或已过期。"),
    (exceptions.PermissionDenied, "permission_denied", "没有权限访问。"),
    (exceptions.NotFound, "not_found", "未找到该资源。"),
    (exceptions.MethodNotAllowed, "method_not_allowed", "不支持该请求方法。"),
    (exceptions.NotAcceptable, "not_acceptable", "无法提供所请求的格式，请接受 application/json。"),
    (exceptions.UnsupportedMediaType, "unsupported_media_type", "不支持该请求内容类型。"),
    (exceptions.ParseError, "parse_error", "请求格式有误。"),
]


def exception_handler(exc, context):
    """DRF's exception handler for every API view."""
    if isinstance(exc, Http404):
        exc = not_found()
    if isinstance(exc, ApiError):
        response = Response(error_body(exc.code, exc.message, exc.errors), status=exc.status_code)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        response = Response(
            {**error_body("throttled", f"请求过于频繁，请 {wait} 秒后再试。"), "retry_after": wait},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )
    elif isinstance(exc, exceptions.APIException):
        code, message = next(
            ((code, message) for cls, code, message in KNOWN if isinstance(exc, cls)), ("error", "请求无法处理。")
        )
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        response = Response(error_body(code, message), status=exc.status_code, headers=headers)
    else:
        return None  # a bug: Django's 500 handler and logging take it
    response["Cache-Control"] = "no-store"
    return response


def keep_404s(request):
    """Keep the API's 404 answers from becoming redirects into the portal.

    The portal's pages sit under language prefixes (``i18n_patterns``), so Django's
    LocaleMiddleware answers any 404 by redirecting to the same path under /zh-hans/, where
    Wagtail's catch-all page route "finds" it. The API has no prefixes (the script is a
    parameter): telling the middleware that this request was routed by ``api.urls``, which
    uses none, leaves its 404s alone. The request has been routed already, so nothing else
    changes.
    """
    request.urlconf = "api.urls"


def unknown_endpoint(request, *args, **kwargs):
    """Any path under /api/ that names no endpoint: JSON 404, not the portal's HTML page."""
    keep_404s(request)
    hint = "" if request.path.endswith("/") else "接口地址都以 / 结尾。"
    return JsonResponse(
        error_body("unknown_endpoint", f"没有这个接口。{hint}请查看 /api/docs/。"),
        status=404,
        json_dumps_params={"ensure_ascii": False},
        headers={"Cache-Control": "no-store"},
    )


def is_api_path(path):
    return path == "/api" or path.startswith("/api/")


def _json(status, code, message, **headers):
    return JsonResponse(
        error_body(code, message),
        status=status,
        json_dumps_params={"ensure_ascii": False},
        headers={"Cache-Control": "no-store", **headers},
    )


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    """``handler500``: under /api/, JSON — 503 when the database failed (unreachable, or
    refusing connections), else 500 — with nothing of the exception; elsewhere Django's page.

    Django calls it while handling the exception (its log has the traceback), so the
    exception is still ``sys.exc_info()``.
    """
    if not is_api_path(request.path):
        return defaults.server_error(request, template_name)
    keep_404s(request)
    if isinstance(sys.exc_info()[1], DatabaseError):
        return _json(503, "service_unavailable", "服务暂时不可用，请稍后再试。", **{"Retry-After": "30"})
    return _json(500, "server_error", "服务器内部错误，请稍后再试。")


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    """``handler404``: under /api/, JSON (and no redirect into the portal); elsewhere Django's page."""
    if not is_api_path(request.path):
        return defaults.page_not_found(request, exception, template_name)
    keep_404s(request)
    return _json(404, "not_found", "未找到该资源。")


def bad_request(request):
    """A 400 for a parameter a query could not hold (``cms.middleware.BadInputMiddleware``)."""
    keep_404s(request)
    return _json(400, "invalid_parameter", "参数有误：数值超出范围或格式不对。")
