"""Pure sitemap functions: split URL rows into files and write them as XML.

Nothing here touches the database, so the limits can be tested with
generated rows (a million of them) as well as with saved pages.

Standards:

* Sitemap protocol 0.9 (sitemaps.org): a ``<urlset>`` holds at most 50,000
  URLs and 50 MB (52,428,800 bytes) uncompressed; a ``<sitemapindex>`` at most
  50,000 sitemaps. ``<loc>`` is an absolute URI (``xsd:anyURI``, 12–2,048
  characters); ``<lastmod>`` is a W3C datetime.
* Google News sitemaps (namespace ``http://www.google.com/schemas/sitemap-news/0.9``):
  articles from the last two days only, at most 1,000 ``<news:news>`` per
  file; each has ``<news:publication>`` (``<news:name>``, ``<news:language>``
  as an ISO 639 code), ``<news:publication_date>`` (W3C format) and
  ``<news:title>``.
* Google image sitemaps (namespace ``http://www.google.com/schemas/sitemap-image/1.1``):
  up to 1,000 ``<image:image>`` per ``<url>``, each with one ``<image:loc>``.
"""

import math
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from xml.sax.saxutils import escape

from django.utils.encoding import iri_to_uri

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"

MAX_URLS = 50_000
MAX_SITEMAPS = 50_000
MAX_BYTES = 50 * 1024 * 1024
MAX_NEWS_URLS = 1_000
MAX_IMAGES_PER_URL = 1_000
MAX_LOC_LENGTH = 2_048

# Characters XML 1.0 forbids even when escaped (C0 controls except tab, LF, CR; U+FFFE/U+FFFF).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` with characters illegal in XML 1.0 removed (not escaped: callers escape)."""
    return _XML_ILLEGAL.sub("", text or "")


def w3c_datetime(value: datetime | date, tz=None) -> str:
    """W3C datetime: ``2026-11-30T09:15:00+03:00`` (seconds, explicit offset) or ``2026-11-30``.

    Aware datetimes are shown in ``tz`` when given; naive ones are rejected
    (a sitemap date without an offset is ambiguous).
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime in a sitemap")
        if tz is not None:
            value = value.astimezone(tz)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class NewsInfo:
    """The ``<news:news>`` of one URL (Google News)."""

    publication_name: str
    language: str
    publication_date: datetime
    title: str


@dataclass(frozen=True, slots=True)
class UrlEntry:
    """One ``<url>``: ``loc`` is an absolute URL or IRI (encoded on output); ``images`` are absolute URLs."""

    loc: str
    lastmod: datetime | date | None = None
    images: tuple[str, ...] = ()
    news: NewsInfo | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One sitemap file of a group: ``number`` counts from 1; rows ``offset`` … ``offset + size - 1``."""

    group: Hashable
    number: int
    offset: int
    size: int


def plan_parts(counts: Iterable[tuple[Hashable, int]], limit: int = MAX_URLS) -> list[Part]:
    """Split groups of known size into parts of at most ``limit`` rows.

    ``counts`` is ``[(group, row_count), …]`` in output order (e.g. months from
    a ``GROUP BY`` query). Groups with no rows get no part. This is the
    arithmetic twin of :func:`split_rows`: the parts it plans are exactly the
    chunks ``split_rows`` yields for the same rows.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    parts: list[Part] = []
    for group, count in counts:
        for index in range(math.ceil(count / limit) if count > 0 else 0):
            offset = index * limit
            parts.append(Part(group, index + 1, offset, min(limit, count - offset)))
    return parts


def split_rows(rows: Iterable, key: Callable[[object], Hashable], limit: int = MAX_URLS) -> Iterator[tuple[Hashable, int, list]]:
    """Cut ``rows`` into sitemap-sized chunks, one group (e.g. month) at a time.

    ``rows`` must arrive grouped by ``key`` (sorted by date, as the database
    returns them); a group that reappears after another one raises
    ``ValueError``, since its files would otherwise be written twice.
    Yields ``(group, part_number, rows)`` with ``1 <= len(rows) <= limit``,
    holding only one chunk in memory at a time.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    seen: set = set()
    current = object()
    number = 0
    chunk: list = []
    for row in rows:
        group = key(row)
        if group != current:
            if chunk:
                yield current, number, chunk
            if group in seen:
                raise ValueError(f"rows of group {group!r} are not contiguous")
            seen.add(group)
            current, number, chunk = group, 1, []
        elif len(chunk) == limit:
            yield current, number, chunk
            number, chunk = number + 1, []
        chunk.append(row)
    if chunk:
        yield current, number, chunk


