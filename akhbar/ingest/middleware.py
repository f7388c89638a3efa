"""Redirect WordPress's query-string permalinks (``/?p=123``) and its feed addresses to akhbar's.

Wagtail's ``RedirectMiddleware`` only looks for a redirect when the response
is a 404. ``/?p=123`` is the *home page* with a query string, which answers
200, so a stored redirect for ``/?p=123`` would never be used. This
middleware looks such requests up before the page is served — only when the
query string carries one of WordPress's id parameters, so other requests cost
nothing — and answers with the stored redirect (same table, same
normalisation as Wagtail's).
"""

import re
from urllib.parse import urlsplit

from django import http
from django.urls import Resolver404, resolve, reverse
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


#: ``…/feed/``, ``…/feed/rss2/``, ``…/feed/atom/`` (WordPress's feed endpoints, any archive).
FEED_PATH = re.compile(r"^(?P<base>.*/)feed/(?:(?P<kind>rss2|rss|rdf|atom)/)?$")
#: ``?feed=rss2`` / ``?feed=atom`` on the site root ("plain" permalinks).
FEED_QUERY_KINDS = {"rss2": "rss", "rss": "rss", "rdf": "rss", "atom": "atom"}


class WordPressFeedRedirectMiddleware:
    """Send the old site's feed subscribers to akhbar's feeds (301) instead of a 404.

    ``/feed/`` and ``/?feed=rss2`` go to the site feed (``/feed/atom/`` to the
    Atom one); ``/category/x/feed/``, ``/tag/x/feed/``, ``/author/x/feed/`` go
    to the feed of the section, tag or author that the archive's own redirect
    (made by ``import-wxr``) or akhbar URL points to; a post's ``/slug/feed/``
    (its comments feed in WordPress) goes to the article. Only 404s are
    rewritten (a real page whose slug is ``feed`` is never shadowed), except
    ``?feed=`` on the site root, which WordPress answers with the feed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path == "/" and request.GET.get("feed") in FEED_QUERY_KINDS:
            return http.HttpResponsePermanentRedirect(reverse(f"syndication:site-{FEED_QUERY_KINDS[request.GET['feed']]}"))
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            match = FEED_PATH.match(request.path)
            if match:
                target = self.feed_for(request, match["base"], "atom" if match["kind"] == "atom" else "rss")
                if target:
                    return http.HttpResponsePermanentRedirect(target)
        return response

    def feed_for(self, request, base: str, fmt: str) -> str | None:
        """The akhbar URL for the feed of the archive at ``base`` (a path ending in ``/``), or None."""
        from akhbar.news.models import ArticlePage, SectionPage

        if base == "/" or self.is_imported_site_root(base):
            return reverse(f"syndication:site-{fmt}")
        redirect = get_redirect(request, Redirect.normalise_path(base, decode_unicode=False))
        if redirect is not None and redirect.redirect_page_id:
            page = redirect.redirect_page.specific
            if isinstance(page, SectionPage):
                return reverse(f"syndication:section-{fmt}", args=[page.slug])
            return page.url if isinstance(page, ArticlePage) else None
        path = urlsplit(redirect.link).path if redirect is not None and redirect.link else base
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name in ("tag", "author"):
            return reverse(f"syndication:{match.url_name}-{fmt}", args=[match.kwargs["slug"]])
        return None

    @staticmethod
    def is_imported_site_root(base: str) -> bool:
        """True when ``base`` is the folder an imported WordPress site lived in (``/news/``)."""
        from .models import WxrSite

        return any((urlsplit(url).path.rstrip("/") + "/") == base for url in WxrSite.objects.values_list("base_url", flat=True))


__all__ = ["WordPressFeedRedirectMiddleware", "WordPressQueryRedirectMiddleware"]
