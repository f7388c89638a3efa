"""Slugs and old permalinks: WordPress URLs → paths for Wagtail redirects.

WordPress stores non-ASCII slugs percent-encoded in lowercase hex
(``%d8%a7...``); :func:`decode_slug` turns them back into text, never
splitting a character (WordPress cuts long slugs at 200 *bytes*, which can
leave half a UTF-8 sequence at the end: it is dropped).

:func:`post_paths` lists every path under which the old site served a post:
its exported permalink (``<link>``), the plain ``/?p=ID`` form and the
date-and-name form ``/YYYY/MM/DD/slug/`` (WordPress builds it from the *local*
post date) — under the site's subfolder when WordPress lived in one
(``https://example.com/news/``). Paths are stored as Wagtail normalises them
(no trailing slash, sorted query, percent-encoding decoded to text), so an
Arabic URL requested with any hex case finds them.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from urllib.parse import quote, unquote_to_bytes, urlsplit

from wagtail.contrib.redirects.models import Redirect

from akhbar.news.slugs import make_slug

MAX_OLD_PATH = 255  # Redirect.old_path
_NOT_SLUG = re.compile(r"[^-\w]")


def decode_slug(raw: str) -> str:
    """``%d8%a7%d9%82`` → ``اق``; a trailing partial UTF-8 sequence is dropped."""
    data = unquote_to_bytes((raw or "").strip())
    for cut in range(0, 4):
        try:
            text = data[: len(data) - cut].decode("utf-8") if cut else data.decode("utf-8")
            break
        except UnicodeDecodeError:
            continue
    else:
        text = data.decode("utf-8", errors="ignore")
    return unicodedata.normalize("NFC", text)


def wagtail_slug(raw: str, fallback_text: str = "", fallback: str = "") -> tuple[str, bool]:
    """A slug Wagtail accepts (``[-\\w]+``, ≤ 255 chars) from a WordPress slug.

    Returns ``(slug, changed)``: the decoded WordPress slug when it is valid
    (kept exactly: tatweel, digits, Latin all pass), else the same slug with
    the characters Wagtail refuses removed (harakat, punctuation), else a slug
    made from ``fallback_text`` (the title), else ``fallback``.
    """
    decoded = decode_slug(raw).lower()
    if decoded and not _NOT_SLUG.search(decoded) and len(decoded) <= 255:
        return decoded, False
    cleaned = re.sub(r"-{2,}", "-", _NOT_SLUG.sub("", decoded.replace(" ", "-"))).strip("-")[:255].strip("-")
    if cleaned:
        return cleaned, bool(decoded)
    made = make_slug(fallback_text)
    if made:
        return made, bool(decoded)
    return (fallback or "page"), bool(decoded)


class SiteUrl:
    """The old site's base URL: host (with port) and subfolder path (no trailing slash)."""

    def __init__(self, url: str):
        parts = urlsplit((url or "").strip())
        self.scheme = parts.scheme or "http"
        self.host = (parts.hostname or "").lower()
        self.netloc = parts.netloc.lower()
        self.base_path = unquote_path(parts.path.rstrip("/"))

    @property
    def key(self) -> str:
        """``host[:port]/subfolder``, the identity of the site (scheme ignored: http and https are one site)."""
        return f"{self.netloc}{quote(self.base_path, safe='/')}"

    def local_path(self, url: str) -> str | None:
        """Path (+ query) of ``url`` when it points into this site, else ``None``. Relative URLs count."""
        url = (url or "").strip()
        if not url:
            return None
        parts = urlsplit(url)
        if parts.netloc and parts.netloc.lower() != self.netloc:
            return None
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None
        path = parts.path or "/"
        if not path.startswith("/"):
            return None
        return path + (f"?{parts.query}" if parts.query else "")

    def path(self, rest: str) -> str:
        """``/news`` + ``rest``."""
        return f"{self.base_path}{rest}"


def unquote_path(path: str) -> str:
    return decode_slug(path) if "%" in path else path


def normalise(path: str) -> str | None:
    """Wagtail's stored form of ``path``; ``None`` when too long for ``Redirect.old_path``."""
    value = Redirect.normalise_path(path)
    if not value or len(value) > MAX_OLD_PATH:
        return None
    return value


def post_paths(site: SiteUrl, *, post_id: int, post_type: str, link: str, guid: str, slug_raw: str, local_date: datetime | None) -> list[str]:
    """Old paths of a post/page/attachment, normalised and deduplicated, in a stable order."""
    paths = []
    for url in (link, guid):
        local = site.local_path(url)
        if local and not local.startswith(site.path("/wp-content/")):
            paths.append(local)
    key = {"page": "page_id", "attachment": "attachment_id"}.get(post_type, "p")
    paths.append(site.path(f"/?{key}={post_id}"))
    if post_type == "page":
        paths.append(site.path(f"/?p={post_id}"))
    if post_type == "post" and slug_raw and local_date is not None:
        paths.append(site.path(f"/{local_date:%Y/%m/%d}/{slug_raw.strip('/')}/"))
    seen, out = set(), []
    for path in paths:
        value = normalise(path)
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


def term_paths(site: SiteUrl, *, taxonomy: str, slug_path: list[str], term_id: str) -> list[str]:
    """``/category/parent/child/`` (and ``/category/child/``), ``/tag/slug/``, ``/?cat=ID``, ``/?tag=slug``."""
    paths = []
    if taxonomy == "category":
        paths.append(site.path("/category/" + "/".join(slug_path) + "/"))
        if len(slug_path) > 1:
            paths.append(site.path(f"/category/{slug_path[-1]}/"))
        if term_id:
            paths.append(site.path(f"/?cat={term_id}"))
    elif taxonomy == "post_tag":
        paths.append(site.path(f"/tag/{slug_path[-1]}/"))
        paths.append(site.path(f"/?tag={slug_path[-1]}"))
    out = []
    for path in paths:
        value = normalise(path)
        if value and value not in out:
            out.append(value)
    return out


def author_paths(site: SiteUrl, login: str, author_id: str = "") -> list[str]:
    nicename = re.sub(r"[^a-z0-9_-]+", "-", login.lower()).strip("-") or login
    paths = [site.path(f"/author/{quote(nicename)}/")]
    if author_id:
        paths.append(site.path(f"/?author={author_id}"))
    return [v for v in (normalise(p) for p in paths) if v]


def upload_path(site: SiteUrl, attachment_url: str) -> str | None:
    """``/wp-content/uploads/2018/06/x.png`` of an attachment on the old site, normalised."""
    local = site.local_path(attachment_url)
    if not local or "/wp-content/uploads/" not in local:
        return None
    return normalise(local)