def _loc(url: str) -> str:
    uri = url if url.isascii() and " " not in url else iri_to_uri(url)
    if not uri.startswith(("http://", "https://")):
        raise ValueError(f"sitemap URLs must be absolute: {url!r}")
    if len(uri) > MAX_LOC_LENGTH:
        raise ValueError(f"URL longer than {MAX_LOC_LENGTH} characters: {uri[:80]}…")
    return escape(uri)


def render_urlset(entries: Iterable[UrlEntry], tz=None, max_urls: int = MAX_URLS) -> bytes:
    """Write a ``<urlset>`` (UTF-8 bytes) with image and news extensions where entries have them.

    Raises ``ValueError`` for more than ``max_urls`` entries, more than
    1,000 images on a URL, a relative or over-long URL, or a file over 50 MB.
    """
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}" xmlns:image="{IMAGE_NS}">\n'
    ]
    count = 0
    for entry in entries:
        count += 1
        if count > max_urls:
            raise ValueError(f"more than {max_urls} URLs in one sitemap")
        parts = ["<url><loc>", _loc(entry.loc), "</loc>"]
        if entry.lastmod is not None:
            parts += ["<lastmod>", w3c_datetime(entry.lastmod, tz), "</lastmod>"]
        if entry.news is not None:
            news = entry.news
            parts += [
                "<news:news><news:publication><news:name>",
                escape(xml_text(news.publication_name)),
                "</news:name><news:language>",
                escape(news.language),
                "</news:language></news:publication><news:publication_date>",
                w3c_datetime(news.publication_date, tz),
                "</news:publication_date><news:title>",
                escape(xml_text(news.title)),
                "</news:title></news:news>",
            ]
        if len(entry.images) > MAX_IMAGES_PER_URL:
            raise ValueError(f"more than {MAX_IMAGES_PER_URL} images on {entry.loc}")
        for image in entry.images:
            parts += ["<image:image><image:loc>", _loc(image), "</image:loc></image:image>"]
        parts.append("</url>\n")
        out.append("".join(parts))
    out.append("</urlset>\n")
    data = "".join(out).encode("utf-8")
    if len(data) > MAX_BYTES:
        raise ValueError("sitemap larger than 50 MB; lower the URL limit")
    return data


def render_index(sitemaps: Iterable[tuple[str, datetime | date | None]], tz=None) -> bytes:
    """Write a ``<sitemapindex>`` of ``(absolute URL, lastmod or None)`` pairs (at most 50,000)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n', f'<sitemapindex xmlns="{SITEMAP_NS}">\n']
    count = 0
    for loc, lastmod in sitemaps:
        count += 1
        if count > MAX_SITEMAPS:
            raise ValueError(f"more than {MAX_SITEMAPS} sitemaps in one index")
        item = f"<sitemap><loc>{_loc(loc)}</loc>"
        if lastmod is not None:
            item += f"<lastmod>{w3c_datetime(lastmod, tz)}</lastmod>"
        out.append(item + "</sitemap>\n")
    out.append("</sitemapindex>\n")
    return "".join(out).encode("utf-8")


def archive_name(year: int, month: int, number: int = 1) -> str:
    """File stem of a monthly archive sitemap: ``articles-2026-11``, then ``articles-2026-11-2`` …"""
    stem = f"articles-{year:04d}-{month:02d}"
    return stem if number == 1 else f"{stem}-{number}"


def numbered_name(stem: str, number: int = 1) -> str:
    """``news``, ``news-2`` …: part 1 keeps the plain name."""
    return stem if number == 1 else f"{stem}-{number}"
