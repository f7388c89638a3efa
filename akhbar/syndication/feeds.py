"""RSS 2.0 and Atom 1.0 feeds of the site, each section, tag and author.

Built on ``django.contrib.syndication``:

* **GUIDs** are tag: URIs (RFC 4151) from the page id — ``<guid
  isPermaLink="false">`` in RSS, ``<id>`` in Atom — so editing a headline,
  slug or section never makes a story reappear as new.
* **Dates**: RSS ``pubDate`` in RFC 822 (as updated by RFC 1123, four-digit
  year); Atom ``published``/``updated`` in RFC 3339. ``updated`` (also
  written into RSS items as ``atom:updated``) moves with corrections.
* **Links** are absolute URIs under ``AKHBAR_BASE_URL``; Arabic paths are
  percent-encoded UTF-8 (IRI → URI, RFC 3987).
* **Images**: the lead image (16x9 rendition) as the RSS ``<enclosure>`` /
  Atom ``<link rel="enclosure">`` and as Media RSS ``<media:content>``
  with its alt text and credit.
* **Text**: the standfirst (``<description>``/``<summary>``), plus the whole
  body (``<content:encoded>``/``<content>``) when ``AKHBAR_FEED_FULL_TEXT``
  is on. Corrections are appended as a note.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, rfc3339_date
from django.utils.translation import gettext
from taggit.models import Tag

from akhbar.news.models import ArticleAuthor, ArticlePage, Author, SectionPage

from . import content, links
from .sitemap_xml import xml_text

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def _clean(value):
    """Feed text without characters XML 1.0 cannot carry (Django refuses to write them)."""
    return xml_text(str(value)) if value is not None else None


def _whole_seconds(value):
    """Feed dates to the second (RFC 822 has no fractions; RFC 3339 readers need none)."""
    return value.replace(microsecond=0) if value else value


def _write_media(handler, media: dict | None) -> None:
    if not media:
        return
    attrs = {"url": media["url"], "medium": "image", "type": media["type"]}
    if media.get("width"):
        attrs.update(width=str(media["width"]), height=str(media["height"]))
    handler.startElement("media:content", attrs)
    if media.get("alt"):
        handler.addQuickElement("media:description", media["alt"], {"type": "plain"})
    if media.get("credit"):
        handler.addQuickElement("media:credit", media["credit"])
    handler.endElement("media:content")


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with ``content:encoded`` (full text) and Media RSS ``media:content``."""

    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        attrs["xmlns:content"] = CONTENT_NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"] is not None:
            # RSS 2.0 has no "updated" element; Atom's is the common extension (corrections move it).
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _write_media(handler, item.get("media"))


