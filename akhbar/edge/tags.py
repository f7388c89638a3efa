"""Cache tags: the names of what a page depends on.

A view (or a hook) declares the tags of the page it renders with
``add_cache_tags(request, ...)``; a change purges tags with
``akhbar.edge.purge.purge_tags``. Names:

==================  ==========================================================
``site``            every page (navigation, site name): implied, never declared
``home``            the front page
``page:<id>``       any Wagtail page, by id
``article:<id>``    an article's own page
``section:<id>``    every page (1, 2, … N) of a section listing
``related:<id>``    the "more from this section" box on article pages of section <id>
``comments:<id>``   the comment form state of article pages of section <id> (its comment switch)
``tag:<slug>``      the listing of a tag (``/tags/<slug>/``)
``taglabel:<id>``   pages that show the name of tag <id> (article footers)
``author:<slug>``   the listing of an author (``/authors/<slug>/``)
``byline:<id>``     pages that show the name of author <id> (bylines)
``image:<id>``      pages that show image <id> with its caption/credit
``feeds``           RSS/Atom feeds
``sitemaps``        XML sitemaps
``search``          search result pages
==================  ==========================================================
"""

from __future__ import annotations

ATTR = "_edge_tags"


def add_cache_tags(request, *tags: str) -> None:
    """Declare that the response to ``request`` depends on ``tags`` (strings, see the module table).

    Safe to call on any request, cached or not. A response is stored in the
    page cache only when it declared at least one tag (other than ``site``).
    """
    current = getattr(request, ATTR, None)
    if current is None:
        current = set()
        setattr(request, ATTR, current)
    current.update(t for t in tags if t)


def get_cache_tags(request) -> set[str]:
    """The tags declared so far for ``request`` (a new set)."""
    return set(getattr(request, ATTR, ()) or ())


def article(pk) -> str:
    return f"article:{pk}"


def page(pk) -> str:
    return f"page:{pk}"


def section(pk) -> str:
    return f"section:{pk}"


def related(section_pk) -> str:
    return f"related:{section_pk}"


def comments(section_pk) -> str:
    return f"comments:{section_pk}"


def tag(slug: str) -> str:
    return f"tag:{slug}"


def tag_label(pk) -> str:
    return f"taglabel:{pk}"


def author(slug: str) -> str:
    return f"author:{slug}"


def byline(pk) -> str:
    return f"byline:{pk}"


def image(pk) -> str:
    return f"image:{pk}"


HOME = "home"
FEEDS = "feeds"
SITEMAPS = "sitemaps"
SEARCH = "search"
SITE = "site"
