"""Per-worker copies of the read-side lists (``akhbar.news.memo``) and the routing shortcuts.

Another gunicorn worker is simulated by writing a new generation token into the
shared cache, which is exactly what its ``forget`` does.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from akhbar.news import memo
from akhbar.news.models import ArticlePage, SectionPage
from akhbar.news.queries import _shared_cache, sections_in_order
from akhbar.syndication.models import Correction
from tests.news.factories import ArticlePageFactory, AuthorFactory


@pytest.fixture(autouse=True)
def fresh_memo():
    memo.clear()
    yield
    memo.clear()


@pytest.mark.django_db
def test_a_list_is_read_from_the_shared_cache_once_per_generation(politics):
    sections_in_order()
    with CaptureQueriesContext(connection) as ctx:
        first = sections_in_order()
    assert not ctx.captured_queries
    _shared_cache().delete("news:sections-in-order")
    assert [s.pk for s in sections_in_order()] == [s.pk for s in first]  # still this worker's copy
    again = sections_in_order()
    assert again[0] is not first[0]  # every call gets its own objects


@pytest.mark.django_db
def test_another_workers_change_is_seen_at_the_next_request(politics):
    sections_in_order()
    SectionPage.objects.filter(pk=politics.pk).update(title="سياسة محلية")  # no signal: as seen from this worker
    _shared_cache().delete("news:sections-in-order")
    assert "سياسة محلية" not in [s.title for s in sections_in_order()]
    _shared_cache().set(memo.GEN_KEY, "another-worker-bumped", None)  # what the other worker's forget() does
    assert "سياسة محلية" in [s.title for s in sections_in_order()]


@pytest.mark.django_db
def test_the_generation_is_read_once_per_request(politics):
    memo.begin_request()
    try:
        sections_in_order()
        _shared_cache().set(memo.GEN_KEY, "changed-during-the-request", None)
        SectionPage.objects.filter(pk=politics.pk).update(title="عنوان آخر")
        _shared_cache().delete("news:sections-in-order")
        assert "عنوان آخر" not in [s.title for s in sections_in_order()]  # one consistent view per request
    finally:
        memo.end_request()
    assert "عنوان آخر" in [s.title for s in sections_in_order()]


@pytest.mark.django_db
def test_a_request_shares_its_copy_and_the_next_request_gets_its_own(politics):
    sections_in_order()  # this worker's copy made
    memo.begin_request()
    try:
        first, second = sections_in_order(), sections_in_order()
        assert first is not second and first[0] is second[0]  # one unpickling per request
        first[0].marked_by_this_request = True
    finally:
        memo.end_request()
    memo.begin_request()
    try:
        later = sections_in_order()
        assert later[0] is not first[0] and not hasattr(later[0], "marked_by_this_request")
    finally:
        memo.end_request()


@pytest.mark.django_db
def test_publishing_a_section_starts_a_new_generation(politics):
    sections_in_order()
    token = _shared_cache().get(memo.GEN_KEY)
    politics.title = "السياسة"
    politics.save_revision().publish()
    assert _shared_cache().get(memo.GEN_KEY) != token
    assert "السياسة" in [s.title for s in sections_in_order()]


@pytest.mark.django_db
def test_nothing_is_memoised_without_a_shared_cache(politics, monkeypatch):
    monkeypatch.setattr(memo, "_read_generation", lambda: None)
    sections_in_order()
    with CaptureQueriesContext(connection) as ctx:
        sections_in_order()
    assert len(ctx.captured_queries) == 0  # still the shared cache's copy
    _shared_cache().delete("news:sections-in-order")
    with CaptureQueriesContext(connection) as ctx:
        sections_in_order()
    assert len(ctx.captured_queries) == 1


@pytest.mark.django_db
def test_site_root_paths_follow_a_renamed_home_page(client, home, politics):
    story = ArticlePageFactory(parent=politics, title="خبر")
    story.save_revision().publish()
    assert client.get(story.url).status_code == 200
    home.slug = "home-renamed"
    home.save_revision().publish()
    story = ArticlePage.objects.get(pk=story.pk)
    assert story.url == story.get_url()  # no stale root path
    assert client.get(story.url).status_code == 200


def article_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries], response.content.decode()


@pytest.mark.django_db
def test_empty_tags_authors_and_corrections_cost_no_query(client, politics, settings):
    settings.AKHBAR_EDGE_ENABLED = False
    plain = ArticlePageFactory(parent=politics, title="خبر بلا وسوم")
    plain.save_revision().publish()
    rich = ArticlePageFactory(parent=politics, title="خبر بوسوم")
    rich.tags.add("وسم-أول")
    rich.article_authors.create(author=AuthorFactory(name="كاتبة المقال"), sort_order=0)
    rich.save_revision().publish()
    Correction.objects.create(page=rich, text="تصحيح التاريخ")
    plain_sql, _html = article_queries(client, plain.url)
    rich_sql, html = article_queries(client, rich.url)
    assert not any("taggit_tag" in q or "news_articleauthor" in q or "syndication_correction" in q for q in plain_sql[1:])
    assert len(rich_sql) == len(plain_sql) + 3
    assert "وسم-أول" in html and "كاتبة المقال" in html and "تصحيح التاريخ" in html


@pytest.mark.django_db
def test_a_section_closed_to_comments_closes_its_articles(client, politics, settings):
    from akhbar.comments.models import Discussion

    settings.AKHBAR_EDGE_ENABLED = False
    story = ArticlePageFactory(parent=politics, title="خبر")
    story.save_revision().publish()
    open_html = client.get(story.url).content.decode()
    Discussion.objects.create(page=politics, mode=Discussion.Mode.CLOSED)
    closed_html = client.get(story.url).content.decode()
    assert open_html != closed_html and "<textarea" in open_html and "<textarea" not in closed_html
