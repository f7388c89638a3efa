"""Absolute URLs and stable identifiers for everything akhbar syndicates.

Every URL leaving the site (feeds, sitemaps, JSON-LD, Open Graph, canonical
and hreflang links) is built here, from ``AKHBAR_BASE_URL``, never from the
request's ``Host`` header, so cached copies are the same for every visitor.
Arabic paths are IRIs; :func:`absolute` maps them to URIs (RFC 3987 §3.1:
UTF-8, percent-encoded), which is what XML schemas (``xsd:anyURI`` of the
sitemap protocol), feed readers and crawlers expect.
"""

import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

#: Year the tag: URIs are minted in (RFC 4151 ``date``). Changing it changes every GUID.
GUID_DATE = "2026"
#: Language of the content (the interface may also be English under ``/en/``).
CONTENT_LANGUAGE = "ar"


def base_url() -> str:
    """``AKHBAR_BASE_URL`` without a trailing slash, e.g. ``https://akhbar.example``."""
    return settings.AKHBAR_BASE_URL.rstrip("/")


def absolute(path_or_url: str) -> str:
    """Return an absolute URI for a site path (``/سياسة/``) or pass a full URL through.

    Non-ASCII characters are UTF-8 percent-encoded (``iri_to_uri``); existing
    ``%XX`` escapes are kept, so the function is idempotent.
    """
    if not path_or_url:
        return base_url() + "/"
    if path_or_url.startswith(("http://", "https://")):
        url = path_or_url
    elif path_or_url.startswith("//"):
        url = urlsplit(base_url()).scheme + ":" + path_or_url
    else:
        url = base_url() + ("" if path_or_url.startswith("/") else "/") + path_or_url
    return url if url.isascii() and " " not in url else iri_to_uri(url)


_prefixes: dict = {}


def language_prefix(language: str) -> str:
    """The path of the home page in ``language``: ``/`` (Arabic) or ``/en/``.

    Memoised per language, script prefix and URLconf (every head, feed and sitemap asks for it).
    """
    key = (language, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    prefix = _prefixes.get(key)
    if prefix is None:
        with translation.override(language):
            prefix = _prefixes[key] = reverse("wagtail_serve", args=[""])
    return prefix


def site_root_path() -> str:
    """``url_path`` of the default site's home page (``/home/``), from the worker's copy of
    Wagtail's site root paths (``akhbar.news.memo``)."""
    from wagtail.models import Site

    from akhbar.news.memo import site_root_paths

    paths = site_root_paths()
    if not paths:
        return "/"
    if len(paths) == 1:
        return paths[0].root_path
    default = Site.objects.filter(is_default_site=True).values_list("id", flat=True).first()
    for item in paths:
        if item.site_id == default:
            return item.root_path
    return paths[0].root_path


class PagePaths:
    """Turns Wagtail ``url_path`` values into public paths without a query per page.

    ``PagePaths(language).path(url_path)`` → ``/سياسة/عنوان/`` (or ``/en/سياسة/عنوان/``).
    Build one per request or sitemap file; it reads the site root once.
    """

    def __init__(self, language: str = CONTENT_LANGUAGE):
        self.root = site_root_path()
        self.prefix = language_prefix(language)

    def path(self, url_path: str | None) -> str:
        if not url_path or not url_path.startswith(self.root):
            return self.prefix
        return self.prefix + url_path[len(self.root):]

    def url(self, url_path: str) -> str:
        return absolute(self.path(url_path))


def page_url(page, language: str = CONTENT_LANGUAGE) -> str:
    """Absolute URI of a Wagtail page in ``language``."""
    return PagePaths(language).url(page.url_path)


def named_url(name: str, *args, language: str = CONTENT_LANGUAGE) -> str:
    """Absolute URI of a named URL (``author``, ``tag`` …) in ``language``."""
    with translation.override(language):
        return absolute(reverse(name, args=args))


def guid_authority() -> str:
    """The tag: URI authority: ``AKHBAR_GUID_AUTHORITY`` or the host of ``AKHBAR_BASE_URL`` (no port)."""
    configured = getattr(settings, "AKHBAR_GUID_AUTHORITY", "")
    return configured or (urlsplit(base_url()).hostname or "localhost")


def tag_uri(kind: str, ident) -> str:
    """A stable identifier ``tag:<authority>,<year>:<kind>:<ident>`` (RFC 4151).

    Used as RSS ``<guid isPermaLink="false">`` and Atom ``<id>``: it does not
    change when a headline, slug or section changes, so readers never show
    an edited story twice.
    """
    return f"tag:{guid_authority()},{GUID_DATE}:{kind}:{ident}"


def static_url(path: str) -> str:
    """``{% static path %}`` (``django.templatetags.static.static``), memoised per path, static
    files storage and ``STATIC_URL``: a hashed name never changes while the manifest loaded by
    that storage does not, and a new storage (another deploy, a test's settings) is a new key.
    Every page's head links the logos; the storage's lookup costs ~40 µs."""
    from django.core.files.storage import storages

    return _static_url(path, storages["staticfiles"], settings.STATIC_URL)


@functools.lru_cache(maxsize=1000)
def _static_url(path: str, _storage, _static_url_setting) -> str:
    from django.templatetags.static import static

    return static(path)


def media_url(url: str) -> str:
    """Absolute URI for a media or static URL (relative ``/media/…`` or already absolute on a CDN)."""
    return absolute(url)
