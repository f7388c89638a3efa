"""Everything a public page declares in its ``<head>`` for crawlers, readers and share cards.

:func:`head_for` looks at a page's template context (a Wagtail ``page``, or
the ``tag`` / ``author`` of the listing views) and returns a :class:`Head`:

* ``canonical`` — the page's own URL in the current interface language
  (``?page=N`` kept beyond page 1), or the original story's URL when its
  licence asks for it (``ArticlePage.canonical_points_to_source``);
* ``alternates`` — ``hreflang`` links between the Arabic (``/``) and English
  (``/en/``) interfaces, plus ``x-default`` (Arabic);
* ``feeds`` — RSS and Atom autodiscovery links (the site's, plus the
  section's, tag's or author's);
* ``og`` / ``twitter`` — Open Graph and Twitter card properties;
* ``jsonld`` — escaped ``<script type="application/ld+json">`` elements.

Other pages (search, errors) get the site feeds only.
"""

import functools
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from taggit.models import Tag

from akhbar.news.models import ArticleAuthor, ArticlePage, Author, HomePage, SectionPage

from . import content, links, structured

OG_LOCALES = {"ar": "ar_AR", "en": "en_US"}
DESCRIPTION_CHARS = 300


@dataclass
class Head:
    canonical: str = ""
    alternates: list[tuple[str, str]] = field(default_factory=list)
    feeds: list[dict] = field(default_factory=list)
    og: list[tuple[str, str]] = field(default_factory=list)
    twitter: list[tuple[str, str]] = field(default_factory=list)
    jsonld: list = field(default_factory=list)


def _language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _page_suffix(context) -> str:
    page_obj = context.get("page_obj")
    number = getattr(page_obj, "number", 1)
    return f"?page={number}" if isinstance(number, int) and number > 1 else ""


def _alternates(make, suffix: str) -> list[tuple[str, str]]:
    """``[(hreflang, URL)]`` for every interface language, plus ``x-default``."""
    result = [(code, make(code) + suffix) for code, _name in settings.LANGUAGES]
    result.append(("x-default", make(settings.LANGUAGE_CODE) + suffix))
    return result


def _feeds(scope: str, title: str, slug: str | None = None) -> list[dict]:
    args = [slug] if slug is not None else []
    return [
        {"type": "application/rss+xml", "title": f"{title} (RSS)", "href": links.absolute(reverse(f"syndication:{scope}-rss", args=args))},
        {"type": "application/atom+xml", "title": f"{title} (Atom)", "href": links.absolute(reverse(f"syndication:{scope}-atom", args=args))},
    ]


