"""Invalidation: what to purge when newsroom content changes, in the page cache and at the proxy/CDN.

Public API (other apps call these):

* ``purge_article(article)``: the article's own page, e.g. after a comment
  on it was approved (the comments app calls it; it is also connected to
  ``akhbar.comments.signals.comment_published`` when that signal exists).
* ``purge_article_change(article, before)``: everything an article appears
  on; called by the signal handlers on publish, unpublish, move and delete.
* ``purge_tags(*tags, urls=())``: low level, for other apps' own pages.
* ``purge_everything()``: every page (navigation or site-wide change).

Each purge happens twice: at once (visible to the next request, also
outside transactions) and again after the surrounding transaction commits,
so that a page rendered meanwhile from not-yet-committed data cannot survive
(see ``store.py``). Proxy/CDN purges (``WAGTAILFRONTENDCACHE``, configured by
``AKHBAR_PURGE_URLS`` and friends) are sent after commit only. The static
mirror (``mirror.py``, ``AKHBAR_STATIC_MIRROR_DIR``) loses the files of the
purged tags together with the page cache, at once and after commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from . import conf, mirror
from . import tags as T
from .store import store

logger = logging.getLogger("akhbar.edge")


@dataclass
class Snapshot:
    """What of an article is visible publicly, as committed in the database.

    ``url_path`` is Wagtail's tree path (``/home/section/slug/``); ``tags``
    are ``(tag id, tag slug)``; ``authors`` are ``(author id, author slug)``.
    """

    pk: int
    live: bool
    section_id: int | None
    url_path: str
    tags: list = field(default_factory=list)
    authors: list = field(default_factory=list)


def snapshot(pk) -> Snapshot | None:
    """Read the committed public state of article ``pk`` (3 queries); ``None`` if it does not exist."""
    from akhbar.news.models import ArticleAuthor, ArticlePage, ArticleTag

    row = ArticlePage.objects.filter(pk=pk).values_list("live", "section_id", "url_path").first()
    if row is None:
        return None
    return Snapshot(
        pk=pk,
        live=row[0],
        section_id=row[1],
        url_path=row[2],
        tags=list(ArticleTag.objects.filter(content_object_id=pk).values_list("tag_id", "tag__slug")),
        authors=list(ArticleAuthor.objects.filter(page_id=pk).values_list("author_id", "author__slug")),
    )


def _after_commit(func) -> None:
    transaction.on_commit(func, robust=True)


def purge_tags(*tags: str, urls=()) -> list[str]:
    """Purge ``tags`` from the page cache now and after commit; ``urls`` (absolute) at the proxy/CDN after commit."""
    tags = [t for t in tags if t]
    _purge_local(tags)
    urls = sorted(set(urls))
    _after_commit(lambda: _purge_local(tags))
    if urls and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        _after_commit(lambda: purge_urls(urls))
    return sorted(set(tags))


def _purge_local(tags) -> None:
    """The page cache's tag versions, then this machine's static mirror files (``mirror.py``).

    The mirror is reached even when this process has no ``AKHBAR_STATIC_MIRROR_DIR`` (a cron
    ``publish-scheduled``): servers announce their mirror folder in the shared edge cache.
    """
    store.purge(tags)
    try:
        mirror.purge(tags)
    except Exception:  # never break a publish; the prune cron bounds what is left
        logger.exception("static mirror: purge of %s failed", ",".join(sorted(tags)))


def purge_urls(urls) -> None:
    """Send ``urls`` (absolute, may be IRIs) to every configured proxy/CDN backend; errors are logged."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    batch = PurgeBatch()
    batch.add_urls([iri_to_uri(u) for u in urls])
    try:
        batch.purge()
    except Exception:  # a CDN outage must not break publishing
        logger.exception("proxy/CDN purge failed for %d URLs", len(urls))


def purge_everything() -> None:
    """Every page of the site (tag ``site``), and the site root at the proxy/CDN."""
    purge_tags(T.SITE, urls=[root + "/" for root in site_roots()])


# --- URLs -------------------------------------------------------------------------
def site_roots() -> list[str]:
    """Root URLs of the Wagtail sites (``https://example.org``), else ``AKHBAR_BASE_URL``."""
    from wagtail.models import Site

    roots = sorted({srp.root_url.rstrip("/") for srp in Site.get_site_root_paths()})
    return roots or [settings.AKHBAR_BASE_URL.rstrip("/")]


