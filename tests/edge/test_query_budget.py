"""SQL query budget of uncached pages: constant whatever the number of blocks, tags, authors, figures.

Each page is rendered once first so image renditions exist (creating them is
a one-time write, not part of the budget), then measured with the page
cache off. Budgets from the issue: article ≤ 12, home ≤ 20, section ≤ 12.
"""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akhbar.news.models import SectionPage
from tests.news.factories import ArticlePageFactory, AuthorFactory, NewsImageFactory

ARTICLE_BUDGET, HOME_BUDGET, SECTION_BUDGET = 12, 20, 12


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.AKHBAR_EDGE_ENABLED = False


def rich_article(section, n_blocks, n_tags, n_authors, n_figures, title="قصة"):
    images = [NewsImageFactory() for _ in range(n_figures + 1)]
    body = []
    for i in range(n_blocks):
        body.append({"type": "paragraph", "value": f"<p>فقرة {i}</p>"})
        if i % 3 == 0:
            body.append({"type": "quote", "value": {"text": "قول", "attribution": "قائل"}})
    for img in images[1:]:
        body.append({"type": "figure", "value": {"image": img.pk, "alt_text": "وصف", "decorative": False, "caption": "تعليق", "credit": ""}})
    article = ArticlePageFactory(parent=section, title=title, body=body, lead_image=images[0], lead_image_alt="وصف الصورة")
    article.tags.add(*[f"وسم-{title}-{i}" for i in range(n_tags)])
    for i in range(n_authors):
        article.article_authors.create(author=AuthorFactory(), sort_order=i)
    article.save_revision().publish()
    return article


def count_queries(client, url):
    client.get(url)  # renditions created here
    caches["edge"].clear()  # cold: navigation and restriction lists not cached either
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), ctx


@pytest.mark.django_db
@pytest.mark.parametrize("size", [(2, 1, 1, 1), (30, 12, 6, 8)])
def test_article_page_budget(client, politics, size):
    article = rich_article(politics, *size)
    for _ in range(5):
        rich_article(politics, 2, 2, 1, 1, title=f"مجاورة{_}")
    n, ctx = count_queries(client, article.url)
    assert n <= ARTICLE_BUDGET, "\n".join(q["sql"][:200] for q in ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("per_section", [1, 6])
def test_home_budget(client, home, per_section):
    for section in SectionPage.objects.child_of(home):
        for i in range(per_section):
            rich_article(section, 3, 3, 2, 1, title=f"{section.pk}-{i}")
    n, ctx = count_queries(client, "/")
    assert n <= HOME_BUDGET, "\n".join(q["sql"][:200] for q in ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 25])
def test_section_page_budget(client, politics, count):
    for i in range(count):
        rich_article(politics, 3, 3, 2, 1, title=f"س{i}")
    for url in (politics.url, politics.url + ("?page=2" if count > 20 else "")):
        n, ctx = count_queries(client, url)
        assert n <= SECTION_BUDGET, "\n".join(q["sql"][:200] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_tag_and_author_pages_are_bounded(client, politics):
    articles = [rich_article(politics, 2, 2, 1, 1, title=f"ت{i}") for i in range(8)]
    for a in articles[1:]:
        a.tags.add("مشترك")
        a.save_revision().publish()
    author = articles[0].article_authors.first().author
    for url in (reverse("tag", args=["مشترك"]), reverse("author", args=[author.slug])):
        n, ctx = count_queries(client, url)
        assert n <= SECTION_BUDGET, "\n".join(q["sql"][:200] for q in ctx.captured_queries)
