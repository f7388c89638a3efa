"""Security headers for public pages (CSP, Permissions-Policy)."""

from django.conf import settings

#: ``Permissions-Policy`` of public pages (also emitted by ``akhbar nginx-config`` for mirrored pages).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    """Adds ``Content-Security-Policy`` and ``Permissions-Policy`` to public responses.

    The Wagtail admin (``/admin/``) is left to Wagtail, which needs inline
    scripts; public pages have no inline script or style at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            if settings.AKHBAR_CSP:
                response.headers.setdefault("Content-Security-Policy", settings.AKHBAR_CSP)
            response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
