"""State changes of the search index, verb first (see also :mod:`akhbar.search.indexer`)."""

from __future__ import annotations

import logging

from .indexer import index_documents, remove_documents, source_for_page

logger = logging.getLogger(__name__)


def index_article(article_id: int, page=None) -> bool:
    """Bring one article's index entry up to date with the database.

    A live ``ArticlePage`` is (re)indexed from its stored, published fields;
    anything else (draft, unpublished, deleted, not an article) is removed.
    ``page`` may be passed when the caller holds the instance exactly as
    stored (a full ``save()``), saving a query. Returns True when the
    article is now in the index.
    """
    from akhbar.news.models import ArticlePage

    if page is None or page.pk != article_id:
        page = ArticlePage.objects.filter(pk=article_id, live=True).first()
    elif not page.live:
        page = None
    if page is None:
        remove_documents([article_id])
        return False
    index_documents([source_for_page(page)])
    return True


def index_articles(pages) -> int:
    """Index many ``ArticlePage`` instances written in bulk (no ``post_save``), as stored; drafts are skipped.

    For writers that bypass ``Page.save`` (``akhbar.news.bulk``, the WordPress
    importer): one :func:`index_documents` call, in the caller's transaction,
    so the articles are searchable exactly when it commits. ``pages`` must
    hold the stored field values (headline, standfirst, body, ...). Returns
    how many were indexed.
    """
    return index_documents(source_for_page(page) for page in pages if page.live)


def unindex_article(article_id: int) -> None:
    """Remove one article from the index (no error when it is not there)."""
    remove_documents([article_id])
