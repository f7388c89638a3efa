"""Redirect WordPress's query-string permalinks (``/?p=123``) to their new pages.

Wagtail's ``RedirectMiddleware`` only looks for a redirect when the response
is a 404. ``/?p=123`` is the *home page* with a query string, which answers
200, so a stored redirect for ``/?p=123`` would never be used. This
middleware looks such requests up before the page is served — only when the
query string carries one of WordPress's id parameters, so other requests cost
nothing — and answers with the stored redirect (same table, same
normalisation as Wagtail's).
"""

from django import http
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect

#: WordPress's "plain" permalink parameters: post, page, attachment, category, tag, author.
WP_QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author")


class WordPressQueryRedirectMiddleware:
    """Serve stored redirects for ``?p=``, ``?page_id=``, ``?attachment_id=``, ``?cat=``, ``?tag=``, ``?author=``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.GET and any(key in request.GET for key in WP_QUERY_KEYS):
            response = self.redirect_for(request)
            if response is not None:
                return response
        return self.get_response(request)

    def redirect_for(self, request):
        candidates = [Redirect.normalise_path(request.get_full_path(), decode_unicode=False)]
        # Extra parameters (utm_source, replytocom ...) must not hide the redirect.
        for key in WP_QUERY_KEYS:
            value = request.GET.get(key)
            if value:
                candidates.append(Redirect.normalise_path(f"{request.path}?{key}={value}", decode_unicode=False))
                break
        for path in candidates:
            redirect = get_redirect(request, path)
            if redirect is not None and redirect.link:
                cls = http.HttpResponsePermanentRedirect if redirect.is_permanent else http.HttpResponseRedirect
                return cls(redirect.link)
        return None


__all__ = ["WordPressQueryRedirectMiddleware"]
