"""Prepared (compiled once) querysets return what the same queryset built each time returns."""

import pytest

from akhbar.news.models import ArticlePage, HomePage
from akhbar.news.models.pages import SectionArchive
from akhbar.news.prepared import PreparedQuery
from akhbar.news.queries import cards_by_pk
from tests.news.factories import ArticlePageFactory, NewsImageFactory


def rows(objects):
    return [(o.pk, o.title, o.section_id, o.lead_image_id, o.published_at) for o in objects]


@pytest.mark.django_db
def test_prepared_query_runs_with_new_values(politics):
    articles = [ArticlePageFactory(parent=politics, title=f"خبر {n}") for n in range(3)]
    prepared = PreparedQuery(lambda pk: ArticlePage.objects.filter(pk=pk).select_related("section"), [-7_000_000_001])
    for article in articles:
        (found,) = prepared(article.pk)
        assert found.pk == article.pk and found.title == article.title
        assert ArticlePage.section.is_cached(found) and found.section.pk == politics.pk
        assert list(found.body.raw_data) == list(ArticlePage.objects.get(pk=article.pk).body.raw_data)  # converters applied
    assert list(prepared(-1)) == []


@pytest.mark.django_db
def test_a_sentinel_must_appear_once(politics):
    prepared = PreparedQuery(lambda pk: ArticlePage.objects.filter(pk=pk) | ArticlePage.objects.filter(page_ptr_id=pk), [-7_000_000_001])
    with pytest.raises(ValueError, match="appears 2 times"):
        list(prepared(1))


@pytest.mark.django_db
def test_routing_and_cards_match_the_orm(client, politics):
    image = NewsImageFactory()
    articles = [ArticlePageFactory(parent=politics, title=f"قصة {n}", lead_image=image if n % 2 else None) for n in range(25)]
    for article in articles[:3]:
        response = client.get(article.url)
        assert response.status_code == 200 and article.title in response.content.decode()
    assert client.get(politics.url).status_code == 200
    assert client.get(politics.url + "not-a-story/").status_code == 404
    ids = [a.pk for a in articles[:7]] + [articles[0].pk]
    expected = {a.pk: a for a in ArticlePage.objects.cards().filter(pk__in=ids)}
    got = {a.pk: a for a in cards_by_pk(ids)}
    assert rows(expected.values()) == rows(got[pk] for pk in expected)
    archive = SectionArchive(politics.pk, section=politics)
    listing = list(ArticlePage.objects.listing().filter(section_id=politics.pk))
    assert rows(archive[0:20]) == rows(listing[0:20])
    assert rows(archive[20:40]) == rows(listing[20:40])
    home = HomePage.objects.get()
    assert home.route(None, [politics.slug, articles[4].slug]).page.pk == articles[4].pk


@pytest.mark.django_db
def test_an_empty_section_and_an_empty_slice(client, politics):
    assert list(SectionArchive(politics.pk, section=politics)[0:0]) == []
    prepared = PreparedQuery(lambda pk: ArticlePage.objects.filter(pk=pk)[0:0], [-7_000_000_001])
    assert list(prepared(1)) == []
    response = client.get(politics.url)
    assert response.status_code == 200
