"""Cache versions: documents are rebuilt after a bump and never read across versions."""

import pytest
from django.core.cache import cache as django_cache

from akhbar.syndication import cache
from akhbar.syndication.cache import CachedDocument, cached_document

pytestmark = pytest.mark.django_db


def counting_builder():
    calls = []

    def build():
        calls.append(1)
        return CachedDocument(f"v{len(calls)}".encode(), "text/plain")

    return build, calls


def test_a_document_is_built_once_per_version():
    build, calls = counting_builder()
    assert cached_document("x", (cache.LATEST,), build).content == b"v1"
    assert cached_document("x", (cache.LATEST,), build).content == b"v1"
    cache.bump(cache.LATEST)
    assert cached_document("x", (cache.LATEST,), build).content == b"v2"
    assert len(calls) == 2


def test_month_scopes_are_independent():
    build_a, calls_a = counting_builder()
    build_b, calls_b = counting_builder()
    march, april = cache.month_scope(2025, 3), cache.month_scope(2025, 4)
    cached_document("a", (cache.ARCHIVE, march), build_a)
    cached_document("b", (cache.ARCHIVE, april), build_b)
    cache.bump(march)
    cached_document("a", (cache.ARCHIVE, march), build_a)
    cached_document("b", (cache.ARCHIVE, april), build_b)
    assert (len(calls_a), len(calls_b)) == (2, 1)
    cache.bump(cache.ARCHIVE)
    cached_document("b", (cache.ARCHIVE, april), build_b)
    assert len(calls_b) == 2


def test_an_evicted_version_never_reuses_an_old_number():
    build, calls = counting_builder()
    cached_document("x", (cache.LATEST,), build)
    old = cache.version(cache.LATEST)
    for _ in range(3):
        cache.bump(cache.LATEST)
    django_cache.delete("syndication:v:latest")  # evicted
    assert cache.version(cache.LATEST) not in range(old, old + 4)
    cached_document("x", (cache.LATEST,), build)
    assert len(calls) == 2


def test_renaming_an_author_refreshes_the_feeds(client, story, reporter):
    slug = reporter.slug
    assert "سلمى الراشد" in client.get(f"/feeds/authors/{slug}/atom/").content.decode()
    reporter.name = "سلمى الراشد الحسيني"
    reporter.save()
    assert "سلمى الراشد الحسيني" in client.get(f"/feeds/authors/{slug}/atom/").content.decode()
    assert "سلمى الراشد الحسيني" in client.get("/feeds/rss/").content.decode()


def test_publishing_a_section_refreshes_feeds_and_archive(client, story, politics):
    assert "/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/" in client.get("/feeds/rss/").content.decode()
    politics.slug = "شؤون-سياسية"
    politics.save_revision().publish()
    body = client.get("/feeds/rss/").content.decode()
    assert "/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/" not in body and "/%D8%B4%D8%A4%D9%88%D9%86-" in body


def test_bumps_are_repeated_after_commit(django_capture_on_commit_callbacks):
    before = cache.version(cache.LATEST)
    from akhbar.syndication.signal_handlers import bump_now_and_on_commit

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bump_now_and_on_commit(cache.LATEST)
        assert cache.version(cache.LATEST) == before + 1
    assert len(callbacks) == 1
    assert cache.version(cache.LATEST) == before + 2
