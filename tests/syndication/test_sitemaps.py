"""Sitemaps from saved pages: index, monthly archive, Google News, pages, authors, robots.txt."""

from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from akhbar.news.models import ArticlePage

from .helpers import fetch, local_path
from .sitemap_rules import NS, check_images, check_news, locs, parse, validate_index, validate_urlset

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def sitemap_urls(client):
    root = validate_index(client.get("/sitemap.xml").content)
    return [el.text for el in root.iterfind("sm:sitemap/sm:loc", NS)]


def all_sitemap_locs(client) -> dict[str, list[str]]:
    """Every listed sitemap, validated, mapped to its URLs."""
    result = {}
    for url in sitemap_urls(client):
        root = validate_urlset(fetch(client, url).content)
        check_images(root)
        result[url] = locs(root)
    return result


@override_settings(AKHBAR_BASE_URL=BASE)
def test_index_and_every_listed_sitemap_validate(client, make_story, story, settings):
    old = make_story(when=datetime(2025, 1, 15, 12, tzinfo=UTC), title="خبر قديم من الأرشيف", slug="خبر-قديم-من-الأرشيف")
    files = all_sitemap_locs(client)
    names = [unquote(url.rsplit("/", 1)[1]) for url in files]
    month = timezone.localtime(story.published_at)
    assert names[:3] == ["news.xml", "pages.xml", "authors.xml"]
    assert f"articles-{month:%Y-%m}.xml" in names and "articles-2025-01.xml" in names
    everything = [unquote(loc) for found in files.values() for loc in found]
    assert f"{BASE}/سياسة/البرلمان-يقر-قانون-الموازنة/" in everything
    assert f"{BASE}/سياسة/خبر-قديم-من-الأرشيف/" in everything
    assert f"{BASE}/سياسة/" in everything and f"{BASE}/" in everything
    assert f"{BASE}/authors/سلمى-الراشد/" in everything
    archive = files[f"{BASE}/sitemaps/articles-2025-01.xml"]
    assert [unquote(u) for u in archive] == [f"{BASE}/سياسة/خبر-قديم-من-الأرشيف/"]
    assert old.pk


def test_news_sitemap_has_the_last_48_hours_only(client, make_story, settings):
    fresh = make_story(hours_ago=1, title="عاجل: وقف إطلاق النار يدخل حيز التنفيذ", slug="وقف-إطلاق-النار")
    make_story(hours_ago=47, title="خبر من أمس", slug="خبر-من-أمس", image=False)
    make_story(hours_ago=49, title="خبر أقدم من يومين", slug="خبر-أقدم")
    root = validate_urlset(client.get("/sitemaps/news.xml").content)
    news = check_news(root, now=timezone.now(), publication_name=settings.AKHBAR_NEWS_PUBLICATION_NAME, language="ar")
    assert [n.findtext("news:title", namespaces=NS) for n in news] == ["عاجل: وقف إطلاق النار يدخل حيز التنفيذ", "خبر من أمس"]
    first = root.find("sm:url", NS)
    assert unquote(first.findtext("sm:loc", namespaces=NS)).endswith("/سياسة/وقف-إطلاق-النار/")
    published = datetime.fromisoformat(first.findtext("news:news/news:publication_date", namespaces=NS))
    assert abs(published - fresh.published_at) < timedelta(seconds=1)
    images = check_images(root)
    assert len(images) == 1 and fresh.lead_image.file.name.rsplit("/", 1)[1] in images[0]


def test_empty_news_and_author_sitemaps_are_served_but_not_listed(client, make_story):
    make_story(hours_ago=72, slug="خبر-قديم", image=False)
    names = [u.rsplit("/", 1)[1] for u in sitemap_urls(client)]
    assert "news.xml" not in names and "authors.xml" not in names and "pages.xml" in names
    # robots.txt names the news sitemap, so it answers even on a quiet day: well formed, no URLs
    # (the sitemaps.org schema wants at least one <url>, hence not listed in the index).
    for url in ("/sitemaps/news.xml", "/sitemaps/authors.xml"):
        root = parse(client.get(url).content)
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" and len(root) == 0


