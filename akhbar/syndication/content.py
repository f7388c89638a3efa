"""What an article says outside its page: dates, corrections, images and HTML for feeds.

Shared by the feeds, the structured data and the corrections box so that
all of them agree on, for example, when a story was last modified.
"""

import logging
import mimetypes
from datetime import datetime
from urllib.parse import urlsplit

import lxml.html
from django.core.cache import cache
from django.utils import formats, timezone, translation
from django.utils.html import escape, format_html
from django.utils.translation import gettext

from . import links

logger = logging.getLogger(__name__)

#: Wagtail rendition filters of the lead image, by aspect ratio (Google asks for 16x9, 4x3 and 1x1).
IMAGE_SPECS = {"16x9": "fill-1200x675", "4x3": "fill-1200x900", "1x1": "fill-1200x1200"}
#: The share-card and feed image (16x9).
CARD_SPEC = IMAGE_SPECS["16x9"]

_URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data")


def corrections_of(article) -> list:
    """The article's corrections, oldest first (prefetched, in-memory previews included).

    Memoised on the article object for the request, so the page, its JSON-LD and its
    corrections box share one query.
    """
    cached = getattr(article, "_akhbar_corrections", None)
    if cached is None:
        cached = sorted(article.corrections.all(), key=lambda c: (c.corrected_at, c.pk or 0))
        article._akhbar_corrections = cached
    return cached


def date_modified(article, corrections=None) -> datetime | None:
    """When the story last changed: its ``updated_at`` or its latest correction, whichever is later.

    Corrections dated in the future are ignored. Falls back to ``published_at``.
    """
    corrections = corrections_of(article) if corrections is None else corrections
    now = timezone.now()
    candidates = [article.updated_at, article.published_at] + [c.corrected_at for c in corrections if c.corrected_at <= now]
    return max(filter(None, candidates), default=None)


def lead_image(article):
    """The image that represents the story: the lead image, else the first figure of the body, else ``None``."""
    if article.lead_image_id:
        return article.lead_image
    if "body" in article.get_deferred_fields():
        return None
    for block in article.body:
        if block.block_type == "figure" and block.value.get("image"):
            return block.value["image"]
    return None


def image_alt(article, image) -> str:
    if image is None:
        return ""
    if image.pk == article.lead_image_id:
        return article.lead_alt
    for block in article.body:
        if block.block_type == "figure" and block.value.get("image") and block.value["image"].pk == image.pk:
            return block.value.get("alt_text") or image.description or ""
    return image.description or ""


def renditions(image, specs) -> dict:
    """``{spec: rendition}`` for ``specs`` (one query for those that exist, created otherwise).

    Returns ``{}`` when the source file is missing or unreadable: a lost image
    file must not take a page or a feed down with it (it is logged).
    """
    if image is None:
        return {}
    try:
        return image.get_renditions(*specs)
    except Exception:  # SourceImageIOError, OSError, PIL errors …
        logger.warning("no renditions of image %s", image.pk, exc_info=True)
        return {}


def rendition_length(rendition) -> int:
    """Size in bytes of a rendition file, cached (renditions never change); 0 when unknown."""
    key = f"syndication:rendition-size:{rendition.pk}"
    size = cache.get(key)
    if size is None:
        try:
            size = rendition.file.size
        except (OSError, ValueError):
            return 0
        cache.set(key, size, None)
    return size


def mime_type(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "image/jpeg"


def absolutize_html(html: str) -> str:
    """Rewrite relative links and image sources of an HTML fragment as absolute URIs.

    Feed readers show content away from the site, where ``/media/…`` means
    nothing. ``srcset`` candidates are rewritten too; Arabic paths are
    percent-encoded.
    """
    if not html.strip():
        return ""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in wrapper.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in _URL_ATTRIBUTES:
            value = (element.get(attribute) or "").strip()
            if value and not value.startswith("#") and urlsplit(value).scheme in ("", "http", "https"):
                element.set(attribute, links.absolute(value))
        srcset = element.get("srcset")
        if srcset:
            candidates = []
            for candidate in srcset.split(","):
                bits = candidate.strip().split()
                if bits:
                    bits[0] = links.absolute(bits[0])
                    candidates.append(" ".join(bits))
            element.set("srcset", ", ".join(candidates))
    return "".join(
        [escape(wrapper.text or "")] + [lxml.html.tostring(child, encoding="unicode") for child in wrapper]
    )


def body_html(article) -> str:
    """The rendered body (stream blocks) with absolute links, for full-text feeds."""
    return absolutize_html(str(article.body))


def format_date(value) -> str:
    """A reader-facing date in Arabic (``30 نوفمبر 2026``)."""
    with translation.override(links.CONTENT_LANGUAGE):
        return formats.date_format(timezone.localtime(value), "j F Y")


def corrections_html(corrections) -> str:
    """The corrections as HTML paragraphs for a feed item, in Arabic."""
    with translation.override(links.CONTENT_LANGUAGE):
        return "".join(
            format_html(
                "<p><strong>{} ({}):</strong> {}</p>", gettext("Correction"), format_date(c.corrected_at), c.text
            )
            for c in corrections
        )


def summary_html(article, corrections=()) -> str:
    """Standfirst (escaped) as a paragraph, followed by any corrections."""
    return format_html("<p>{}</p>", article.standfirst) + corrections_html(corrections)
