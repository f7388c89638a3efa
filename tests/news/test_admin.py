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


def _new_story_data(headline, slug=""):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    return nested_form_data({
        "title": headline,
        "slug": slug,
        "standfirst": "مقدمة الخبر",
        "source_kind": "staff",
        "body": streamfield([("paragraph", rich_text("<p>نص الخبر</p>"))]),
        "article_authors": inline_formset([]),
        "corrections": inline_formset([]),
        "comments": inline_formset([]),
    })


def test_a_story_saved_without_a_slug_gets_one_from_its_headline(client, politics, chief):
    from akhbar.news.models import ArticlePage

    client.force_login(chief)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk))
    headline = "وزير الخارجية يلتقي نظيره في عمّان"
    for expected in ("وزير-الخارجية-يلتقي-نظيره-في-عمان", "وزير-الخارجية-يلتقي-نظيره-في-عمان-2"):
        response = client.post(url, _new_story_data(headline))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        assert ArticlePage.objects.filter(slug=expected, title=headline).exists(), list(ArticlePage.objects.values_list("slug", flat=True))
    # a slug the editor typed is kept; a taken one is still refused, as in Wagtail
    assert client.post(url, _new_story_data("خبر آخر", slug="my-slug")).status_code == 302
    assert ArticlePage.objects.filter(slug="my-slug").exists()
    refused = client.post(url, _new_story_data("خبر ثالث", slug="my-slug"))
    assert refused.status_code in (200, 400) and "slug" in refused.context["form"].errors


def test_the_headline_field_fills_the_slug_in_the_browser(client, politics, chief):
    client.force_login(chief)
    html = client.get(reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk))).content.decode()
    assert 'data-w-sync-target-value="#id_slug"' in html