@override_settings(AKHBAR_SITEMAP_MAX_URLS=2)
def test_a_month_over_the_limit_is_split_into_parts(client, make_story):
    stories = [
        make_story(when=datetime(2025, 3, day, 9, tzinfo=UTC), title=f"خبر آذار رقم {day}", slug=f"خبر-آذار-{day}", image=False)
        for day in (3, 1, 9, 5, 7)
    ]
    names = [u.rsplit("/", 1)[1] for u in sitemap_urls(client)]
    assert [n for n in names if n.startswith("articles-2025-03")] == ["articles-2025-03.xml", "articles-2025-03-2.xml", "articles-2025-03-3.xml"]
    listed = []
    for name in ("articles-2025-03", "articles-2025-03-2", "articles-2025-03-3"):
        root = validate_urlset(client.get(f"/sitemaps/{name}.xml").content)
        assert 1 <= len(root) <= 2
        listed += locs(root)
    expected = sorted(stories, key=lambda a: a.published_at)
    assert [unquote(u).rsplit("/", 2)[1] for u in listed] == [a.slug for a in expected]
    assert client.get("/sitemaps/articles-2025-03-4.xml").status_code == 404
    assert client.get("/sitemaps/articles-2025-03-1.xml").status_code == 404
    assert client.get("/sitemaps/articles-2025-04.xml").status_code == 404
    assert client.get("/sitemaps/articles-2025-13.xml").status_code == 404


def test_months_follow_the_site_time_zone(client, make_story):
    # 22:30 UTC on 31 March is 01:30 on 1 April in Riyadh (UTC+3).
    make_story(when=datetime(2025, 3, 31, 22, 30, tzinfo=UTC), slug="منتصف-الليل", image=False)
    names = [u.rsplit("/", 1)[1] for u in sitemap_urls(client)]
    assert "articles-2025-04.xml" in names and "articles-2025-03.xml" not in names
    root = validate_urlset(client.get("/sitemaps/articles-2025-04.xml").content)
    assert root.findtext("sm:url/sm:lastmod", namespaces=NS) == "2025-04-01T01:30:00+03:00"


def test_drafts_private_pages_and_canonical_elsewhere_are_left_out(client, make_story, politics):
    from wagtail.models import PageViewRestriction

    make_story(slug="منشور", image=False)
    make_story(slug="مسودة", live=False, image=False)
    make_story(
        slug="منقول-من-وكالة",
        source_kind=ArticlePage.SOURCE_SYNDICATED,
        source_name="وكالة الأنباء",
        source_url="https://wire.example/ar/story-1",
        source_licence="CC BY 4.0",
        canonical_is_source=True,
        image=False,
    )
    private = make_story(slug="خاص", image=False)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    everything = [unquote(u) for found in all_sitemap_locs(client).values() for u in found]
    slugs = {u.rstrip("/").rsplit("/", 1)[1] for u in everything}
    assert "منشور" in slugs
    assert not {"مسودة", "منقول-من-وكالة", "خاص"} & slugs


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_archive(client, make_story):
    from django.core.cache import caches

    def cold():  # every cache, so both measurements start equally cold (sites, sections, sitemaps)
        for alias in caches:
            caches[alias].clear()

    for i in range(3):
        make_story(when=datetime(2024, 1 + i, 10, tzinfo=UTC), slug=f"أ-{i}", image=False)
    cold()
    small = [_queries(client, u) for u in ("/sitemap.xml", "/sitemaps/articles-2024-01.xml", "/sitemaps/news.xml", "/sitemaps/pages.xml")]
    for i in range(12):
        make_story(when=datetime(2024, 1 + i % 6, 12, tzinfo=UTC), slug=f"ب-{i}")
        make_story(hours_ago=i + 1, slug=f"ج-{i}")
    cold()
    large = [_queries(client, u) for u in ("/sitemap.xml", "/sitemaps/articles-2024-01.xml", "/sitemaps/news.xml", "/sitemaps/pages.xml")]
    assert large == small


def test_served_from_cache_until_publish_or_unpublish(client, make_story, django_assert_num_queries):
    first = make_story(hours_ago=3, slug="الأول", image=False)
    assert len(locs(validate_urlset(client.get("/sitemaps/news.xml").content))) == 1
    client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        assert client.get("/sitemaps/news.xml").status_code == 200
        assert client.get("/sitemap.xml").status_code == 200

    second = make_story(hours_ago=1, slug="الثاني", live=False, first_published_at=None, last_published_at=None, image=False)
    assert len(locs(validate_urlset(client.get("/sitemaps/news.xml").content))) == 1  # saving a draft changes nothing
    second.save_revision().publish()
    found = [unquote(u) for u in locs(validate_urlset(client.get("/sitemaps/news.xml").content))]
    assert [u.rstrip("/").rsplit("/", 1)[1] for u in found] == ["الثاني", "الأول"]

    first.specific.unpublish()
    found = [unquote(u) for u in locs(validate_urlset(client.get("/sitemaps/news.xml").content))]
    assert [u.rstrip("/").rsplit("/", 1)[1] for u in found] == ["الثاني"]
    month = timezone.localtime(second.published_at)
    archive = [unquote(u) for u in locs(validate_urlset(client.get(f"/sitemaps/articles-{month:%Y-%m}.xml").content))]
    assert [u.rstrip("/").rsplit("/", 1)[1] for u in archive] == ["الثاني"]


