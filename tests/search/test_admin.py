"""The admin's "Articles" search area uses akhbar's index (Wagtail's no longer covers articles)."""

import pytest
from django.urls import reverse

from tests.news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_admin_article_search(client, django_user_model, stories, politics):
    draft = ArticlePageFactory(parent=politics, title="مسودة عن المعابر", live=False, first_published_at=None, last_published_at=None)
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(admin)
    html = client.get("/admin/article-search/", {"q": "اسرائيل"}).content.decode()
    assert f"/admin/pages/{stories['a'].pk}/edit/" in html
    html = client.get("/admin/article-search/", {"q": "المعابر"}).content.decode()
    assert f"/admin/pages/{draft.pk}/edit/" in html
    # the area is offered in the admin's global search
    assert "/admin/article-search/" in client.get(reverse("wagtailadmin_pages:search"), {"q": "غزة"}).content.decode()


def test_admin_article_search_needs_login(client):
    assert client.get("/admin/article-search/", {"q": "غزة"}).status_code == 302
