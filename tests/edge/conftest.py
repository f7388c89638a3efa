"""Fixtures for the page cache tests: the cache switched on, articles with tags and authors."""

import pytest

from akhbar.news.models import SectionPage
from tests.news.factories import ArticlePageFactory, AuthorFactory


@pytest.fixture(autouse=True)
def edge_cache(settings):
    """Page cache on (the suite's default is off so other apps' tests always see fresh pages)."""
    from akhbar.edge.store import store

    settings.AKHBAR_EDGE_ENABLED = True
    store.forget_local()
    yield settings
    store.forget_local()


@pytest.fixture
def economy(home):
    return SectionPage.objects.child_of(home).exclude(slug="سياسة").first()


@pytest.fixture
def story(politics):
    """A live article in politics with two tags and an author, published through a revision."""
    author = AuthorFactory(name="سلمى حداد")
    article = ArticlePageFactory(parent=politics, title="الخبر الأول")
    article.tags.add("انتخابات", "برلمان")
    article.article_authors.create(author=author, sort_order=0)
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def publish_edit(article, **changes):
    """Change fields of ``article`` and publish the change like an editor does (revision + publish)."""
    article = type(article).objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(article, name, value)
    article.save_revision().publish()
    article.refresh_from_db()
    return article
