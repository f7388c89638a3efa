"""Comment settings, read from ``django.conf.settings`` at call time (never at import).

Every value has a default here, so the app works even when a settings module
does not define it; ``akhbar/settings/base.py`` reads them from the environment
(see docs/comments.md for the list).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULTS = {
    "AKHBAR_COMMENTS_ENABLED": True,
    "AKHBAR_COMMENT_RATE": "5/m,30/h",
    "AKHBAR_COMMENT_MIN_SECONDS": 3,
    "AKHBAR_COMMENT_FORM_MAX_AGE": 86400,
    "AKHBAR_COMMENT_MAX_LENGTH": 5000,
    "AKHBAR_COMMENT_MAX_LINKS": 2,
    "AKHBAR_COMMENT_DUPLICATE_HOURS": 24,
    "AKHBAR_COMMENT_TRUSTED_AFTER": 0,
    "AKHBAR_COMMENTS_CLOSE_AFTER_DAYS": 30,
    "AKHBAR_COMMENTS_PER_PAGE": 50,
    "AKHBAR_COMMENT_MAX_DEPTH": 3,
    "AKHBAR_COMMENT_CHECKER": "",
    "AKHBAR_AKISMET_KEY": "",
    "AKHBAR_AKISMET_URL": "https://rest.akismet.com/1.1/comment-check",
    "AKHBAR_COMMENT_CHECKER_TIMEOUT": 3.0,
    "AKHBAR_COMMENT_IP_RETENTION_DAYS": 30,
    "AKHBAR_PROXY_COUNT": 0,
}

#: Length limit of a commenter's name, in characters (after normalisation).
NAME_MAX_LENGTH = 80
#: Shortest comment accepted, in characters (after normalisation).
BODY_MIN_LENGTH = 2
#: Deepest thread ``Comment.thread_path`` can hold.
MAX_DEPTH_LIMIT = 8


def get(name: str):
    """The setting ``name``, or its default from ``DEFAULTS``."""
    return getattr(settings, name, DEFAULTS[name])


@dataclass(frozen=True)
class Rate:
    """``limit`` events per ``period`` seconds."""

    limit: int
    period: int


_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rates(value: str) -> list[Rate]:
    """Parse ``"5/m"``, ``"5/m,30/h"`` or ``"10/15m"`` into ``Rate`` objects.

    ``"0"``, ``"off"`` or an empty string switch rate limiting off (``[]``).
    A ``0/...`` item is ignored. Raises ``ImproperlyConfigured`` for anything
    else, so a typo in the environment fails loudly instead of disabling limits.
    """
    text = str(value or "").strip().lower()
    if text in {"", "0", "off", "none"}:
        return []
    rates = []
    for item in text.split(","):
        match = _RATE_RE.match(item)
        if not match:
            raise ImproperlyConfigured(
                f"AKHBAR_COMMENT_RATE item {item!r} is not N/unit (unit s, m, h or d, e.g. 5/m or 30/h), or 0 for off"
            )
        limit, multiplier, unit = int(match[1]), int(match[2] or 1), match[3]
        if limit == 0:
            continue
        if multiplier == 0:
            raise ImproperlyConfigured(f"AKHBAR_COMMENT_RATE item {item!r} has a zero period")
        rates.append(Rate(limit, multiplier * _UNIT_SECONDS[unit]))
    return rates


def rates() -> list[Rate]:
    """The configured rate limits (empty when switched off)."""
    return parse_rates(get("AKHBAR_COMMENT_RATE"))


def max_depth() -> int:
    """How many levels a thread may have (1 = no replies), between 1 and ``MAX_DEPTH_LIMIT``."""
    return min(MAX_DEPTH_LIMIT, max(1, int(get("AKHBAR_COMMENT_MAX_DEPTH"))))


def per_page() -> int:
    """Comments per page of a thread listing; at least 5."""
    return max(5, int(get("AKHBAR_COMMENTS_PER_PAGE")))
