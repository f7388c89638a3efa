"""Keep cached feeds and sitemaps current: bump cache versions when content changes.

* An article is published, unpublished (or deleted while live) or moved: the
  feeds, index and news sitemap (``latest``) and the archive month(s) it is in
  (plus the past-month counts, ``history``, when it is dated before this month).
* A home or section page is published, unpublished or moved: its URL is part
  of every article URL below it, so the whole archive too.
* An author is saved or deleted: feeds and the author sitemap (``latest``).

Bumps happen at once and again after the transaction commits, so a request
that rebuilt a document from the old data in between cannot keep it current.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished, post_page_move

from akhbar.news.models import ArticlePage, Author, HomePage, SectionPage

from . import cache


def _month_scopes(*moments) -> list[str]:
    """Version names to bump for an article dated ``moments`` (new and old publication dates)."""
    from .sitemaps import current_month

    scopes = []
    this_month = current_month()
    for moment in moments:
        if moment:
            local = timezone.localtime(moment, timezone.get_default_timezone())
            scopes.append(cache.month_scope(local.year, local.month))
            if (local.year, local.month) < this_month:
                scopes.append(cache.HISTORY)
    return scopes


def bump_now_and_on_commit(*scopes: str) -> None:
    """Invalidate ``scopes`` now and once more when the current transaction commits."""
    scopes = tuple(dict.fromkeys(scopes))
    cache.bump(*scopes)
    transaction.on_commit(lambda: cache.bump(*scopes))


def article_changed(article) -> None:
    months = _month_scopes(article.published_at, getattr(article, "_syndication_old_published_at", None))
    bump_now_and_on_commit(cache.LATEST, *months)


def page_changed(sender, instance, **kwargs):
    """``page_published`` / ``page_unpublished`` / ``post_page_move`` receiver."""
    page = instance.specific if hasattr(instance, "specific") else instance
    if isinstance(page, ArticlePage):
        article_changed(page)
    elif isinstance(page, (SectionPage, HomePage)):
        bump_now_and_on_commit(cache.LATEST, cache.ARCHIVE)  # ARCHIVE also keys the past-month counts


def remember_old_published_at(sender, instance, update_fields=None, **kwargs):
    """Before an article's full save, note its stored ``published_at``: if an editor moves the
    date to another month, both months' archive sitemaps are invalidated."""
    if instance.pk is None or (update_fields is not None and "published_at" not in update_fields):
        return
    instance._syndication_old_published_at = (
        ArticlePage.objects.filter(pk=instance.pk).values_list("published_at", flat=True).first()
    )


def author_changed(sender, instance, **kwargs):
    bump_now_and_on_commit(cache.LATEST)


def connect() -> None:
    page_published.connect(page_changed, dispatch_uid="syndication-published")
    page_unpublished.connect(page_changed, dispatch_uid="syndication-unpublished")
    post_page_move.connect(page_changed, dispatch_uid="syndication-moved")
    pre_save.connect(remember_old_published_at, sender=ArticlePage, dispatch_uid="syndication-old-date")
    post_save.connect(author_changed, sender=Author, dispatch_uid="syndication-author-saved")
    post_delete.connect(author_changed, sender=Author, dispatch_uid="syndication-author-deleted")
