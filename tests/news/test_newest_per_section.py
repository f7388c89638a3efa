"""``queries.newest_per_section``: the front page's ids in one statement, the same rows as the ORM listing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from akhbar.news.models import ArticlePage, SectionPage
from akhbar.news.queries import newest_per_section
from tests.news.factories import ArticlePageFactory


@pytest.fixture
def archive(home, politics):
    """Three sections: one with more stories than the limit (two at the same minute), one with
    fewer, one empty; plus an unpublished story that must never appear."""
    economy = SectionPage.objects.child_of(home).exclude(pk=politics.pk).first()
    empty = SectionPage.objects.child_of(home).exclude(pk__in=[politics.pk, economy.pk]).first()
    now = timezone.now().replace(microsecond=0)
    for n in range(6):
        ArticlePageFactory(parent=politics, published_at=now - timedelta(hours=n // 2 * 3))  # pairs share a time
    for n in range(2):
        ArticlePageFactory(parent=economy, published_at=now - timedelta(hours=1 + n * 5))
    ArticlePageFactory(parent=politics, published_at=now + timedelta(hours=1), live=False)
    return [politics, economy, empty]


def expected(sections, limit, overall):
    rows = [(pk, None) for pk in ArticlePage.objects.listing().values_list("pk", flat=True)[:overall]]
    for section in sections:
        rows += [(pk, section.pk) for pk in ArticlePage.objects.listing().filter(section=section).values_list("pk", flat=True)[:limit]]
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("limit, overall", [(4, 3), (1, 0), (10, 20)])
def test_same_rows_and_order_as_the_listing(archive, limit, overall):
    ids = [s.pk for s in archive]
    with CaptureQueriesContext(connection) as queries:
        rows = newest_per_section(ids, limit, overall=overall)
    assert len(queries) == 1
    assert rows == expected(archive, limit, overall)
    assert newest_per_section(list(reversed(ids)), limit, overall=overall) == expected(list(reversed(archive)), limit, overall)


@pytest.mark.django_db
def test_no_sections(archive):
    assert newest_per_section([], 3, overall=2) == expected([], 3, 2)
    assert newest_per_section([], 3) == []
