"""Feeds, sitemaps and robots.txt, served from the cache (see ``cache.py``).

Every document is built in Arabic (the content language) whatever the
visitor's interface language, from ``AKHBAR_BASE_URL``, so one cached copy
serves everyone. Responses carry ``ETag``/``Last-Modified`` and answer
conditional requests with 304.
"""

import hashlib
from calendar import timegm

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from akhbar.news.dates import in_calendar

from . import cache, links, sitemaps
from .feeds import FEEDS, atom
from .sitemap_xml import archive_name, numbered_name, render_index, render_urlset

XML = "application/xml; charset=utf-8"
#: Browsers and proxies may keep a copy this long (seconds); publishing invalidates the server cache at once.
CLIENT_MAX_AGE = 300


def _timestamp(value) -> float | None:
    return timegm(value.utctimetuple()) if value else None


def serve(request, document: cache.CachedDocument, max_age: int = CLIENT_MAX_AGE) -> HttpResponse:
    """Answer with ``document``: 304 when the client's copy is current, else 200 with validators."""
    etag = '"%s"' % hashlib.sha1(document.content).hexdigest()
    last_modified = int(document.last_modified) if document.last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(document.content, content_type=document.content_type)
    response.headers["ETag"] = etag
    if last_modified:
        response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=max_age)
    return response


# --- Feeds -------------------------------------------------------------------------


def _feed_view(scope: str, fmt: str):
    rss_class = FEEDS[scope]
    feed_class = atom(rss_class) if fmt == "atom" else rss_class

    @require_safe
    def view(request, slug=None):
        feed = feed_class()
        with translation.override(links.CONTENT_LANGUAGE):
            obj = feed.lookup(slug)
            ident = getattr(obj, "pk", "all")
            full = ("full" if settings.AKHBAR_FEED_FULL_TEXT else "summary") + str(settings.AKHBAR_FEED_ITEMS)

            def build():
                with translation.override(links.CONTENT_LANGUAGE):
                    generator = feed.get_feed(obj, request)
                    return cache.CachedDocument(
                        content=generator.writeString("utf-8").encode("utf-8"),
                        content_type=generator.content_type,
                        last_modified=_timestamp(generator.latest_post_date()),
                    )

            document = cache.cached_document(f"feed:{scope}:{ident}:{fmt}:{full}", (cache.LATEST,), build)
        return serve(request, document)

    view.__name__ = f"{scope}_{fmt}_feed"
    view.__doc__ = f"The {fmt.upper()} feed of the {scope}."
    return view


FEED_VIEWS = {(scope, fmt): _feed_view(scope, fmt) for scope in FEEDS for fmt in ("rss", "atom")}


# --- Sitemaps ------------------------------------------------------------------------


def _xml(content: bytes, last_modified=None) -> cache.CachedDocument:
    return cache.CachedDocument(content=content, content_type=XML, last_modified=_timestamp(last_modified))


def _newest(entries):
    return max((e.lastmod for e in entries if e.lastmod), default=None)


@require_safe
def sitemap_index(request):
    """``/sitemap.xml``: every sitemap file, with lastmod."""

    def build():
        entries = sitemaps.index_entries()
        return _xml(render_index(entries, tz=timezone.get_default_timezone()), max((d for _u, d in entries if d), default=None))

    with translation.override(links.CONTENT_LANGUAGE):
        return serve(request, cache.cached_document("sitemap:index", (cache.LATEST,), build))


MAX_PART = 100_000  # 5 billion URLs at 50,000 per file: any higher number is a probe, not a sitemap


def _parse_part(part: str | None) -> int:
    """The part number of a sitemap file name (``None`` = part 1); ``Http404`` when out of range."""
    if part is None:
        return 1
    if len(part) > 6 or not 2 <= int(part) <= MAX_PART:  # part 1 has no number in its name: one URL per file
        raise Http404("No such sitemap")
    return int(part)


@require_safe
def sitemap_news(request, part=None):
    """``/sitemaps/news.xml``: Google News, articles of the last 48 hours."""
    number = _parse_part(part)

    def build():
        entries = sitemaps.news_entries(number)
        if entries is None:
            return None
        return _xml(render_urlset(entries, tz=timezone.get_default_timezone()), _newest(entries))

    with translation.override(links.CONTENT_LANGUAGE):
        document = cache.cached_document(f"sitemap:{numbered_name('news', number)}", (cache.LATEST,), _or_missing(build))
    return _serve_or_404(request, document)


@require_safe
def sitemap_pages(request):
    """``/sitemaps/pages.xml``: home and sections."""

    def build():
        entries = sitemaps.page_entries()
        return _xml(render_urlset(entries, tz=timezone.get_default_timezone()), _newest(entries))

    with translation.override(links.CONTENT_LANGUAGE):
        return serve(request, cache.cached_document("sitemap:pages", (cache.LATEST,), build))


@require_safe
def sitemap_authors(request, part=None):
    """``/sitemaps/authors.xml``: author pages."""
    number = _parse_part(part)

    def build():
        entries = sitemaps.author_entries(number)
        if entries is None:
            return None
        return _xml(render_urlset(entries))

    with translation.override(links.CONTENT_LANGUAGE):
        document = cache.cached_document(f"sitemap:{numbered_name('authors', number)}", (cache.LATEST,), _or_missing(build))
    return _serve_or_404(request, document)


@require_safe
def sitemap_archive(request, year, month, part=None):
    """``/sitemaps/articles-YYYY-MM[-N].xml``: one part of one month of the archive."""
    year, month, number = int(year), int(month), _parse_part(part)
    if not 1 <= month <= 12 or not in_calendar(year):
        raise Http404("No such month")

    def build():
        entries = sitemaps.archive_entries(year, month, number)
        if entries is None:
            return None
        return _xml(render_urlset(entries, tz=timezone.get_default_timezone()), _newest(entries))

    scopes = (cache.ARCHIVE, cache.month_scope(year, month))
    with translation.override(links.CONTENT_LANGUAGE):
        document = cache.cached_document(
            f"sitemap:{archive_name(year, month, number)}:{sitemaps.url_limit()}", scopes, _or_missing(build), timeout=cache.ARCHIVE_TIMEOUT
        )
    return _serve_or_404(request, document)


_MISSING = cache.CachedDocument(content=b"", content_type="")


def _or_missing(build):
    """Cache "no such file" too, so probing absent parts costs no query."""

    def wrapped():
        return build() or _MISSING

    return wrapped


def _serve_or_404(request, document):
    if not document.content_type:
        raise Http404("No such sitemap")
    return serve(request, document)


# --- robots.txt ----------------------------------------------------------------------

#: Paths crawlers should not fetch: the admin and internal search results (endless, thin pages).
DISALLOW = ("/admin/", "/search/", "/en/search/")


@require_safe
def robots_txt(request):
    """``/robots.txt`` (RFC 9309) pointing crawlers at the sitemap index and the news sitemap."""
    lines = ["User-agent: *"] + [f"Disallow: {path}" for path in DISALLOW] + ["Allow: /", ""]
    lines += [f"Sitemap: {links.absolute('/sitemap.xml')}", f"Sitemap: {sitemaps.sitemap_url('news')}", ""]
    document = cache.CachedDocument("\n".join(lines).encode("utf-8"), "text/plain; charset=utf-8")
    return serve(request, document, max_age=3600)
