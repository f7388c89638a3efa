"""The page cache middleware: serve anonymous readers from the edge store, set HTTP caching headers.

Place it second in ``MIDDLEWARE``, right after ``GZipMiddleware`` (see
settings): a hit is answered before sessions, locale, CSRF or any database
access. Summary of the rules (details in docs/operations.md, "Caching"):

* Only ``GET``/``HEAD`` requests of anonymous readers are served from or
  stored in the cache: a request carrying a session cookie (or one of
  ``AKHBAR_EDGE_BYPASS_COOKIES``) or an ``Authorization`` header bypasses it,
  and so does any path under ``/admin/`` and any query parameter other than
  ``AKHBAR_EDGE_QUERY_PARAMS`` (``page``, ``q``); Wagtail previews are
  under ``/admin/`` and set ``request.is_preview``.
* A response is stored only when it is a ``200`` that sets no cookie, is
  not ``private``/``no-store``/``no-cache``, varies on nothing but
  ``Accept-Encoding``/``Cookie``/``Accept-Language``, contains no CSRF token,
  and declared at least one cache tag (``tags.add_cache_tags``).
* Stored pages carry ``Cache-Control: public, max-age, s-maxage,
  stale-while-revalidate, stale-if-error``, a strong ``ETag`` and
  ``Last-Modified`` (answered with ``304``), and a ready gzip body.
* Admin and logged-in responses get ``private, no-store`` / ``private, no-cache``.
* With ``AKHBAR_STATIC_MIRROR_DIR`` set, stored anonymous HTML pages of ``GET`` requests
  without query string are also written as static files for nginx (``mirror.py``).
* Database down (``OperationalError``/``InterfaceError`` while rendering): the stale copy of the
  page is served if there is one (``X-Cache: STALE``), otherwise an Arabic
  ``503`` page with ``Retry-After``. Nothing is stored while the database
  fails, and the next request tries the database again (recovery is automatic).
"""

from __future__ import annotations

import fnmatch
import gzip
import hashlib
import logging
import re
import sys
import time

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotModified
from django.template import loader
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe, urlencode

from . import conf, mirror
from . import tags as T
from .store import Entry, store

logger = logging.getLogger("akhbar.edge")

DB_ERROR_ATTR = "_edge_db_error"
#: Errors meaning "the database cannot be reached" (not a bad query or an integrity error).
UNAVAILABLE = (OperationalError, InterfaceError)
_DROPPED_HEADERS = {"set-cookie", "date", "age", "x-cache", "content-length", "etag", "last-modified", "cache-control", "content-encoding"}
_STORABLE_TYPES = ("text/html", "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/json", "text/plain")
_ALLOWED_VARY = {"accept-encoding", "cookie", "accept-language"}
_URL_NAME_TAGS = {"author": lambda kw: T.author(kw.get("slug", "")), "tag": lambda kw: T.tag(kw.get("slug", "")), "search": lambda kw: T.SEARCH}


