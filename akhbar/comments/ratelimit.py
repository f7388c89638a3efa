"""Fixed-window rate limits in the Django cache (shared between workers when the cache is Redis).

Keys hold an HMAC of the address, never the address itself, so the cache does
not store commenters' emails or IPs in clear.
"""

import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from . import conf

KEY_PREFIX = "comments:rate"


def _key(scope: str, value: str, rate: conf.Rate, window: int) -> str:
    digest = salted_hmac("akhbar.comments.rate", f"{scope}:{value}").hexdigest()[:32]
    return f"{KEY_PREFIX}:{scope}:{digest}:{rate.limit}/{rate.period}:{window}"


def hit(identities: dict[str, str], now: float | None = None) -> int:
    """Count one comment for each ``{scope: value}`` identity (e.g. ``{"ip": ..., "email": ...}``).

    Returns 0 when every configured rate still allows it, otherwise the number
    of seconds until the exceeded window ends (a ``Retry-After`` value). An
    exceeded identity is still counted. Empty values are skipped. With
    ``AKHBAR_COMMENT_RATE=0`` nothing is counted and the result is always 0.
    """
    now = now if now is not None else time.time()
    retry_after = 0
    for rate in conf.rates():
        window = int(now // rate.period)
        for scope, value in identities.items():
            if not value:
                continue
            key = _key(scope, value, rate, window)
            if cache.add(key, 1, timeout=rate.period + 1):
                count = 1
            else:
                try:
                    count = cache.incr(key)
                except ValueError:  # expired between add() and incr()
                    cache.add(key, 1, timeout=rate.period + 1)
                    count = 1
            if count > rate.limit:
                retry_after = max(retry_after, int((window + 1) * rate.period - now) + 1)
    return retry_after