class NewsAtomFeed(Atom1Feed):
    """Atom 1.0 with every author, ``<content type="html">`` (full text) and ``media:content``."""

    def root_attributes(self):
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, uri in item.get("more_authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _write_media(handler, item.get("media"))


class ArticleFeed(Feed):
    """The latest stories of the whole site; subclasses narrow the scope.

    ``scope`` names the feed in URLs, cache keys and Atom ids. Items are
    ``AKHBAR_FEED_ITEMS`` live public stories, newest first, fetched with a
    fixed number of queries (authors, tags, corrections and renditions are
    prefetched).
    """

    scope = "site"
    feed_type = NewsRssFeed
    language = links.CONTENT_LANGUAGE
    item_guid_is_permalink = False

    # --- what the feed is about -------------------------------------------------
    def lookup(self, slug):
        """The object the feed is about (``None`` for the site); raises ``Http404``."""
        return None

    def scope_queryset(self, obj):
        return ArticlePage.objects.listing()

    def scope_page_url(self, obj) -> str:
        return links.absolute(links.language_prefix(links.CONTENT_LANGUAGE))

    def scope_title(self, obj) -> str:
        return settings.AKHBAR_SITE_NAME

    def scope_description(self, obj) -> str:
        return gettext("The latest news from %(site)s") % {"site": settings.AKHBAR_SITE_NAME}

    def scope_id(self, obj):
        return self.scope

    def feed_path(self, obj, fmt: str) -> str:
        return reverse(f"syndication:{self.scope}-{fmt}")

    # --- feed-level ------------------------------------------------------------
    def get_object(self, request, slug=None):
        return self.lookup(slug)

    def title(self, obj):
        return _clean(self.scope_title(obj))

    def description(self, obj):
        return _clean(self.scope_description(obj))

    subtitle = description

    def link(self, obj):
        return self.scope_page_url(obj)

    def feed_url(self, obj):
        fmt = "atom" if issubclass(self.feed_type, Atom1Feed) else "rss"
        return links.absolute(self.feed_path(obj, fmt))

    def feed_guid(self, obj):
        return links.tag_uri("feed", self.scope_id(obj))

    def author_name(self, obj):
        return _clean(settings.AKHBAR_SITE_NAME)

    def author_link(self, obj):
        return links.absolute("/")

    def feed_copyright(self, obj):
        return _clean(f"© {settings.AKHBAR_SITE_NAME}")

    def ttl(self, obj):
        return str(max(1, settings.AKHBAR_SYNDICATION_CACHE_SECONDS // 60))

    # --- items -----------------------------------------------------------------
    def items(self, obj):
        queryset = self.scope_queryset(obj).public().prefetch_related(
            "corrections",
            "tagged_items__tag",
            Prefetch("article_authors", queryset=ArticleAuthor.objects.select_related("author").order_by("sort_order")),
        )
        if not settings.AKHBAR_FEED_FULL_TEXT:
            queryset = queryset.defer("body")
        else:
            queryset = queryset.defer(None).select_related("section", "lead_image")
        articles = list(queryset[: settings.AKHBAR_FEED_ITEMS])
        images = [a.lead_image for a in articles if a.lead_image_id]
        if images:
            prefetch_related_objects(images, "renditions")
        self._paths = links.PagePaths()
        for article in articles:
            article.syndication_corrections = content.corrections_of(article)
            found = content.renditions(article.lead_image, [content.CARD_SPEC]) if article.lead_image_id else {}
            article.syndication_rendition = found.get(content.CARD_SPEC)
        return articles

    def item_title(self, item):
        return _clean(item.title)

    def item_link(self, item):
        return self._paths.url(item.url_path)

    def item_guid(self, item):
        return links.tag_uri("article", item.pk)

    def item_description(self, item):
        return _clean(content.summary_html(item, item.syndication_corrections))

    def item_pubdate(self, item):
        return _whole_seconds(item.published_at)

    def item_updateddate(self, item):
        return _whole_seconds(content.date_modified(item, item.syndication_corrections))

    def _authors(self, item):
        return [link.author for link in item.article_authors.all()]

    def item_author_name(self, item):
        names = [a.name for a in self._authors(item)]
        if names:
            return _clean("، ".join(names) if issubclass(self.feed_type, Rss201rev2Feed) else names[0])
        return _clean(item.byline or item.source_name or settings.AKHBAR_SITE_NAME)

    def item_author_link(self, item):
        authors = self._authors(item)
        return links.named_url("author", authors[0].slug) if authors else None

    def item_categories(self, item):
        categories = [item.section.title] if item.section_id and item.section else []
        categories += [tagged.tag.name for tagged in item.tagged_items.all()]
        return [_clean(c) for c in categories]

    def item_enclosures(self, item):
        rendition = item.syndication_rendition
        if rendition is None:
            return []
        return [Enclosure(links.media_url(rendition.url), str(content.rendition_length(rendition)), content.mime_type(rendition.file.name))]

    def item_copyright(self, item):
        if item.source_kind != ArticlePage.SOURCE_STAFF and item.source_licence:
            return _clean(f"{item.source_name} ({item.source_licence})")
        return None

    def item_extra_kwargs(self, item):
        extra = {}
        authors = self._authors(item)
        if issubclass(self.feed_type, Atom1Feed) and len(authors) > 1:
            extra["more_authors"] = [(_clean(a.name), links.named_url("author", a.slug)) for a in authors[1:]]
        if settings.AKHBAR_FEED_FULL_TEXT:
            extra["content_html"] = _clean(content.body_html(item) + content.corrections_html(item.syndication_corrections))
        rendition = item.syndication_rendition
        if rendition is not None:
            extra["media"] = {
                "url": links.media_url(rendition.url),
                "type": content.mime_type(rendition.file.name),
                "width": rendition.width,
                "height": rendition.height,
                "alt": _clean(item.lead_alt),
                "credit": _clean(item.lead_image.credit),
            }
        return extra


class SectionFeed(ArticleFeed):
    scope = "section"

    def lookup(self, slug):
        return get_object_or_404(SectionPage.objects.live().public(), slug=slug)

    def scope_queryset(self, obj):
        return ArticlePage.objects.listing().filter(section=obj)

    def scope_page_url(self, obj):
        return links.page_url(obj)

    def scope_title(self, obj):
        return f"{obj.title} | {settings.AKHBAR_SITE_NAME}"

    def scope_description(self, obj):
        return obj.description or gettext("The latest %(section)s news from %(site)s") % {"section": obj.title, "site": settings.AKHBAR_SITE_NAME}

    def scope_id(self, obj):
        return f"section:{obj.pk}"

    def feed_path(self, obj, fmt):
        return reverse(f"syndication:section-{fmt}", args=[obj.slug])


class TagFeed(ArticleFeed):
    scope = "tag"

    def lookup(self, slug):
        return get_object_or_404(Tag, slug=slug)

    def scope_queryset(self, obj):
        return ArticlePage.objects.listing().filter(tagged_items__tag=obj)

    def scope_page_url(self, obj):
        return links.named_url("tag", obj.slug)

    def scope_title(self, obj):
        return f"{obj.name} | {settings.AKHBAR_SITE_NAME}"

    def scope_description(self, obj):
        return gettext("Stories tagged %(tag)s") % {"tag": obj.name}

    def scope_id(self, obj):
        return f"tag:{obj.pk}"

    def feed_path(self, obj, fmt):
        return reverse(f"syndication:tag-{fmt}", args=[obj.slug])


class AuthorFeed(ArticleFeed):
    scope = "author"

    def lookup(self, slug):
        return get_object_or_404(Author, slug=slug)

    def scope_queryset(self, obj):
        return ArticlePage.objects.listing().filter(article_authors__author=obj)

    def scope_page_url(self, obj):
        return links.named_url("author", obj.slug)

    def scope_title(self, obj):
        return f"{obj.name} | {settings.AKHBAR_SITE_NAME}"

    def scope_description(self, obj):
        return gettext("Stories by %(name)s") % {"name": obj.name}

    def scope_id(self, obj):
        return f"author:{obj.pk}"

    def feed_path(self, obj, fmt):
        return reverse(f"syndication:author-{fmt}", args=[obj.slug])


def atom(feed_class):
    """The Atom twin of an RSS feed class."""
    return type(f"{feed_class.__name__}Atom", (feed_class,), {"feed_type": NewsAtomFeed})


FEEDS = {
    "site": ArticleFeed,
    "section": SectionFeed,
    "tag": TagFeed,
    "author": AuthorFeed,
}
