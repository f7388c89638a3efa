"""Cached syndication documents, invalidated by version bumps.

Keys live under ``syndication:`` in Django's default cache (other apps keep
their own prefixes). Three kinds of version number decide which copies are
current:

* ``syndication:v:latest`` — feeds, the sitemap index, the news and pages
  sitemaps; bumped on every publish, unpublish, move or author change.
* ``syndication:v:archive`` — every monthly archive sitemap; bumped when the
  URLs of many articles change at once (a section renamed or moved).
* ``syndication:v:month:YYYY-MM`` — one month's archive sitemaps; bumped when
  an article first published that month changes.
* ``syndication:v:history`` — the per-month counts of past months behind the
  index; bumped when an article dated before the current month changes.

A bump never deletes anything: old copies simply stop being read and expire.
A missing version (evicted, or a fresh cache) starts at a random 60-bit
number, so it does not collide with a number used before (bumps add one).
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

PREFIX = "syndication"
LATEST = "latest"
ARCHIVE = "archive"
HISTORY = "history"
#: Archive month files change rarely; keep them longer than the rest.
ARCHIVE_TIMEOUT = 6 * 3600


def _fresh() -> int:
    return secrets.randbits(60)


def _version_key(name: str) -> str:
    return f"{PREFIX}:v:{name}"


def month_scope(year: int, month: int) -> str:
    """The version name of one archive month: ``month:2026-11``."""
    return f"month:{year:04d}-{month:02d}"


def version(name: str) -> int:
    """Current version number of ``name`` (created on first use)."""
    key = _version_key(name)
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), timeout=None)
        value = cache.get(key)
    return int(value) if value is not None else _fresh()  # cache down: build every time


def bump(*names: str) -> None:
    """Invalidate every cached document depending on ``names``."""
    for name in names:
        key = _version_key(name)
        try:
            cache.incr(key)
        except ValueError:  # missing: any fresh number is new
            cache.set(key, _fresh(), timeout=None)


@dataclass(frozen=True)
class CachedDocument:
    """A rendered document as stored in the cache (bytes plus the headers needed to serve it)."""

    content: bytes
    content_type: str
    last_modified: float | None = None  # POSIX timestamp of the newest change it describes


def cached(name: str, scopes: tuple[str, ...], build, timeout: int | None = None):
    """Return the cached value ``name`` for the current versions of ``scopes``, building it if needed.

    ``build()`` returns any picklable value except ``None``. ``timeout``
    defaults to ``AKHBAR_SYNDICATION_CACHE_SECONDS``: time-dependent documents
    (the 48-hour news sitemap) are rebuilt at least that often even without a
    publish.
    """
    versions = ".".join(str(version(scope)) for scope in scopes)
    key = f"{PREFIX}:doc:{name}:{versions}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout if timeout is not None else settings.AKHBAR_SYNDICATION_CACHE_SECONDS)
    return value


def cached_document(name: str, scopes: tuple[str, ...], build, timeout: int | None = None) -> CachedDocument:
    """:func:`cached` for a :class:`CachedDocument` (what the views serve)."""
    return cached(name, scopes, build, timeout)
