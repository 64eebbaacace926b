"""Rate limiting per client: 429 with Retry-After, counted in Django's cache.

A member's app is counted by its token, anyone else by address (behind a reverse proxy,
set ``API_NUM_PROXIES`` so that the address is the client's, not the proxy's). Counting is
by fixed window with the cache's atomic ``incr`` — one cache operation a request, correct
across processes with Redis — rather than DRF's per-client list of timestamps, rewritten
on every request. The rates are read from settings on each request.
"""

import math
import time

from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from .conf import app_settings

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate):
    """``"120/min"`` → ``(120, 60)``; an empty rate means no limit (None)."""
    if not rate:
        return None
    number, period = rate.split("/")
    return int(number), PERIODS[period]


class ClientRateThrottle(BaseThrottle):
    # Counted apart from the other scopes: a subclass with a stricter rate for some endpoints
    # names its own scope and ``rate``.
    scope = ""

    def rate(self, request):
        return app_settings.SUNSHINE_API_RATE_MEMBER if request.auth is not None else app_settings.SUNSHINE_API_RATE_ANON

    def allow_request(self, request, view):
        member = request.auth is not None
        limit = parse_rate(self.rate(request))
        if limit is None:
            return True
        allowed, period = limit
        now = time.time()
        window = int(now // period)
        client = f"token{request.auth.pk}" if member else self.get_ident(request)
        key = f"api:throttle{self.scope and ':' + self.scope}:{client}:{period}:{window}"
        cache.add(key, 0, period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, period + 1)
            count = 1
        self.retry_after = math.ceil((window + 1) * period - now)
        return count <= allowed

    def wait(self):
        return self.retry_after
