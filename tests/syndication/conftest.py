"""Fixtures for syndication tests: published Arabic stories with authors, tags and images."""

from datetime import timedelta

import pytest
from django.utils import timezone

from akhbar.news.models import ArticleAuthor, ArticlePage
from tests.news.factories import ArticlePageFactory, AuthorFactory, NewsImageFactory


@pytest.fixture
def make_story(politics):
    """``make_story(hours_ago=2, section=politics, authors=(), tags=(), image=True, **fields)`` → a live ArticlePage.

    Published (first_published_at) ``hours_ago`` before now, with an Arabic
    slug; ``image`` adds a credited lead image with alt text.
    """

    def make(hours_ago: float = 2, section=None, authors=(), tags=(), image=True, **fields):
        when = fields.pop("when", None) or timezone.now() - timedelta(hours=hours_ago)
        if image:
            fields.setdefault("lead_image", NewsImageFactory(file__width=480, file__height=270))
            fields.setdefault("lead_image_alt", "حشد أمام مبنى البرلمان")
        fields.setdefault("first_published_at", when)
        fields.setdefault("last_published_at", fields["first_published_at"])
        article = ArticlePageFactory(parent=section or politics, **fields)
        for order, author in enumerate(authors):
            ArticleAuthor.objects.create(page=article, author=author, sort_order=order)
        if tags:
            article.tags.add(*tags)
            article.save()
        return ArticlePage.objects.get(pk=article.pk)

    return make


@pytest.fixture
def reporter(db):
    return AuthorFactory(name="سلمى الراشد")


@pytest.fixture
def story(make_story, reporter):
    return make_story(
        title="البرلمان يقرّ قانون الموازنة بعد جلسة طويلة",
        slug="البرلمان-يقر-قانون-الموازنة",
        standfirst="أقرّ البرلمان قانون الموازنة العامة بأغلبية 80 صوتًا بعد نقاش استمر عشر ساعات.",
        authors=[reporter],
        tags=["الموازنة العامة", "البرلمان"],
    )
