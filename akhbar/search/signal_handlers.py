"""Keep the search index fresh: publish, unpublish, save and delete of articles.

* ``post_save`` of ``ArticlePage`` covers every write (admin publish,
  scheduled publish, the corpus loader). Saves that only touch draft
  bookkeeping (``save_revision`` passes ``update_fields`` without content
  fields) are skipped, so draft text never reaches the index.
* ``page_published`` / ``page_unpublished`` re-check the stored page.
* ``post_delete`` removes the entry.

Indexing runs in the same transaction as the page write, so an article is
searchable as soon as that transaction commits and never before.
"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

#: Fields whose change must reach the index.
CONTENT_FIELDS = frozenset(
    {"title", "kicker", "standfirst", "body", "dateline", "byline", "live", "published_at", "first_published_at", "path"}
)


def _article_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if update_fields is not None and not (set(update_fields) & CONTENT_FIELDS):
        return
    from .actions import index_article

    # A full save stores the instance as it is: index it without reading it back.
    index_article(instance.pk, instance if update_fields is None else None)


def _published(sender, instance, **kwargs):
    from .actions import index_article

    index_article(instance.pk)


def _removed(sender, instance, **kwargs):
    from .actions import unindex_article

    unindex_article(instance.pk)


def _unpublished(sender, instance, **kwargs):
    from .actions import index_article

    index_article(instance.pk)


def connect() -> None:
    """Connect the handlers (called once from ``SearchConfig.ready``).

    Also turns off Wagtail's own search indexing of articles
    (``search_auto_update``): its database backend re-reads every index entry
    on each save (title norms) and indexes the whole body a second time, which
    made the corpus loader about a quarter slower and gets slower as the
    archive grows. akhbar's index replaces it for articles; other models
    (images, documents, authors, sections) keep Wagtail's.
    """
    from akhbar.news.models import ArticlePage

    ArticlePage.search_auto_update = False
    post_save.connect(_article_saved, sender=ArticlePage, dispatch_uid="akhbar_search_saved")
    post_delete.connect(_removed, sender=ArticlePage, dispatch_uid="akhbar_search_deleted")
    page_published.connect(_published, sender=ArticlePage, dispatch_uid="akhbar_search_published")
    page_unpublished.connect(_unpublished, sender=ArticlePage, dispatch_uid="akhbar_search_unpublished")
