"""Who sent a request: the client's IP behind trusted proxies, and whether a POST came from our own pages."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware

from . import conf


def client_ip(request) -> str | None:
    """The client's IP address.

    With ``AKHBAR_PROXY_COUNT=N`` (N trusted reverse proxies, each appending to
    ``X-Forwarded-For``), the N-th address from the right is used; otherwise
    ``REMOTE_ADDR``. Returns ``None`` when no valid address is known.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = int(conf.get("AKHBAR_PROXY_COUNT"))
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _allowed_origins(request) -> set[str]:
    """This request's own origin, the site's ``AKHBAR_BASE_URL`` and ``CSRF_TRUSTED_ORIGINS`` (no wildcards)."""
    origins = {f"{request.scheme}://{request.get_host()}", _origin_of(getattr(settings, "AKHBAR_BASE_URL", ""))}
    origins.update(o.rstrip("/") for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", []) if "*" not in o)
    origins.discard("")
    return origins


def is_same_origin(request) -> bool:
    """True when the ``Origin`` header (or, without one, the ``Referer``) names this site
    (see ``_allowed_origins``).

    Browsers send ``Origin`` with every cross-site form POST (Fetch standard), so
    a form on another site cannot pass this check. ``Origin: null`` and a
    request with neither header fail it.
    """
    origin = request.META.get("HTTP_ORIGIN")
    if origin and origin != "null":
        return origin.rstrip("/") in _allowed_origins(request)
    referer = request.META.get("HTTP_REFERER")
    if not origin and referer:
        try:
            return _origin_of(referer) in _allowed_origins(request)
        except ValueError:
            return False
    return False


def _no_response(request):  # CsrfViewMiddleware needs a get_response it never calls here
    raise AssertionError("unused")


def has_valid_csrf_token(request) -> bool:
    """True when the request carries Django's CSRF cookie and a matching form token."""
    checker = CsrfViewMiddleware(_no_response)
    checker.process_request(request)
    return checker.process_view(request, _csrf_probe, (), {}) is None


def _csrf_probe(request):
    """Placeholder view for ``has_valid_csrf_token`` (never called)."""