def _site_wide(compute):
    """``compute()`` (a module-level function: its identity is part of the key) memoised per what
    the site-wide parts of a head depend on besides the code: the active language,
    ``AKHBAR_BASE_URL``, the site name, the script prefix and the URLconf (a test's or a deploy's
    settings make a new key). No content goes into them."""
    key = (translation.get_language(), settings.AKHBAR_BASE_URL, settings.AKHBAR_SITE_NAME, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    return _site_wide_value(compute, key)


@functools.lru_cache(maxsize=1000)
def _site_wide_value(compute, _key: tuple):
    return compute()


def _site_feed_links() -> tuple:
    return tuple(_feeds("site", settings.AKHBAR_SITE_NAME))


def _site_feeds() -> list[dict]:
    """The site's RSS and Atom links (a new list of shared, read-only dicts)."""
    return list(_site_wide(_site_feed_links))


def _search_path_in_content_language() -> str:
    with translation.override(links.CONTENT_LANGUAGE):
        try:
            return reverse("search")
        except NoReverseMatch:
            return "/search/"


def _search_path() -> str:
    return _site_wide(_search_path_in_content_language)


def _common_og(head: Head, language: str, *, kind: str, title: str, description: str, url: str) -> None:
    locale = OG_LOCALES.get(language, "ar_AR")
    head.og += [
        ("og:site_name", settings.AKHBAR_SITE_NAME),
        ("og:locale", locale),
        *[("og:locale:alternate", other) for code, other in OG_LOCALES.items() if other != locale],
        ("og:type", kind),
        ("og:title", title),
        ("og:url", url),
    ]
    if description:
        head.og.append(("og:description", description))
    head.twitter += [("twitter:card", "summary"), ("twitter:title", title)]
    if description:
        head.twitter.append(("twitter:description", description))


def _image_cards(head: Head, rendition, alt: str) -> None:
    url = links.media_url(rendition.url)
    head.og += [
        ("og:image", url),
        *([("og:image:secure_url", url)] if url.startswith("https://") else []),
        ("og:image:type", content.mime_type(rendition.file.name)),
        ("og:image:width", str(rendition.width)),
        ("og:image:height", str(rendition.height)),
    ]
    if alt:
        head.og.append(("og:image:alt", alt))
    head.twitter[0] = ("twitter:card", "summary_large_image")
    head.twitter.append(("twitter:image", url))
    if alt:
        head.twitter.append(("twitter:image:alt", alt))


def _describe(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(DESCRIPTION_CHARS)


def _article_renditions(image):
    """Lead image renditions in 16x9, 4x3, 1x1 (empty when the file is missing)."""
    found = content.renditions(image, list(content.IMAGE_SPECS.values()))
    return [found[spec] for spec in content.IMAGE_SPECS.values() if spec in found]


def article_head(context, article: ArticlePage, language: str) -> Head:
    head = Head()
    paths = {code: links.PagePaths(code) for code, _name in settings.LANGUAGES}
    own_url = paths[language].url(article.url_path)
    head.canonical = links.absolute(article.source_url) if article.canonical_points_to_source else own_url
    if not article.canonical_points_to_source:
        head.alternates = _alternates(lambda code: paths[code].url(article.url_path), "")
    section = article.section if article.section_id else None
    head.feeds = _site_feeds()
    if section is not None:
        head.feeds += _feeds("section", section.title, section.slug)

    authors = context.get("authors")
    if authors is None:
        authors = [link.author for link in ArticleAuthor.objects.filter(page=article).select_related("author").order_by("sort_order")] if article.pk else []
    tags = context.get("article_tags")
    if tags is None:
        tags = list(article.tags.all())
    corrections = content.corrections_of(article)
    modified = content.date_modified(article, corrections)
    image = content.lead_image(article)
    renditions = _article_renditions(image)
    alt = content.image_alt(article, image)
    description = _describe(article.standfirst)

    _common_og(head, language, kind="article", title=article.title, description=description, url=own_url)
    if article.published_at:
        head.og.append(("article:published_time", structured.iso(article.published_at)))
    if modified:
        head.og.append(("article:modified_time", structured.iso(modified)))
    if section is not None:
        head.og.append(("article:section", section.title))
    head.og += [("article:author", links.named_url("author", a.slug)) for a in authors]
    head.og += [("article:tag", tag.name) for tag in tags]
    if renditions:
        _image_cards(head, renditions[0], alt)

    head.jsonld.append(
        structured.json_ld(
            structured.news_article(
                article,
                url=own_url,
                authors=authors,
                section=section,
                tags=tags,
                corrections=corrections,
                renditions=renditions,
                modified=modified,
                credit=getattr(image, "credit", "") or "",
            )
        )
    )
    trail = [(settings.AKHBAR_SITE_NAME, links.absolute(links.language_prefix(language)))]
    if section is not None:
        trail.append((section.display_name, paths[language].url(section.url_path)))
    trail.append((article.title, own_url))
    head.jsonld.append(structured.json_ld(structured.breadcrumbs(trail)))
    return head


def section_head(context, section: SectionPage, language: str) -> Head:
    head = Head()
    suffix = _page_suffix(context)
    paths = {code: links.PagePaths(code) for code, _name in settings.LANGUAGES}
    own_url = paths[language].url(section.url_path)
    head.canonical = own_url + suffix
    head.alternates = _alternates(lambda code: paths[code].url(section.url_path), suffix)
    head.feeds = _site_feeds() + _feeds("section", section.title, section.slug)
    name = section.display_name
    description = _describe(section.description) or gettext("The latest %(section)s news from %(site)s") % {"section": name, "site": settings.AKHBAR_SITE_NAME}
    _common_og(head, language, kind="website", title=name, description=description, url=head.canonical)
    trail = [(settings.AKHBAR_SITE_NAME, links.absolute(links.language_prefix(language))), (name, own_url)]
    head.jsonld.append(structured.json_ld(structured.breadcrumbs(trail)))
    return head


def home_head(context, home: HomePage, language: str) -> Head:
    head = Head()
    head.canonical = links.absolute(links.language_prefix(language))
    head.alternates = _alternates(lambda code: links.absolute(links.language_prefix(code)), "")
    head.feeds = _site_feeds()
    description = gettext("Arabic news: politics, economy, sport, culture, science and technology.")
    _common_og(head, language, kind="website", title=settings.AKHBAR_SITE_NAME, description=description, url=head.canonical)
    head.og.append(("og:image", links.media_url(links.static_url(structured.LOGO_SQUARE["path"]))))
    head.og.append(("og:image:width", str(structured.LOGO_SQUARE["width"])))
    head.og.append(("og:image:height", str(structured.LOGO_SQUARE["height"])))
    head.og.append(("og:image:alt", settings.AKHBAR_SITE_NAME))
    head.jsonld.append(structured.json_ld(structured.website(_search_path())))
    head.jsonld.append(structured.json_ld(structured.publisher(with_context=True)))
    return head


def listing_head(context, language: str, *, scope: str, name: str, slug: str, obj_title: str, description: str) -> Head:
    """Tag and author pages (``/tags/<slug>/``, ``/authors/<slug>/``)."""
    head = Head()
    suffix = _page_suffix(context)
    make = lambda code: links.named_url(scope, slug, language=code)  # noqa: E731
    own_url = make(language)
    head.canonical = own_url + suffix
    head.alternates = _alternates(make, suffix)
    head.feeds = _site_feeds() + _feeds(scope, obj_title, slug)
    kind = "profile" if scope == "author" else "website"
    _common_og(head, language, kind=kind, title=name, description=_describe(description), url=head.canonical)
    return head


def head_for(context) -> Head:
    """The :class:`Head` of the page being rendered with ``context``."""
    language = _language()
    page = context.get("page")
    if isinstance(page, ArticlePage):
        return article_head(context, page, language)
    if isinstance(page, SectionPage):
        return section_head(context, page, language)
    if isinstance(page, HomePage):
        return home_head(context, page, language)
    tag, author = context.get("tag"), context.get("author")
    if isinstance(tag, Tag):
        return listing_head(
            context, language, scope="tag", name=tag.name, slug=tag.slug, obj_title=tag.name,
            description=gettext("Stories tagged %(tag)s") % {"tag": tag.name},
        )
    if isinstance(author, Author):
        return listing_head(
            context, language, scope="author", name=author.name, slug=author.slug, obj_title=author.name,
            description=author.bio or gettext("Stories by %(name)s") % {"name": author.name},
        )
    return Head(feeds=_site_feeds())
