"""Exact invalidation: a change purges every page it shows on, and only those."""

import sys
import time
import types

import pytest
from datetime import timedelta
from django.utils import timezone
from django.urls import reverse
from django.utils.http import urlencode

from akhbar.edge import purge
from akhbar.edge.signal_handlers import connect_comments
from akhbar.news.models import ArticlePage, Author
from tests.news.factories import ArticlePageFactory

from .conftest import publish_edit


def warm(client, *urls):
    """Request each URL twice; assert the second is a cache hit."""
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Cache"] == "HIT", url


def state(client, url):
    return client.get(url)["X-Cache"]


def listing_urls(story, politics):
    return [
        "/",
        "/en/",
        politics.url,
        politics.url + "?page=2",
        reverse("tag", args=["انتخابات"]),
        reverse("author", args=[story.article_authors.first().author.slug]),
    ]


@pytest.fixture
def archive(politics):
    """Enough older stories for a second section page."""
    return [
        ArticlePageFactory(parent=politics, title=f"قديم {n}", first_published_at=timezone.now() - timedelta(days=n + 1))
        for n in range(22)
    ]


@pytest.mark.django_db
def test_editing_an_article_purges_its_page_sections_home_tags_and_authors(client, story, politics, archive):
    pages = [story.url, *listing_urls(story, politics)]
    warm(client, *pages)
    started = time.monotonic()
    publish_edit(story, title="عنوان معدّل بعد النشر")
    body = client.get(story.url).content.decode()
    elapsed = time.monotonic() - started
    assert "عنوان معدّل بعد النشر" in body
    assert elapsed <= 1.0, f"publish-to-visible took {elapsed:.3f}s"
    for url in pages[1:]:
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
    assert "عنوان معدّل بعد النشر" in client.get("/").content.decode()
    assert "عنوان معدّل بعد النشر" in client.get(reverse("tag", args=["انتخابات"])).content.decode()


@pytest.mark.django_db
def test_publishing_a_new_article_shows_on_home_and_section_within_a_second(client, story, politics):
    warm(client, "/", politics.url, story.url)
    fresh = ArticlePageFactory(parent=politics, title="خبر عاجل جديد", live=False, first_published_at=None, last_published_at=None)
    started = time.monotonic()
    fresh.save_revision().publish()
    home_html = client.get("/").content.decode()
    section_html = client.get(politics.url).content.decode()
    elapsed = time.monotonic() - started
    assert "خبر عاجل جديد" in home_html and "خبر عاجل جديد" in section_html
    assert elapsed <= 1.0
    # the newest story enters the "more from" box of older articles of its section
    assert "خبر عاجل جديد" in client.get(story.url).content.decode()


@pytest.mark.django_db
def test_unpublishing_removes_the_article_everywhere(client, story, politics):
    warm(client, story.url, "/", politics.url)
    ArticlePage.objects.get(pk=story.pk).unpublish()
    assert client.get(story.url).status_code == 404
    assert story.title not in client.get("/").content.decode()
    assert story.title not in client.get(politics.url).content.decode()


@pytest.mark.django_db
def test_removing_a_tag_purges_the_old_tag_page(client, story):
    tag_url = reverse("tag", args=["برلمان"])
    warm(client, tag_url)
    article = ArticlePage.objects.get(pk=story.pk)
    article.tags.remove("برلمان")
    article.save_revision().publish()
    assert story.title not in client.get(tag_url).content.decode()


@pytest.mark.django_db
def test_moving_an_article_purges_both_sections(client, story, politics, economy):
    warm(client, politics.url, economy.url)
    ArticlePage.objects.get(pk=story.pk).move(economy, pos="last-child")
    assert story.title not in client.get(politics.url).content.decode()
    assert story.title in client.get(economy.url).content.decode()


@pytest.mark.django_db
def test_deleting_an_article_purges_its_listings(client, story, politics):
    warm(client, politics.url, "/")
    ArticlePage.objects.get(pk=story.pk).delete()
    assert story.title not in client.get(politics.url).content.decode()
    assert story.title not in client.get("/").content.decode()


