"""``akhbar.search.result_html`` writes exactly what ``search/includes/result.html`` renders."""

import pytest
from django.template import Context, engines
from django.utils import translation
from django.utils.safestring import mark_safe

from akhbar.news.models import ArticlePage
from akhbar.news.queries import live_articles_by_pk
from akhbar.search import result_html
from tests.news.factories import ArticlePageFactory


def template_html(item, request):
    template = engines["django"].engine.get_template("search/includes/result.html")
    return template.render(Context({"item": item, "request": request}))


@pytest.fixture
def articles(politics):
    placed = ArticlePageFactory(parent=politics, title='خبر "مقتبس" & <رمز>', standfirst="مقدمة")
    placed.save_revision().publish()
    loose = ArticlePageFactory(parent=politics, title="خبر بلا قسم")
    loose.save_revision().publish()
    ArticlePage.objects.filter(pk=loose.pk).update(section=None)  # an article outside every section
    return live_articles_by_pk([placed.pk, loose.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "headline, snippet",
    [
        (mark_safe("خبر <mark>الحكومة</mark> &amp; غيرها"), mark_safe("… نص <mark>الحكومة</mark> …")),
        (mark_safe("عنوان"), mark_safe("")),  # no snippet paragraph
        ("عنوان <غير آمن> & نص", "نص <b>غير آمن</b>"),  # plain strings are escaped by both
    ],
)
def test_python_result_equals_the_template(rf, articles, language, headline, snippet):
    request = rf.get("/search/?q=x")
    assert {a.section_id is None for a in articles} == {True, False}
    with translation.override(language):
        for article in articles:
            item = {"article": article, "headline": headline, "snippet": snippet}
            assert result_html.render(item, request) == template_html(item, request)


@pytest.mark.django_db
def test_search_page_lists_the_results(client, articles):
    html = client.get("/search/", {"q": "خبر"}).content.decode()
    assert html.count('<li class="search-result">') == 2
    assert "&quot;مقتبس&quot; &amp; &lt;رمز&gt;" in html or "&quot;مقتبس&quot; &amp; &lt;<mark>" in html
