"""A per-client limit for the public verification pages (/verify/ and its QR links), which anyone
may open without an account: counted in Django's cache (Redis when configured, so every worker
shares it) by the client's address as the project reads it (audit.middleware.client_ip)."""

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from audit.middleware import client_ip


def _limit(rate: str | None = None) -> tuple[int, int]:
    """(requests, seconds) from `rate` or settings.VERIFY_THROTTLE_RATE, e.g. "30/minute"."""
    count, _, period = (rate or settings.VERIFY_THROTTLE_RATE).partition("/")
    seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}[period.strip() or "minute"]
    return int(count), seconds


def over_limit(request, scope: str, rate: str | None = None) -> int:
    """0 when the client may go on; else the seconds to wait. Each call counts one request
    against `rate` ("5/hour"; VERIFY_THROTTLE_RATE when not given)."""
    count, seconds = _limit(rate)
    window = int(time.time() // seconds)
    key = f"throttle:{scope}:{client_ip(request) or 'unknown'}:{window}"
    if cache.add(key, 1, timeout=seconds + 1):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=seconds + 1)
            used = 1
    if used <= count:
        return 0
    return max(1, seconds - int(time.time()) % seconds)


def public_throttle(scope: str):
    """Refuse a client past its limit with the "too many requests" page (429, Retry-After)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = over_limit(request, scope)
            if wait:
                response = render(request, "429.html", {"retry_after": wait}, status=429)
                response["Retry-After"] = str(wait)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
