"""The search page and the JSON API (public contract: docs/api.md)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from .conftest import make_article

pytestmark = pytest.mark.django_db


def test_urls():
    assert reverse("search") == "/search/"
    assert reverse("search_api") == "/api/search/"


def test_header_box_submits_to_the_search_page(client, stories):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html


def test_page_lists_results_with_highlights_in_the_original_text(client, stories):
    response = client.get("/search/", {"q": "اسرائيل"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "وُجد خبر واحد" in html  # Arabic plural form for one result
    assert "<mark>إسرائيل</mark> تعلن" in html  # original spelling, with hamza, highlighted
    assert stories["a"].url in html
    assert 'lang="ar"' in html and "Content-Security-Policy" in response.headers


def test_snippet_comes_from_the_body_when_it_matches_there(client, stories):
    html = client.get("/search/", {"q": "بلينكن"}).content.decode()
    assert "أنتوني <mark>بلينكن</mark>" in html
    assert "<mark>بلينكين</mark> يزور" in html  # the other spelling, highlighted too


def test_no_results_message_suggests_an_indexed_spelling(client, stories):
    html = client.get("/search/", {"q": "المعابرز"}).content.decode()
    assert "لا توجد أخبار تطابق" in html
    assert "هل تقصد" in html and "المعابر" in html


def test_query_is_escaped(client, stories):
    html = client.get("/search/", {"q": '<script>alert(1)</script> "غزة'}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_bad_parameters_answer_400(client):
    assert client.get("/search/", {"q": "غزة", "page": "x"}).status_code == 400
    assert client.get("/search/", {"q": "غزة", "from": "yesterday"}).status_code == 400
    for edge in ({"to": "9999-12-31"}, {"from": "0001-01-01"}):  # would overflow in date arithmetic
        assert client.get("/search/", {"q": "غزة", **edge}).status_code == 400
        assert client.get("/api/search/", {"q": "غزة", **edge}).status_code == 400
    response = client.get("/api/search/", {"q": "غزة", "sort": "random"})
    assert response.status_code == 400 and "error" in response.json()


def test_filters_and_sort_in_the_page(client, stories, economy):
    html = client.get("/search/", {"q": "أسعار", "section": economy.slug, "sort": "newest"}).content.decode()
    assert html.index(f'href="{stories["d"].url}"') < html.index(f'href="{stories["c"].url}"')
    html = client.get("/search/", {"q": "أسعار", "section": "no-such-section"}).content.decode()
    assert "لا توجد أخبار" in html
    html = client.get("/search/", {"q": "القاهرة", "author": stories["author"].name}).content.decode()
    assert stories["b"].url in html
    html = client.get("/search/", {"q": "أسعار", "tag": "نفط"}).content.decode()
    assert stories["c"].url in html and stories["d"].url not in html


def test_english_interface(client, stories):
    html = client.get("/en/search/", {"q": "غزة"}).content.decode()
    assert "1 story found" in html


def test_api_contract(client, stories):
    response = client.get("/api/search/", {"q": "اسرائيل"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1
    (item,) = data["results"]
    assert set(item) == {"url", "headline", "standfirst", "section", "published"}
    assert item["headline"] == stories["a"].title
    assert item["url"].startswith("http://testserver/") and item["url"].endswith(stories["a"].url)
    assert item["section"] == "سياسة"
    assert dt.datetime.fromisoformat(item["published"]) == stories["a"].published_at
    assert client.get("/api/search/").json() == {"count": 0, "results": []}


def test_api_pages_ten_at_a_time_best_first(client, politics):
    now = timezone.now()
    for n in range(13):
        make_article(politics, f"بطولة كأس العالم الحلقة {n}", when=now - dt.timedelta(minutes=n))
    best = make_article(politics, "بطولة كأس العالم للأندية", "بطولة كأس العالم للأندية تنطلق.", "بطولة كأس العالم للأندية في موعدها.", when=now - dt.timedelta(days=30))
    first = client.get("/api/search/", {"q": "بطولة كأس العالم للأندية"}).json()
    assert first["count"] == 14 and len(first["results"]) == 10
    assert first["results"][0]["headline"] == best.title
    second = client.get("/api/search/", {"q": "بطولة كأس العالم للأندية", "page": 2}).json()
    assert len(second["results"]) == 4
    headlines = {r["headline"] for r in first["results"] + second["results"]}
    assert len(headlines) == 14


def test_pagination_links_keep_the_query(client, politics):
    for n in range(12):
        make_article(politics, f"أخبار الطقس اليوم {n}")
    html = client.get("/search/", {"q": "الطقس", "sort": "newest"}).content.decode()
    assert 'rel="next"' in html and "page=2" in html and "sort=newest" in html
