"""Sitemaps and feeds over a million articles on PostgreSQL (bench, not a test).

Usage (from the repository root; the database is created and dropped by you):

    createdb -h 127.0.0.1 -U postgres akhbar_syndication_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_syndication_bench \\
        python bench/syndication/sitemaps_1m.py --articles 1000000
    dropdb -h 127.0.0.1 -U postgres akhbar_syndication_bench

It migrates the database, clones one real article into ``--articles`` rows
with SQL (``generate_series``: Arabic slugs, one story every ~3 minutes
going back in time, so about 15,000 a month, plus one 60,000-story month to
exercise splitting), runs ``ANALYZE`` and times, with a cold cache, each
document a crawler or reader would fetch. Prints a Markdown table row per
document.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.test")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1_000_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a scratch PostgreSQL database")
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    from akhbar.news.models import ArticlePage, SectionPage

    if ArticlePage.objects.count() < args.articles:
        seed(args.articles)
    total = ArticlePage.objects.count()
    print(f"articles: {total:,}")

    client = Client()
    from akhbar.syndication import sitemaps

    months = sitemaps.month_summaries()
    biggest = max(months, key=lambda m: m[1])
    (year, month), count, _changed = biggest
    section = SectionPage.objects.get(slug="سياسة")
    targets = [
        ("/sitemap.xml", "index (GROUP BY month over all articles)"),
        (f"/sitemaps/articles-{year:04d}-{month:02d}.xml", f"archive part 1 of {count:,}-URL month"),
        (f"/sitemaps/articles-{year:04d}-{month:02d}-2.xml", "archive part 2 (OFFSET 50,000)"),
        ("/sitemaps/news.xml", "Google News, last 48 h"),
        ("/feeds/rss/", "site RSS"),
        (f"/feeds/sections/{section.slug}/atom/", "section Atom"),
    ]
    print("| document | cold (s) | cached (s) | bytes | URLs/items |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for path, label in targets:
        cache.clear()
        started = time.perf_counter()
        response = client.get(path)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        client.get(path)
        warm = time.perf_counter() - started
        body = response.content
        items = body.count(b"<url>") or body.count(b"<sitemap>") or body.count(b"<item>") or body.count(b"<entry>")
        print(f"| `{path}` ({label}) | {cold:.2f} | {warm:.3f} | {len(body):,} | {items:,} |", flush=True)
        assert response.status_code == 200, (path, response.status_code)
        if path == "/sitemap.xml":
            from akhbar.syndication import cache as versions

            versions.bump(versions.LATEST)  # what publishing a story this month does
            started = time.perf_counter()
            client.get(path)
            print(f"| `{path}` after a publish this month (past months cached) | {time.perf_counter() - started:.2f} | | | |", flush=True)


def seed(n: int) -> None:
    """Clone one article ``n`` times in SQL under the politics section."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from akhbar.news.models import ArticlePage, SectionPage
    from akhbar.news.newsroom import ensure_newsroom
    from tests.news.factories import ArticlePageFactory

    home = ensure_newsroom()
    section = SectionPage.objects.child_of(home).get(slug="سياسة")
    template = ArticlePage.objects.first() or ArticlePageFactory(parent=section, slug="قالب", title="قالب")
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'wagtailcore_page' ORDER BY ordinal_position")
        page_columns = [c for (c,) in cursor.fetchall() if c != "id"]
        overrides = {
            "path": f"%(parent)s || substr(%(digits)s, (n / 46656) %% 36 + 1, 1) || substr(%(digits)s, (n / 1296) %% 36 + 1, 1)"
            f" || substr(%(digits)s, (n / 36) %% 36 + 1, 1) || substr(%(digits)s, n %% 36 + 1, 1)",
            "slug": "'خبر-رقم-' || n",
            "title": "'خبر تجريبي رقم ' || n",
            "draft_title": "'خبر تجريبي رقم ' || n",
            "url_path": "%(parent_url)s || 'خبر-رقم-' || n || '/'",
            "translation_key": "gen_random_uuid()",
            "first_published_at": "%(now)s - (n * interval '3 minutes')",
            "last_published_at": "%(now)s - (n * interval '3 minutes')",
            "live": "true",
            "numchild": "0",
        }
        select = ", ".join(overrides.get(c, f"t.{c}") for c in page_columns)
        cursor.execute(
            f"INSERT INTO wagtailcore_page ({', '.join(page_columns)}) "
            f"SELECT {select} FROM wagtailcore_page t, generate_series(%(start)s, %(stop)s) n WHERE t.id = %(template)s",
            {
                "parent": section.path,
                "parent_url": section.url_path,
                "digits": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                "now": now,
                "start": 100,
                "stop": 100 + n - 1,
                "template": template.pk,
            },
        )
        cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'news_articlepage' ORDER BY ordinal_position")
        article_columns = [c for (c,) in cursor.fetchall()]
        overrides = {
            "page_ptr_id": "p.id",
            "published_at": "p.first_published_at",
            "updated_at": "p.first_published_at",
            "external_id": "NULL",
            "section_id": "%(section)s",
        }
        select = ", ".join(overrides.get(c, f"t.{c}") for c in article_columns)
        cursor.execute(
            f"INSERT INTO news_articlepage ({', '.join(article_columns)}) "
            f"SELECT {select} FROM wagtailcore_page p, news_articlepage t "
            f"WHERE t.page_ptr_id = %(template)s AND p.path LIKE %(prefix)s AND p.id <> %(template)s "
            f"AND NOT EXISTS (SELECT 1 FROM news_articlepage a WHERE a.page_ptr_id = p.id)",
            {"template": template.pk, "prefix": section.path + "____", "section": section.pk},
        )
        # One crowded month (60,000 stories a year ago) so that a month is split into two files.
        crowded = now - timedelta(days=365)
        cursor.execute(
            "UPDATE news_articlepage SET published_at = %(start)s + (page_ptr_id %% 60000) * interval '40 seconds' "
            "WHERE page_ptr_id IN (SELECT page_ptr_id FROM news_articlepage ORDER BY page_ptr_id DESC LIMIT 60000)",
            {"start": crowded.replace(day=1, hour=0, minute=0, second=0, microsecond=0)},
        )
        cursor.execute("UPDATE wagtailcore_page SET numchild = (SELECT count(*) FROM wagtailcore_page c WHERE c.path LIKE %s AND c.depth = %s) WHERE id = %s", [section.path + "____", section.depth + 1, section.pk])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded {n:,} articles in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
