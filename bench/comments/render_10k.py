"""Time an article page and its comment listings with 10 and with 10,000 published comments,
and the post endpoint, on a scratch database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_comments_bench python bench/comments/render_10k.py
    python bench/comments/render_10k.py            # SQLite in a temporary folder

Creates (and, for PostgreSQL, drops first) the scratch database; prints a Markdown table.
Bounded: about a minute on 2 cores.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AKHBAR_DATA_DIR", tempfile.mkdtemp(prefix="akhbar-comments-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.test")
os.environ["AKHBAR_COMMENT_RATE"] = "0"
os.environ["AKHBAR_COMMENT_MIN_SECONDS"] = "0"

REQUESTS = 20
POSTS = 200


def reset_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        reset_postgres(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from akhbar.comments.models import Comment, Discussion
    from akhbar.comments.tokens import issue_token
    from akhbar.news.models import ArticlePage, SectionPage

    section = SectionPage.objects.get(slug="سياسة")

    def article(slug):
        page = ArticlePage(title=f"خبر {slug}", slug=slug, standfirst="مقدمة.", live=True, first_published_at=timezone.now())
        section.add_child(instance=page)
        return page

    def seed(page, n, first_id):
        rows = []
        for i in range(n):
            pk = first_id + i
            parent = rows[i - 1] if i % 10 == 9 else None
            path = (parent.thread_path + "/" if parent else "") + Comment.path_segment(pk)
            rows.append(Comment(pk=pk, article=page, parent=parent, depth=1 if parent else 0, thread_path=path,
                                name=f"قارئ {i}", email=f"r{i}@example.org", body=f"تعليق رقم {i} " * 8, status="approved"))
        Comment.objects.bulk_create(rows, batch_size=2000)
        Discussion.objects.update_or_create(page_id=page.pk, defaults={"approved_count": n})

    small, big = article("small"), article("big")
    started = time.perf_counter()
    seed(small, 10, 1_000_000)
    seed(big, 10_000, 2_000_000)
    seeding = time.perf_counter() - started
    client = Client()

    def measure(path):
        client.get(path)
        times = []
        for _ in range(REQUESTS):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(path)
                times.append(time.perf_counter() - t0)
            assert response.status_code == 200, path
        return statistics.median(times) * 1000, len(ctx.captured_queries), len(response.content)

    rows = [
        ("article page, 10 comments", small.url),
        ("article page, 10,000 comments", big.url),
        ("listing page 1 of 200", reverse("comments:list", args=[big.pk])),
        ("listing page 200 of 200", reverse("comments:list", args=[big.pk]) + "?page=200"),
    ]
    print(f"engine: {connection.vendor}; seeded 10,010 comments in {seeding:.1f} s; median of {REQUESTS} requests\n")
    print("| page | median (ms) | queries | bytes |")
    print("| --- | ---: | ---: | ---: |")
    for label, path in rows:
        ms, queries, size = measure(path)
        print(f"| {label} | {ms:.1f} | {queries} | {size:,} |")

    post_url = reverse("comments:post", args=[small.pk])
    t0 = time.perf_counter()
    for i in range(POSTS):
        response = client.post(post_url, {"name": "قارئ", "email": f"p{i}@example.org", "body": f"تعليق جديد {i}",
                                          "token": issue_token(now=time.time() - 60)}, HTTP_ORIGIN="http://testserver")
        assert response.status_code == 303, response.status_code
    per_post = (time.perf_counter() - t0) / POSTS * 1000
    print(f"| POST a comment (rate limit off), mean of {POSTS} | {per_post:.1f} | | |")


if __name__ == "__main__":
    main()
