"""Threads, pagination at scale, the denormalised card count and the ``comment_published`` signal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akhbar.comments import actions
from akhbar.comments.actions import CommentData, Submission
from akhbar.comments.models import Comment, Discussion
from akhbar.comments.queries import count_for
from akhbar.comments.signals import comment_published
from akhbar.news.models import ArticlePage
from tests.news.factories import ArticlePageFactory

from .conftest import aged_token

pytestmark = pytest.mark.django_db


def post(article, body, parent=None, email="a@example.org"):
    return actions.post_comment(article, CommentData("قارئ", email, body, parent.pk if parent else None), Submission(token=aged_token()))


def publish(*comments):
    actions.approve_comments([c.pk for c in comments])


def test_threads_read_oldest_first_with_replies_under_their_parent(client, article):
    first = post(article, "الأول")
    second = post(article, "الثاني")
    publish(first, second)
    reply_to_first = post(article, "رد على الأول", first)
    publish(reply_to_first)
    reply_to_reply = post(article, "رد على الرد", reply_to_first)
    publish(reply_to_reply)
    late_reply = post(article, "رد متأخر على الأول", first)
    publish(late_reply)
    html = client.get(article.url).content.decode()
    order = ["الأول<", "رد على الأول", "رد على الرد", "رد متأخر على الأول", "الثاني<"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)
    assert 'class="comment comment--depth-2"' in html


def test_reply_link_hidden_at_the_depth_limit(client, article, settings):
    settings.AKHBAR_COMMENT_MAX_DEPTH = 2
    top = post(article, "أعلى")
    publish(top)
    reply = post(article, "رد", top)
    publish(reply)
    html = client.get(article.url).content.decode()
    assert f"reply_to={top.pk}" in html and f"reply_to={reply.pk}" not in html


def _bulk_discussion(article, n, first_id):
    """``n`` published comments (every tenth a reply to the one before), inserted in one go.

    Explicit ids (from ``first_id``) let the thread paths be built before the insert.
    """
    comments = []
    for i in range(n):
        pk = first_id + i
        parent = comments[i - 1] if i % 10 == 9 else None
        path = (parent.thread_path + "/" if parent else "") + Comment.path_segment(pk)
        comments.append(
            Comment(
                pk=pk, article=article, parent=parent, depth=1 if parent else 0, thread_path=path,
                name=f"قارئ {i}", email=f"r{i}@example.org", body=f"تعليق رقم {i}", status="approved",
            )
        )
    Comment.objects.bulk_create(comments, batch_size=2000)
    Discussion.objects.update_or_create(page_id=article.pk, defaults={"approved_count": n})
    return comments


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_ten_thousand_comments_render_with_the_same_queries_as_ten(client, politics, settings):
    settings.AKHBAR_COMMENTS_PER_PAGE = 50
    small, big = ArticlePageFactory(parent=politics), ArticlePageFactory(parent=politics)
    _bulk_discussion(small, 10, first_id=10_000_000)
    _bulk_discussion(big, 10_000, first_id=20_000_000)
    _queries(client, small.url)  # warm per-process caches (site, root paths)
    small_queries, _ = _queries(client, small.url)
    big_queries, html = _queries(client, big.url)
    assert big_queries == small_queries
    assert html.count('<li id="comment-') == 50
    list_url = reverse("comments:list", args=[big.pk])
    last_queries, last_html = _queries(client, list_url + "?page=200")
    first_queries, _ = _queries(client, list_url)
    assert last_queries == first_queries
    assert "تعليق رقم 9999" in last_html and last_html.count('<li id="comment-') == 50


def test_card_counts_cost_no_query_per_card(client, politics):
    articles = [ArticlePageFactory(parent=politics) for _ in range(6)]
    _queries(client, politics.url)  # warm per-process caches
    before, _ = _queries(client, politics.url)
    for n, article in enumerate(articles[:4], start=1):
        for i in range(n):
            comment = post(article, f"تعليق {i} على {article.pk}", email=f"c{i}@example.org")
            publish(comment)
    after, html = _queries(client, politics.url)
    assert after == before
    assert "تعليقان<" in html and "3 تعليقات" in html and "4 تعليقات" in html


def test_count_for_without_listing_costs_one_query(article):
    publish(post(article, "تعليق"))
    fresh = ArticlePage.objects.get(pk=article.pk)
    assert count_for(fresh) == 1
    listed = ArticlePage.objects.listing().get(pk=article.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert count_for(listed) == 1
    assert len(ctx.captured_queries) == 0


def count(article):
    return Discussion.objects.filter(page_id=article.pk).values_list("approved_count", flat=True).first() or 0


def test_published_count_follows_every_change(article, django_user_model):
    a, b, c = post(article, "أ"), post(article, "ب"), post(article, "ج")
    assert count(article) == 0
    publish(a, b, c)
    assert count(article) == 3
    actions.approve_comments([a.pk])  # no change
    assert count(article) == 3
    actions.reject_comments([a.pk])
    actions.mark_spam([b.pk])
    assert count(article) == 1
    actions.set_status([b.pk], Comment.Status.APPROVED)
    assert count(article) == 2
    Comment.objects.get(pk=b.pk).delete()  # any deletion path
    assert count(article) == 1
    Comment.objects.filter(pk=a.pk).delete()  # a rejected one: no change
    assert count(article) == 1
    actions.erase_commenter("A@example.org")
    assert count(article) == 0 and not Comment.objects.exists()


def test_recount_repairs_drift(article):
    publish(post(article, "أ"), post(article, "ب"))
    Discussion.objects.filter(page_id=article.pk).update(approved_count=40)
    assert actions.recount_published() == 1
    assert count(article) == 2
    assert actions.recount_published() == 0


def test_deleting_an_article_deletes_its_comments(article):
    publish(post(article, "أ"))
    article.delete()
    assert not Comment.objects.exists() and not Discussion.objects.exists()


# --- the signal a full-page cache hooks ---------------------------------------------------------


@pytest.fixture
def published_events():
    events = []

    def receiver(sender, article, action, **kwargs):
        events.append((article.pk, action))

    comment_published.connect(receiver)
    yield events
    comment_published.disconnect(receiver)


def test_signal_is_sent_after_commit_when_public_comments_change(article, published_events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article, "تعليق")
    assert published_events == []  # waiting for moderation: nothing public changed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.approve_comments([comment.pk])
        assert published_events == []  # not before the commit
    assert callbacks and published_events == [(article.pk, "approved")]
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_comment(Comment.objects.get(pk=comment.pk), name="قارئ", body="نص معدل")
    with django_capture_on_commit_callbacks(execute=True):
        actions.reject_comments([comment.pk])
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_comment_switch(article, Discussion.Mode.CLOSED)
    assert published_events[1:] == [(article.pk, "edited"), (article.pk, "removed"), (article.pk, "switched")]


def test_signal_for_deleted_published_comment_and_trusted_auto_approval(article, settings, published_events, django_capture_on_commit_callbacks):
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 1
    with django_capture_on_commit_callbacks(execute=True):
        first = post(article, "أول")
        actions.approve_comments([first.pk])
        second = post(article, "ثان")  # trusted: published at once
    assert second.status == "approved"
    assert published_events == [(article.pk, "approved"), (article.pk, "approved")]
    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert published_events[-1] == (article.pk, "removed")


def test_editing_a_pending_comment_sends_nothing(article, published_events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post(article, "تعليق")
        actions.edit_comment(comment, name="قارئ", body="نص")
    assert published_events == []
