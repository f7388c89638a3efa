"""Read side of reader comments: open or closed, counts, pages of a discussion.

Every function issues a fixed, small number of queries whatever the number of
comments (tests assert the budgets).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.models import Page

from . import conf
from .models import Comment, Discussion


@dataclass(frozen=True)
class DiscussionState:
    """Whether an article takes comments (``is_open``, ``reason``) and how many are published.

    ``reason`` is one of ``open``, ``disabled`` (site-wide switch), ``article``
    (closed on the article), ``section`` (closed on its section), ``expired``
    (older than ``AKHBAR_COMMENTS_CLOSE_AFTER_DAYS``), ``not_live``.
    """

    is_open: bool
    reason: str
    count: int
    mode: str = Discussion.Mode.DEFAULT
    section_mode: str = Discussion.Mode.DEFAULT


def _joined_discussions(article) -> dict | None:
    """The article's and its section's ``Discussion`` rows when the routing query joined them
    (``select_related("reader_discussion", "section__reader_discussion")``), else ``None``."""
    section = getattr(article, "section", None) if article.section_id else None
    if not Page.reader_discussion.is_cached(article):
        return None
    if section is not None and not Page.reader_discussion.is_cached(section):
        return None
    rows = {}
    for page in filter(None, [article, section]):
        discussion = getattr(page, "reader_discussion", None)
        if discussion is not None:
            rows[discussion.page_id] = discussion
    return rows


def discussion_state(article, now=None) -> DiscussionState:
    """One query: the switches of the article and its section, and the published count.

    Rules, first match wins: comments switched off site-wide
    (``AKHBAR_COMMENTS_ENABLED``) → closed; article not live → closed; the
    article's own switch (open/closed) decides; a closed section closes;
    otherwise open until ``AKHBAR_COMMENTS_CLOSE_AFTER_DAYS`` after publication
    (0 = never closes). An article switched *open* stays open past that age.
    """
    rows = _joined_discussions(article)
    if rows is None:
        page_ids = [article.pk] + ([article.section_id] if article.section_id else [])
        rows = {d.page_id: d for d in Discussion.objects.filter(page_id__in=page_ids)}
    own = rows.get(article.pk)
    section = rows.get(article.section_id) if article.section_id else None
    count = own.approved_count if own else 0
    mode = own.mode if own else Discussion.Mode.DEFAULT
    section_mode = section.mode if section else Discussion.Mode.DEFAULT

    def state(is_open, reason):
        return DiscussionState(is_open, reason, count, mode, section_mode)

    if not conf.get("AKHBAR_COMMENTS_ENABLED"):
        return state(False, "disabled")
    if not article.live:
        return state(False, "not_live")
    if mode == Discussion.Mode.OPEN:
        return state(True, "open")
    if mode == Discussion.Mode.CLOSED:
        return state(False, "article")
    if section_mode == Discussion.Mode.CLOSED:
        return state(False, "section")
    days = int(conf.get("AKHBAR_COMMENTS_CLOSE_AFTER_DAYS"))
    published = article.published_at or article.first_published_at
    if days > 0 and published and (now or timezone.now()) - published > timedelta(days=days):
        return state(False, "expired")
    return state(True, "open")


def published_comments(article):
    """Published comments of ``article`` in reading order (threads oldest first, replies under their parent)."""
    return (
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .select_related("parent")
        .only(
            "id", "article_id", "parent_id", "thread_path", "depth", "name", "body", "status", "created_at",
            "parent__id", "parent__name", "parent__status",
        )
        .order_by("thread_path")
    )


class KnownCountPaginator(Paginator):
    """A ``Paginator`` that takes the item count instead of running ``COUNT(*)``."""

    def __init__(self, object_list, per_page, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self):
        return self._known_count


def comment_page(article, number, count: int):
    """Page ``number`` (1-based; invalid numbers give the nearest page) of the published comments.

    ``count`` is the denormalised published count (``DiscussionState.count``),
    so this costs one query: ``ORDER BY thread_path LIMIT/OFFSET`` on the
    (article, status, thread_path) index.
    """
    paginator = KnownCountPaginator(published_comments(article), conf.per_page(), count)
    return paginator.get_page(number)


def page_of_comment(comment) -> int:
    """The listing page (1-based) on which a published ``comment`` appears."""
    before = Comment.objects.filter(
        article_id=comment.article_id, status=Comment.Status.APPROVED, thread_path__lt=comment.thread_path
    ).count()
    return before // conf.per_page() + 1


def count_for(article) -> int:
    """Published comment count of ``article`` for a card.

    Free when the article came from ``ArticlePage.objects.listing()``, which
    joins the ``Discussion`` row; otherwise one query.
    """
    if Page.reader_discussion.is_cached(article):
        discussion = getattr(article, "reader_discussion", None)
        return discussion.approved_count if discussion else 0
    return Discussion.objects.filter(page_id=article.pk).values_list("approved_count", flat=True).first() or 0
