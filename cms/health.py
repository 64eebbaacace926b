"""``/healthz`` (the process answers) and ``/readyz`` (what it needs answers too), as JSON, never cached.

``/readyz`` checks the database, the cache, each search engine (a database search backend
is the database), the task workers (one seen alive lately, when tasks wait in the database
for workers) and the outboxes (how long their oldest row has waited). 200 when every check
passes, else 503; each check says its status and, when it failed, why in a few words. Nothing
from settings (addresses, names, passwords) or from the exceptions' messages is shown.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from modelsearch.backends import get_search_backend

from .conf import app_settings
from .workers import heartbeat_timeout, last_heartbeat, outboxes, uses_database_queue

ENGINE_TIMEOUT_SECONDS = 2


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    checks = {"database": _run(check_database), "cache": _run(check_cache)}
    for name in settings.WAGTAILSEARCH_BACKENDS:
        checks[f"search:{name}"] = _run(check_search_backend, name)
    checks["worker"] = _run(check_worker)
    for outbox in outboxes():
        checks[f"outbox:{outbox.name}"] = _run(check_outbox, outbox)
    ready = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if ready else "fail", "checks": checks}, status=200 if ready else 503)


def _run(check, *args):
    started = time.perf_counter()
    try:
        result = check(*args)
    except Exception as error:  # the check's answer is "failed", with the kind of error only (no details: they may name hosts)
        result = {"status": "fail", "error": type(error).__name__}
    result["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _fail(error, **details):
    return {"status": "fail", "error": error, **details}


def _age_seconds(moment, now):
    return None if moment is None else max(0, round((now - moment).total_seconds()))


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok"}


def check_cache():
    key, token = "readyz-probe", uuid.uuid4().hex
    cache.set(key, token, 10)
    return {"status": "ok"} if cache.get(key) == token else _fail("the cache did not keep a value")


def check_search_backend(name):
    backend = get_search_backend(name)
    client = getattr(backend, "es", None)
    if client is None:
        return {"status": "ok", "engine": "database"}
    if hasattr(client, "options"):  # elasticsearch-py 8
        answered = client.options(request_timeout=ENGINE_TIMEOUT_SECONDS).ping()
    else:  # opensearch-py
        answered = client.ping(request_timeout=ENGINE_TIMEOUT_SECONDS)
    return {"status": "ok", "engine": "engine"} if answered else _fail("the search engine did not answer", engine="engine")


def check_worker():
    if not uses_database_queue():
        return {"status": "ok", "queue": "none (tasks run where they are enqueued)"}
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    seen = last_heartbeat()
    oldest_ready = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    result = {
        "status": "ok",
        "last_heartbeat_age_s": _age_seconds(seen, now),
        "oldest_queued_task_age_s": _age_seconds(oldest_ready, now),
    }
    if seen is None or now - seen > heartbeat_timeout():
        result.update(status="fail", error="no task worker seen alive lately")
    return result


def check_outbox(outbox):
    now = timezone.now()
    age = _age_seconds(outbox.oldest_pending_at(), now)
    result = {"status": "ok", "oldest_pending_age_s": age}
    if age is not None and age > app_settings.SUNSHINE_OUTBOX_MAX_AGE_SECONDS:
        result.update(status="fail", error=f"waiting longer than {app_settings.SUNSHINE_OUTBOX_MAX_AGE_SECONDS} s")
    return result

