"""Cards and search results by id: matched on the parent table's key, same rows as ``pk__in``."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from akhbar.news.models import ArticlePage
from akhbar.news.queries import _by_page_ids, cards_by_pk, live_articles_by_pk
from tests.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(politics):
    live = [ArticlePageFactory(parent=politics) for _ in range(3)]
    draft = ArticlePageFactory(parent=politics, live=False)
    return live, draft


def test_the_in_list_is_on_wagtailcore_page_id(stories):
    live, draft = stories
    ids = [p.pk for p in live] + [draft.pk]
    for load in (cards_by_pk, live_articles_by_pk):
        with CaptureQueriesContext(connection) as queries:
            found = load(ids)
        assert sorted(p.pk for p in found) == sorted(p.pk for p in live)  # the draft is not live
        first = queries.captured_queries[0]["sql"]
        assert '"wagtailcore_page"."id" IN' in first and '"news_articlepage"."page_ptr_id" IN' not in first


def test_same_rows_as_pk_in_and_a_query_without_the_parent_join_falls_back(stories):
    live, draft = stories
    ids = [p.pk for p in live] + [draft.pk]
    queryset = ArticlePage.objects.live()
    assert sorted(_by_page_ids(queryset, ids).values_list("pk", flat=True)) == sorted(queryset.filter(pk__in=ids).values_list("pk", flat=True))
    unjoined = ArticlePage.objects.all()  # no condition on the parent table yet: no join to name
    assert sorted(_by_page_ids(unjoined, ids).values_list("pk", flat=True)) == sorted(ids)
