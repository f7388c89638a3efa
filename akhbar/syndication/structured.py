"""schema.org JSON-LD for article, section and home pages.

Follows Google's structured-data guidance for articles (NewsArticle:
headline, image in 16x9, 4x3 and 1x1, datePublished/dateModified in ISO 8601
with a time zone, author as Person with name and url, publisher) and for
breadcrumbs and the sitelinks search box (WebSite + SearchAction).

:func:`json_ld` serialises for a ``<script type="application/ld+json">``
element: ``<``, ``>`` and ``&`` (and U+2028/U+2029) are written as ``\\uXXXX``
escapes, like Django's ``json_script``, so no text can close the element or
open a comment. The element is data, not script, so it is compatible with the
site's ``script-src 'self'`` Content-Security-Policy.
"""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import links

SCHEMA = "https://schema.org"

#: The publisher logo drawn by ``akhbar draw-logo`` (static files, committed).
LOGO = {"path": "syndication/logo.png", "width": 600, "height": 60}
LOGO_SQUARE = {"path": "syndication/logo-square.png", "width": 512, "height": 512}

_JSON_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_ld(data) -> SafeString:
    """``data`` as a complete ``<script type="application/ld+json">`` element, safely escaped."""
    text = json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def iso(value) -> str | None:
    """ISO 8601 with the site's UTC offset, to the second: ``2026-11-30T09:15:00+03:00``."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def logo_object(logo=LOGO) -> dict:
    return {"@type": "ImageObject", "url": links.media_url(links.static_url(logo["path"])), "width": logo["width"], "height": logo["height"]}


def publisher_id() -> str:
    return links.absolute("/") + "#publisher"


def publisher(with_context: bool = False) -> dict:
    """The newsroom as a ``NewsMediaOrganization`` with its logo."""
    data = {
        "@type": "NewsMediaOrganization",
        "@id": publisher_id(),
        "name": settings.AKHBAR_SITE_NAME,
        "url": links.absolute("/"),
        "logo": logo_object(),
    }
    return {"@context": SCHEMA, **data} if with_context else data


def website(search_path: str = "/search/") -> dict:
    """``WebSite`` with a ``SearchAction`` (``/search/?q={search_term_string}``)."""
    base = links.absolute("/")
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "@id": base + "#website",
        "url": base,
        "name": settings.AKHBAR_SITE_NAME,
        "inLanguage": links.CONTENT_LANGUAGE,
        "publisher": {"@id": publisher_id()},
        "potentialAction": {
            "@type": "SearchAction",
            # The braces must stay literal: they are the template variable.
            "target": {"@type": "EntryPoint", "urlTemplate": links.absolute(search_path) + "?q={search_term_string}"},
            "query-input": "required name=search_term_string",
        },
    }


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """``BreadcrumbList`` of ``[(name, absolute URL), …]`` from the home page down."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def image_objects(renditions: list) -> list[dict]:
    return [
        {"@type": "ImageObject", "url": links.media_url(r.url), "width": r.width, "height": r.height}
        for r in renditions
    ]


def news_article(
    article,
    *,
    url: str,
    authors: list,
    section,
    tags: list,
    corrections: list,
    renditions: list,
    modified,
    credit: str = "",
) -> dict:
    """``NewsArticle`` of a story.

    ``url`` is the page's own absolute URL (``mainEntityOfPage``);
    ``authors`` are ``Author`` objects in byline order (a byline credit or
    the newsroom stands in when there is none); ``renditions`` are the lead
    image in 16x9, 4x3 and 1x1; ``modified`` includes corrections.
    """
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "@id": url + "#article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.title,
        "description": article.standfirst,
        "inLanguage": links.CONTENT_LANGUAGE,
        "isAccessibleForFree": True,
        "publisher": publisher(),
    }
    if article.published_at:
        data["datePublished"] = iso(article.published_at)
    if modified:
        data["dateModified"] = iso(modified)
    if renditions:
        images = image_objects(renditions)
        if credit:
            for image in images:
                image["creditText"] = credit
        data["image"] = images
    if authors:
        data["author"] = [
            {"@type": "Person", "name": author.name, "url": links.named_url("author", author.slug)} for author in authors
        ]
    elif article.byline or article.source_name:
        data["author"] = [{"@type": "Organization", "name": article.byline or article.source_name}]
    else:
        data["author"] = [{"@type": "Organization", "name": settings.AKHBAR_SITE_NAME, "url": links.absolute("/")}]
    if section is not None:
        data["articleSection"] = section.title
    if tags:
        data["keywords"] = [tag.name for tag in tags]
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    if article.source_url and article.source_kind != article.SOURCE_STAFF:
        data["isBasedOn"] = links.absolute(article.source_url)
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": iso(c.corrected_at)} for c in corrections
        ]
    return data
