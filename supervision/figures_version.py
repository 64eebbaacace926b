"""One version for supervision's cached figures (the 督办台 and the public 绩效评估 page).

Every write to what they read moves it on (``receivers.py``: obligations, evaluation rounds
and results, findings; the engine's bulk writes through ``obligations_changed``), so a change
is in the next request of every process that shares the cache (Redis in production). The
version is a random token: an evicted key never brings old figures back.
"""

import uuid

from django.core.cache import cache

KEY = "supervision:figures:version"
# Seconds cached figures are kept at most, should a writer bypass the signals.
CACHE_SECONDS = 300


def current():
    token = cache.get(KEY)
    if token is None:
        cache.add(KEY, uuid.uuid4().hex, None)
        token = cache.get(KEY)
    return token


def move_on():
    cache.set(KEY, uuid.uuid4().hex, None)