@pytest.mark.django_db
def test_editing_an_old_article_leaves_unrelated_pages_cached(client, story, politics, economy):
    other = ArticlePageFactory(parent=economy, title="خبر اقتصادي")
    newer = [ArticlePageFactory(parent=politics, title=f"أحدث {n}") for n in range(6)]
    warm(client, other.url, newer[-1].url, economy.url)
    publish_edit(story, standfirst="مقدمة جديدة")  # story is older than the 5 newest of its section
    assert state(client, other.url) == "HIT"  # other section, other tags
    assert state(client, economy.url) == "HIT"
    assert state(client, newer[-1].url) == "HIT"  # its "more from" box does not show the old story


@pytest.mark.django_db
def test_renaming_an_author_purges_the_bylines(client, story):
    warm(client, story.url)
    author = Author.objects.get(name="سلمى حداد")
    author.name = "سلمى حداد الجديدة"
    author.save()
    assert "سلمى حداد الجديدة" in client.get(story.url).content.decode()


@pytest.mark.django_db
def test_renaming_a_section_purges_every_page(client, story, politics):
    warm(client, story.url, "/")
    politics.title = "السياسة والحكم"
    politics.save_revision().publish()
    assert "السياسة والحكم" in client.get("/").content.decode()
    assert "السياسة والحكم" in client.get(story.url).content.decode()


@pytest.mark.django_db
def test_purge_article_is_the_comment_entry_point(client, story, politics):
    warm(client, story.url, politics.url)
    purge.purge_article(story)
    assert state(client, story.url) == "MISS"
    assert state(client, politics.url) == "HIT"


@pytest.mark.django_db
def test_comment_published_signal_is_connected_when_the_comments_app_exists(client, story, monkeypatch):
    from django.dispatch import Signal

    fake = types.ModuleType("akhbar.comments.signals")
    fake.comment_published = Signal()
    monkeypatch.setitem(sys.modules, "akhbar.comments", types.ModuleType("akhbar.comments"))
    monkeypatch.setitem(sys.modules, "akhbar.comments.signals", fake)
    assert connect_comments()
    warm(client, story.url)
    fake.comment_published.send(sender=None, article=story)
    assert state(client, story.url) == "MISS"


@pytest.mark.django_db
def test_purges_are_repeated_after_commit(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        purge.purge_tags("home")
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_a_page_rendered_during_a_purge_is_not_stored(client, story, monkeypatch):
    from akhbar.edge import middleware

    real = middleware.EdgeCacheMiddleware.get_response if hasattr(middleware.EdgeCacheMiddleware, "get_response") else None
    assert real is None
    original_save = middleware.store.save

    def save_after_purge(key, entry, tags, seq):
        purge.purge_tags("unrelated")  # a publish lands while this page was rendering
        return original_save(key, entry, tags, seq)

    monkeypatch.setattr(middleware.store, "save", save_after_purge)
    assert client.get(story.url)["X-Cache"] == "PASS"
    monkeypatch.undo()
    assert client.get(story.url)["X-Cache"] == "MISS"


@pytest.mark.django_db
def test_search_and_feeds_paths_are_tagged_and_purged(client, story, settings):
    from akhbar.edge.middleware import EdgeCacheMiddleware, strip_language_prefix

    mw = EdgeCacheMiddleware(lambda r: None)
    for path, tag in (("/search/?" + urlencode({"q": "x"}), "search"), ("/en/feed/", "feeds"), ("/sitemap.xml", "sitemaps")):
        request = client.get("/").wsgi_request
        request.path_info = path.split("?")[0]
        assert tag in mw._tags(request), path
    assert strip_language_prefix("/en/tags/x/") == "/tags/x/"
    assert set(purge.article_change_tags(story.pk, None, purge.snapshot(story.pk))) >= {"feeds", "sitemaps", "search", "home"}
