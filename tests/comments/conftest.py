"""Fixtures for the comment tests: an article, posting helpers, relaxed spam settings."""

import time

import pytest
from django.urls import reverse

from akhbar.comments.tokens import issue_token
from tests.news.factories import ArticlePageFactory

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _comment_settings(settings):
    """Rate limits off and a 3 s minimum fill time; tests of those rules set their own values."""
    settings.AKHBAR_COMMENT_RATE = "0"
    settings.AKHBAR_COMMENT_MIN_SECONDS = 3
    settings.AKHBAR_COMMENT_CHECKER = ""
    settings.AKHBAR_COMMENTS_CLOSE_AFTER_DAYS = 30
    settings.AKHBAR_COMMENT_TRUSTED_AFTER = 0
    settings.AKHBAR_COMMENT_MAX_LINKS = 2
    settings.AKHBAR_COMMENT_MAX_LENGTH = 5000
    settings.AKHBAR_COMMENTS_PER_PAGE = 50
    settings.AKHBAR_COMMENT_MAX_DEPTH = 3
    return settings


@pytest.fixture
def article(politics):
    return ArticlePageFactory(parent=politics)


def aged_token(seconds: float = 60) -> str:
    """A form token issued ``seconds`` ago (old enough for the minimum fill time)."""
    return issue_token(now=time.time() - seconds)


def form_data(**fields) -> dict:
    data = {"name": "سارة", "email": "sara@example.org", "body": "تعليق مفيد على الخبر.", "token": aged_token(), "homepage": ""}
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post_comment(client, article, *, origin=ORIGIN, **fields):
    """POST the comment form of ``article`` as a browser on our site would (``Origin`` header set)."""
    extra = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(reverse("comments:post", args=[article.pk]), form_data(**fields), **extra)
