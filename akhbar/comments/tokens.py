"""Signed form tokens: when a comment form was opened, without a per-visitor secret in the page.

An article page may be served from a shared cache for hours, so it cannot
carry a CSRF token or a timestamp. Instead the form's token is fetched when a
reader first touches the form (``static/comments/comments.js`` calls
``/comments/token/``), or printed by the uncached form page. The token is the
issue time signed with ``SECRET_KEY`` (``django.core.signing``), so the server
can tell how long the form was open (minimum fill time, expiry) without
storing anything.
"""

import time
from dataclasses import dataclass

from django.core import signing

from . import conf

SALT = "akhbar.comments.form-token"


@dataclass(frozen=True)
class TokenCheck:
    """Outcome of ``check_token``: ``status`` is ``ok``, ``missing``, ``invalid``, ``expired`` or ``too_fast``.

    ``wait`` is the number of seconds still to wait when ``too_fast``.
    """

    status: str
    wait: int = 0

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def issue_token(now: float | None = None) -> str:
    """A new signed token stamped with ``now`` (seconds since the epoch, default: the current time)."""
    return signing.dumps({"t": round(now if now is not None else time.time(), 3)}, salt=SALT, compress=False)


def check_token(token: str, now: float | None = None) -> TokenCheck:
    """Check a token against ``AKHBAR_COMMENT_FORM_MAX_AGE`` and ``AKHBAR_COMMENT_MIN_SECONDS``."""
    now = now if now is not None else time.time()
    if not token:
        return TokenCheck("missing")
    try:
        issued = float(signing.loads(token, salt=SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return TokenCheck("invalid")
    age = now - issued
    if age > int(conf.get("AKHBAR_COMMENT_FORM_MAX_AGE")) or age < -60:
        return TokenCheck("expired")
    minimum = int(conf.get("AKHBAR_COMMENT_MIN_SECONDS"))
    if minimum > 0 and age < minimum:
        return TokenCheck("too_fast", wait=max(1, int(minimum - age + 0.999)))
    return TokenCheck("ok")