def _mark_db_error(sender, request=None, **kwargs):
    """``got_request_exception`` receiver: remember that ``request`` failed on the database."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, UNAVAILABLE):
        setattr(request, DB_ERROR_ATTR, exc)


got_request_exception.connect(_mark_db_error, dispatch_uid="akhbar.edge.mark_db_error")


def public_cache_control() -> str:
    """The ``Cache-Control`` value of a cacheable public page (RFC 9111 §5.2, RFC 5861)."""
    return (
        f"public, max-age={conf.get('AKHBAR_CACHE_MAX_AGE')}, s-maxage={conf.get('AKHBAR_CACHE_S_MAXAGE')}, "
        f"stale-while-revalidate={conf.get('AKHBAR_CACHE_SWR')}, stale-if-error={conf.get('AKHBAR_CACHE_SIE')}"
    )


def strip_language_prefix(path: str) -> str:
    """``/en/search/`` → ``/search/`` for each non-default language of ``LANGUAGES``."""
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE and (path == f"/{code}/" or path.startswith(f"/{code}/")):
            return path[len(code) + 1 :] or "/"
    return path


def is_excluded(path: str) -> bool:
    return any(path.startswith(p) for p in conf.get("AKHBAR_EDGE_EXCLUDED_PREFIXES"))


def is_anonymous(request) -> bool:
    """No session/bypass cookie and no ``Authorization`` header."""
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    return not any(name in cookies for name in conf.get("AKHBAR_EDGE_BYPASS_COOKIES"))


def cache_key(request) -> str | None:
    """The page key of ``request``, or ``None`` when its query string makes it uncacheable.

    Key: scheme, host, path and the allowed query parameters sorted; tracking
    parameters (``AKHBAR_EDGE_IGNORED_PARAMS``) are dropped.
    """
    allowed = conf.get("AKHBAR_EDGE_QUERY_PARAMS")
    ignored = conf.get("AKHBAR_EDGE_IGNORED_PARAMS")
    params = []
    for name, values in request.GET.lists():
        if name not in allowed:
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in ignored):
                continue
            return None
        params.extend((name, v) for v in values)
    params.sort()
    request._edge_host = host = request.get_host()  # validated once (the static mirror reuses it)
    raw = f"{request.scheme}://{host}{request.path}?{urlencode(params)}"
    return f"p:{deploy_id()}:" + hashlib.sha256(raw.encode()).hexdigest()[:40]


_deploy_id: str | None = None


def deploy_id() -> str:
    """Short fingerprint of the running code and static files: part of every page key.

    A deploy that changes templates, Python code or static files (new hashed
    CSS names) must not serve pages rendered by the previous version, so the
    key includes ``AKHBAR_EDGE_KEY_VERSION`` when set (e.g. the git commit),
    else the newest modification time and count of the files of the
    ``akhbar`` package plus the static manifest. Computed once per process.
    """
    global _deploy_id
    if _deploy_id is None:
        explicit = conf.get("AKHBAR_EDGE_KEY_VERSION")
        if explicit:
            _deploy_id = hashlib.sha1(explicit.encode()).hexdigest()[:10]
        else:
            import os
            from pathlib import Path

            package = Path(__file__).resolve().parent.parent
            newest, count = 0.0, 0
            for root, _dirs, files in os.walk(package):
                for name in files:
                    if name.endswith((".py", ".html", ".css", ".js", ".mo", ".svg")):
                        count += 1
                        newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
            manifest = Path(str(settings.STATIC_ROOT)) / "staticfiles.json"
            extra = manifest.stat().st_mtime if manifest.exists() else 0
            _deploy_id = hashlib.sha1(f"{newest}:{count}:{extra}".encode()).hexdigest()[:10]
    return _deploy_id


def cacheable_request(request) -> bool:
    """GET/HEAD by an anonymous reader, outside the excluded prefixes, cache enabled."""
    return (
        request.method in ("GET", "HEAD")
        and conf.get("AKHBAR_EDGE_ENABLED")
        and not is_excluded(request.path_info)
        and is_anonymous(request)
    )


def accepts_gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "").lower()


def _etag_matches(header: str, etags: tuple[str, ...]) -> bool:
    wanted = parse_etags(header)
    if "*" in wanted:
        return True
    plain = {e.removeprefix("W/") for e in etags}
    return any(w.removeprefix("W/") in plain for w in wanted)


class EdgeCacheMiddleware:
    """See the module docstring."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._path_rules = None

    # --- entry point -----------------------------------------------------------
    def __call__(self, request):
        path = request.path_info
        if is_excluded(path):
            response = self._pass(request)
            if path.startswith("/admin/"):
                patch_cache_control(response, private=True, no_store=True)
            return response
        if not cacheable_request(request):
            return self._uncached(request, self._pass(request))
        key = cache_key(request)
        if key is None:
            return self._uncached(request, self._pass(request))
        entry, current, seq = store.fetch(key)
        if current:
            response = self.serve(request, entry, "HIT")
            if conf.get("AKHBAR_STATIC_MIRROR_DIR") and mirror.hit_mirrorable(request, entry):
                mirror.write(request, entry, entry.tags, if_missing=True)
            return response
        request._edge_stale = entry
        started = time.time()
        response = self.get_response(request)
        if getattr(request, DB_ERROR_ATTR, None) is not None and response.status_code >= 500:
            return self._on_db_error(request)
        if self._storable(request, response):
            tags = self._tags(request)
            new = self._entry(response, started)
            stored = store.save(key, new, tags, seq)
            self._decorate(response, new, tags, "MISS" if stored else "PASS")
            if stored and conf.get("AKHBAR_STATIC_MIRROR_DIR") and mirror.mirrorable(request, response):
                mirror.write(request, new, tags)
        else:
            self._uncached(request, response)
        return response

    def _pass(self, request):
        """The response of the rest of the stack, with a database failure turned into the 503 page."""
        response = self.get_response(request)
        if getattr(request, DB_ERROR_ATTR, None) is not None and response.status_code >= 500:
            return self._on_db_error(request)
        return response

    # --- hooks called by Django --------------------------------------------------
    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        tagger = _URL_NAME_TAGS.get(getattr(match, "url_name", None))
        if tagger:
            T.add_cache_tags(request, tagger(view_kwargs))
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, UNAVAILABLE):
            setattr(request, DB_ERROR_ATTR, exception)
            return self._on_db_error(request)
        return None

    def process_template_response(self, request, response):
        """Tags from what the page shows: bylines (``byline:<id>``) and tag labels (``taglabel:<id>``)."""
        context = getattr(response, "context_data", None) or {}
        for author in context.get("authors") or ():
            T.add_cache_tags(request, T.byline(getattr(author, "pk", "")))
        for tag in context.get("article_tags") or ():
            T.add_cache_tags(request, T.tag_label(getattr(tag, "pk", "")))
        return response

    # --- decisions ---------------------------------------------------------------
    def _tags(self, request) -> set[str]:
        tags = T.get_cache_tags(request)
        if self._path_rules is None:
            self._path_rules = [(re.compile(rx), tag) for rx, tag in conf.get("AKHBAR_EDGE_PATH_TAGS")]
        path = strip_language_prefix(request.path_info)
        tags.update(tag for rx, tag in self._path_rules if rx.search(path))
        return tags

    def _storable(self, request, response) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if response.cookies or getattr(request, "is_preview", False):
            return False
        cc = response.get("Cache-Control", "").lower()
        if any(word in cc for word in ("private", "no-store", "no-cache")):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        if vary - _ALLOWED_VARY:
            return False
        if not response.get("Content-Type", "").startswith(_STORABLE_TYPES):
            return False
        user = getattr(request, "_cached_user", None)
        if user is not None and user.is_authenticated:
            return False
        if not (self._tags(request) - {T.SITE}):
            return False
        return b"csrfmiddlewaretoken" not in response.content

    # --- building responses ----------------------------------------------------------
    def _entry(self, response, started: float) -> Entry:
        body = response.content
        etag = response.get("ETag", "")
        if not etag or etag.startswith("W/"):
            etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        packed = gzip.compress(body, 6, mtime=0) if len(body) > 512 else None
        if packed is not None and len(packed) >= len(body):
            packed = None
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _DROPPED_HEADERS]
        return Entry(
            status=response.status_code,
            headers=headers,
            body=body,
            gzip=packed,
            etag=etag,
            created=started,
            fresh_until=started + int(conf.get("AKHBAR_EDGE_TTL")),
        )

    def _decorate(self, response, entry: Entry, tags: set[str], state: str) -> None:
        response["Cache-Control"] = public_cache_control()
        response["ETag"] = entry.etag
        response["Last-Modified"] = http_date(entry.created)
        response["X-Cache"] = state
        header = conf.get("AKHBAR_EDGE_TAG_HEADER")
        if header:
            response[header] = ",".join(sorted(tags | {T.SITE}))
        patch_vary_headers(response, ("Accept-Encoding",))

    def _uncached(self, request, response):
        """Headers for a response that is not stored: private when personal, short when an error."""
        if "X-Cache" not in response:
            response["X-Cache"] = "BYPASS"
        if "Cache-Control" in response:
            return response
        if not is_anonymous(request) or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ("Cookie",))
        elif response.status_code == 404:
            patch_cache_control(response, public=True, max_age=60, s_maxage=60)
        return response

    def serve(self, request, entry: Entry, state: str, stale: bool = False):
        """An ``HttpResponse`` (or ``304``) from ``entry``; gzip when the client accepts it."""
        use_gzip = entry.gzip is not None and accepts_gzip(request)
        etag = entry.etag[:-1] + '-gz"' if use_gzip else entry.etag
        cache_control = "public, max-age=0, s-maxage=10, stale-if-error=%d" % conf.get("AKHBAR_CACHE_SIE") if stale else public_cache_control()
        inm = request.META.get("HTTP_IF_NONE_MATCH")
        ims = request.META.get("HTTP_IF_MODIFIED_SINCE")
        if inm is not None:
            not_modified = _etag_matches(inm, (entry.etag, etag))
        elif ims is not None:
            since = parse_http_date_safe(ims)
            not_modified = since is not None and int(entry.created) <= since
        else:
            not_modified = False
        if not_modified:
            response = HttpResponseNotModified()
        else:
            body = entry.gzip if use_gzip else entry.body
            response = HttpResponse(b"" if request.method == "HEAD" else body, status=entry.status)
            for name, value in entry.headers:
                response[name] = value
            if use_gzip:
                response["Content-Encoding"] = "gzip"
            response["Content-Length"] = str(len(body))
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry.created)
        response["Cache-Control"] = cache_control
        if stale:
            # A current hit was just re-validated against the tag versions: as fresh as a new
            # render, so no Age (it would shorten s-maxage at Varnish/CDN for no reason).
            response["Age"] = str(max(0, int(time.time() - entry.created)))
        response["X-Cache"] = state
        patch_vary_headers(response, ("Accept-Encoding",))
        return response

    def _on_db_error(self, request):
        """Stale copy if there is one, else the 503 page. Logged once per request."""
        exc = getattr(request, DB_ERROR_ATTR, None)
        if not getattr(request, "_edge_db_logged", False):
            logger.error("database unavailable while serving %s: %s", request.path, exc)
            request._edge_db_logged = True
        entry = getattr(request, "_edge_stale", None)
        if entry is not None:
            return self.serve(request, entry, "STALE", stale=True)
        return service_unavailable(request)


def service_unavailable(request):
    """The ``503`` page: static Arabic/English text, no database, ``Retry-After: 30``."""
    html = loader.get_template("edge/503.html").render({})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    response["X-Cache"] = "ERROR"
    return response
