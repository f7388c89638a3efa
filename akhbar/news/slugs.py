"""Readable, stable Arabic slugs for URLs.

Slugs keep Arabic letters (Wagtail's ``WAGTAIL_ALLOW_UNICODE_SLUGS``) and are
percent-encoded as UTF-8 in URLs (RFC 3987 §3.1 IRI → URI mapping). Length
limits are counted in characters *and* in percent-encoded bytes, and a slug is
only ever cut between characters (never inside a UTF-8 sequence) and
preferably between words.
"""

import re
import unicodedata
from urllib.parse import quote

from django.utils.text import slugify

# Harakat, tatweel and other marks carry no meaning in a URL and make two
# spellings of the same headline give two slugs.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

#: Longest slug in characters (Wagtail's field allows 255).
MAX_SLUG_CHARS = 80
#: Longest slug once percent-encoded: Arabic letters take 6 bytes each (%D8%A7).
MAX_SLUG_ENCODED = 240


def encoded_length(slug: str) -> int:
    """Length in bytes of ``slug`` after UTF-8 percent-encoding."""
    return len(quote(slug, safe="-_"))


def make_slug(text: str, max_chars: int = MAX_SLUG_CHARS, max_encoded: int = MAX_SLUG_ENCODED) -> str:
    """Turn a headline into a URL slug.

    Returns lowercase words joined by ``-``, Arabic letters kept, harakat and
    tatweel dropped, at most ``max_chars`` characters and ``max_encoded`` bytes
    when percent-encoded, cut at a word boundary when one exists. Returns
    ``""`` when nothing sluggable remains (caller chooses a fallback).
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _MARKS.sub("", text)
    slug = slugify(text, allow_unicode=True)
    if len(slug) <= max_chars and encoded_length(slug) <= max_encoded:
        return slug
    cut = ""
    for word in slug.split("-"):
        candidate = f"{cut}-{word}" if cut else word
        if len(candidate) > max_chars or encoded_length(candidate) > max_encoded:
            break
        cut = candidate
    if not cut:  # a single over-long word: cut between characters
        for char in slug:
            if len(cut) + 1 > max_chars or encoded_length(cut + char) > max_encoded:
                break
            cut += char
    return cut.strip("-")


def with_suffix(slug: str, n: int, max_chars: int = MAX_SLUG_CHARS, max_encoded: int = MAX_SLUG_ENCODED) -> str:
    """Return ``slug-n`` still within the limits (the base is shortened if needed)."""
    suffix = f"-{n}"
    base = make_slug(slug, max_chars - len(suffix), max_encoded - len(suffix)) or "x"
    return base + suffix
