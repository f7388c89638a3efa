"""The Wagtail admin: Arabic and right to left, and the article editor renders every panel."""

import pytest
from django.urls import reverse

from .factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(make_user):
    from akhbar.news.newsroom import CHIEF_EDITORS

    return make_user("chief-admin", CHIEF_EDITORS)


def test_admin_is_arabic_rtl(client, chief):
    client.force_login(chief)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="ar" dir="rtl"' in html


def test_article_editor_renders_for_newsroom_roles(client, politics, chief):
    article = ArticlePageFactory(parent=politics)
    client.force_login(chief)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for field in ["standfirst", "dateline", "byline", "source_kind", "source_url", "lead_image_alt"]:
        assert f'name="{field}"' in html, field
    add = client.get(reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk)))
    assert add.status_code == 200


def test_author_snippet_admin(client, chief):
    author = AuthorFactory()
    client.force_login(chief)
    response = client.get(reverse("wagtailsnippets_news_author:list"))
    assert response.status_code == 200 and author.name in response.content.decode()