def test_renaming_a_section_refreshes_the_archive(client, make_story, politics):
    make_story(when=datetime(2024, 6, 1, tzinfo=UTC), slug="خبر-حزيران", image=False)
    before = unquote(locs(validate_urlset(client.get("/sitemaps/articles-2024-06.xml").content))[0])
    assert "/سياسة/خبر-حزيران/" in before
    politics.slug = "السياسة"
    politics.save_revision().publish()
    after = unquote(locs(validate_urlset(client.get("/sitemaps/articles-2024-06.xml").content))[0])
    assert "/السياسة/خبر-حزيران/" in after


def test_moving_the_publication_date_refreshes_both_months(client, make_story):
    article = make_story(when=datetime(2024, 2, 10, tzinfo=UTC), slug="خبر-متنقل", image=False)
    assert client.get("/sitemaps/articles-2024-02.xml").status_code == 200
    assert client.get("/sitemaps/articles-2024-05.xml").status_code == 404
    article.published_at = datetime(2024, 5, 10, tzinfo=UTC)
    article.save_revision().publish()
    assert client.get("/sitemaps/articles-2024-02.xml").status_code == 404
    assert client.get("/sitemaps/articles-2024-05.xml").status_code == 200


def test_conditional_get(client, story):
    response = client.get("/sitemap.xml")
    assert response["ETag"] and "max-age" in response["Cache-Control"]
    again = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


@override_settings(AKHBAR_BASE_URL="https://akhbar.example")
def test_robots_txt_points_at_the_sitemaps(client, story):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *" and "Disallow: /admin/" in lines
    sitemaps = [line.split(": ", 1)[1] for line in lines if line.startswith("Sitemap: ")]
    assert sitemaps == ["https://akhbar.example/sitemap.xml", "https://akhbar.example/sitemaps/news.xml"]
    for url in sitemaps:
        assert client.get(local_path(url)).status_code == 200


def test_sitemaps_are_the_same_whatever_the_interface_language(client, story):
    arabic = client.get("/sitemaps/news.xml").content
    from django.core.cache import cache

    cache.clear()
    english = client.get("/sitemaps/news.xml", HTTP_ACCEPT_LANGUAGE="en").content
    assert arabic == english


def test_a_publish_this_month_does_not_recount_past_months(client, make_story):
    from django.core.cache import cache

    make_story(when=datetime(2024, 9, 9, tzinfo=UTC), slug="خبر-أيلول", image=False)
    def month_groupings():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/sitemap.xml").status_code == 200
        return len([q for q in ctx.captured_queries if "trunc" in q["sql"].lower()])

    cache.clear()
    assert month_groupings() == 2  # past months, then this month
    draft = make_story(slug="خبر-اليوم", live=False, first_published_at=None, image=False)
    draft.save_revision().publish()
    assert month_groupings() == 1  # the past months' GROUP BY came from the cache
    month = timezone.localtime(timezone.now())
    assert f"articles-{month:%Y-%m}.xml" in [u.rsplit("/", 1)[1] for u in sitemap_urls(client)]

    # A story dated in a month of the past does refresh the past months.
    old = make_story(slug="خبر-قديم-جديد", live=False, first_published_at=None, image=False)
    old.published_at = datetime(2023, 2, 2, tzinfo=UTC)
    old.save_revision().publish()
    names = [u.rsplit("/", 1)[1] for u in sitemap_urls(client)]
    assert "articles-2023-02.xml" in names and "articles-2024-09.xml" in names


@pytest.mark.parametrize(
    "path",
    [
        "/sitemaps/articles-9999-12.xml",
        "/sitemaps/articles-0001-01.xml",
        "/sitemaps/articles-0000-05.xml",
        "/sitemaps/articles-2018-10-99999999999999999999.xml",
        "/sitemaps/articles-2018-10-100001.xml",
        "/sitemaps/authors-99999999999999999999.xml",
        "/sitemaps/news-99999999999999999999.xml",
    ],
)
def test_out_of_range_sitemap_names_are_404_not_errors(client, db, path):
    assert client.get(path).status_code == 404