def _language_variants(root: str, path: str) -> list[str]:
    """``root + path`` in every language: ``/x/`` and ``/en/x/`` (i18n_patterns, default unprefixed)."""
    urls = [root + path]
    for code, _name in settings.LANGUAGES:
        if code != settings.LANGUAGE_CODE:
            urls.append(f"{root}/{code}{path}")
    return urls


def page_urls(url_path: str) -> list[str]:
    """Public URLs (every site and language) of the page at Wagtail ``url_path``."""
    from wagtail.models import Site

    urls = []
    for srp in Site.get_site_root_paths():
        if url_path.startswith(srp.root_path):
            path = "/" + url_path[len(srp.root_path) :]
            urls += _language_variants(srp.root_url.rstrip("/"), path)
    return urls


def named_urls(name: str, *args) -> list[str]:
    """Public URLs of a named route (``tag``, ``author``) in every language and site."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse(name, args=args)
    except NoReverseMatch:
        return []
    return [u for root in site_roots() for u in _language_variants(root, path)]


def listing_urls() -> list[str]:
    """Home, feeds, sitemaps and search roots (``AKHBAR_PURGE_EXTRA_PATHS``) in every language and site."""
    paths = ["/", *conf.get("AKHBAR_PURGE_EXTRA_PATHS"), "/search/"]
    return [u for root in site_roots() for p in paths for u in _language_variants(root, p)]


# --- articles ----------------------------------------------------------------------
def purge_article(article) -> list[str]:
    """The article's own page only (comment approved, counters changed); returns the purged tags."""
    urls = page_urls(article.url_path) if getattr(article, "url_path", "") else []
    return purge_tags(T.article(article.pk), T.page(article.pk), urls=urls)


def _in_newest(article_pk, section_id) -> bool:
    from akhbar.news.models import ArticlePage
    from akhbar.news.queries import RELATED_COUNT

    newest = ArticlePage.objects.listing().filter(section_id=section_id).values_list("pk", flat=True)[: RELATED_COUNT + 1]
    return article_pk in set(newest)


def article_change_tags(pk, before: Snapshot | None, after: Snapshot | None) -> set[str]:
    """Tags to purge when article ``pk`` goes from ``before`` to ``after`` (either may be ``None``).

    Its page, its sections (all pages), home, its tags and authors (old and
    new), feeds, sitemaps, search; the "more from" box of its section when
    the article enters, leaves or is among the newest of that section.
    """
    result = {T.article(pk), T.page(pk), T.HOME, T.FEEDS, T.SITEMAPS, T.SEARCH}
    for snap in (before, after):
        if snap is None:
            continue
        if snap.section_id:
            result.add(T.section(snap.section_id))
        result.update(T.tag(slug) for _id, slug in snap.tags)
        result.update(T.author(slug) for _id, slug in snap.authors)
    sections = {s.section_id for s in (before, after) if s is not None and s.section_id}
    steady = before is not None and after is not None and before.live and after.live and before.section_id == after.section_id
    if not steady or (after.section_id and _in_newest(pk, after.section_id)):
        result.update(T.related(s) for s in sections)
    return result


def article_change_urls(before: Snapshot | None, after: Snapshot | None) -> list[str]:
    """Proxy/CDN URLs for an article change: its pages, section pages, tag and author pages, listings."""
    from akhbar.news.models import SectionPage

    urls = listing_urls()
    section_ids = set()
    for snap in (before, after):
        if snap is None:
            continue
        urls += page_urls(snap.url_path)
        if snap.section_id:
            section_ids.add(snap.section_id)
        for _id, slug in snap.tags:
            urls += named_urls("tag", slug)
        for _id, slug in snap.authors:
            urls += named_urls("author", slug)
    for url_path in SectionPage.objects.filter(pk__in=section_ids).values_list("url_path", flat=True):
        urls += page_urls(url_path)
    return urls


def purge_article_change(article, before: Snapshot | None = None, after: Snapshot | None = None) -> list[str]:
    """Purge everything ``article`` appears on, before and after a change; returns the purged tags.

    ``before``: its ``snapshot`` taken before the change (``None`` for a new
    article); ``after`` defaults to a fresh snapshot (``None`` once deleted).
    """
    if after is None:
        after = snapshot(article.pk)
    tags = article_change_tags(article.pk, before, after)
    urls = article_change_urls(before, after) if getattr(settings, "WAGTAILFRONTENDCACHE", None) else ()
    return purge_tags(*tags, urls=urls)
