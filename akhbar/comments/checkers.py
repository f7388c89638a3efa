"""The hook for an external spam checker (off by default).

``AKHBAR_COMMENT_CHECKER`` names a callable (dotted path) that takes a
``CheckRequest`` and returns a ``Verdict``. ``AkismetChecker`` speaks the
Akismet ``comment-check`` protocol (https://akismet.com/developers/comment-check/),
which other services implement too; enable it with
``AKHBAR_COMMENT_CHECKER=akhbar.comments.checkers.AkismetChecker`` and
``AKHBAR_AKISMET_KEY``. Enabling a checker sends the comment, name, email and
IP address to that service: say so in the site's privacy notice.

A checker that fails (timeout, HTTP error, exception) gives ``UNSURE``, which
holds the comment for moderation: a broken checker never publishes spam and
never loses a comment.
"""

import enum
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.utils.module_loading import import_string

from . import conf

logger = logging.getLogger(__name__)


class Verdict(enum.Enum):
    HAM = "ham"
    SPAM = "spam"
    UNSURE = "unsure"


@dataclass(frozen=True)
class CheckRequest:
    """What a checker may look at. ``permalink`` is the article's absolute URL."""

    permalink: str
    name: str
    email: str
    body: str
    ip: str | None
    user_agent: str
    referrer: str
    language: str
    site_url: str


def get_checker():
    """The configured checker callable, or ``None`` when the hook is off."""
    path = conf.get("AKHBAR_COMMENT_CHECKER")
    if not path:
        return None
    checker = import_string(path)
    return checker() if isinstance(checker, type) else checker


def run_checker(request: CheckRequest) -> Verdict | None:
    """Ask the configured checker; ``None`` when off, ``UNSURE`` when it fails."""
    checker = get_checker()
    if checker is None:
        return None
    try:
        verdict = checker(request)
    except Exception:  # a third-party service must never break posting
        logger.exception("comment checker failed")
        return Verdict.UNSURE
    return verdict if isinstance(verdict, Verdict) else Verdict.UNSURE


class AkismetChecker:
    """Akismet-compatible ``comment-check`` over HTTPS (``AKHBAR_AKISMET_URL``, ``AKHBAR_AKISMET_KEY``).

    The service answers ``true`` (spam) or ``false`` (ham); a ``X-akismet-pro-tip:
    discard`` header also means spam. Anything else is ``UNSURE``.
    """

    def __init__(self, url: str | None = None, key: str | None = None, timeout: float | None = None):
        self.url = url or conf.get("AKHBAR_AKISMET_URL")
        self.key = key if key is not None else conf.get("AKHBAR_AKISMET_KEY")
        self.timeout = float(timeout if timeout is not None else conf.get("AKHBAR_COMMENT_CHECKER_TIMEOUT"))

    def payload(self, request: CheckRequest) -> dict[str, str]:
        return {
            "api_key": self.key,
            "blog": request.site_url,
            "user_ip": request.ip or "",
            "user_agent": request.user_agent,
            "referrer": request.referrer,
            "permalink": request.permalink,
            "comment_type": "comment",
            "comment_author": request.name,
            "comment_author_email": request.email,
            "comment_content": request.body,
            "blog_lang": request.language,
            "blog_charset": "UTF-8",
        }

    def __call__(self, request: CheckRequest) -> Verdict:
        if not self.key:
            logger.warning("AkismetChecker is enabled but AKHBAR_AKISMET_KEY is empty")
            return Verdict.UNSURE
        data = urllib.parse.urlencode(self.payload(request)).encode("utf-8")
        http_request = urllib.request.Request(
            self.url, data=data, headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "akhbar/1"}
        )
        try:
            with urllib.request.urlopen(http_request, timeout=self.timeout) as response:  # noqa: S310 (https URL from settings)
                answer = response.read(64).decode("ascii", "replace").strip()
                pro_tip = response.headers.get("X-akismet-pro-tip", "")
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.warning("comment checker unreachable: %s", exc)
            return Verdict.UNSURE
        if answer == "true":
            return Verdict.SPAM
        if answer == "false" and pro_tip != "discard":
            return Verdict.HAM
        if pro_tip == "discard":
            return Verdict.SPAM
        return Verdict.UNSURE
