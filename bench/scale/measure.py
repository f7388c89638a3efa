"""Time the archive-scale requests on a loaded database (see load_million.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_scale AKHBAR_EDGE_ENABLED=0 \
        /path/to/python bench/scale/measure.py [--runs 7] [--json out.json]

In-process (Django test client, no network, page cache off): section page 1
and page 5,000 of the largest section, a deep-archive article, the home page,
the Wagtail admin explorer of that section (logged in), the newsroom article
list ``/admin/articles/`` as a chief editor (page 1, page 100, filtered by the
largest section (page 1 and 3,000), by status draft, and a headline search for
``--search``, alone and in that section), and
a publish (edit + publish through a revision, with all purges). Each is run
once to warm up, then ``--runs`` times; prints median and worst in
milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.base")
os.environ.setdefault("AKHBAR_EDGE_ENABLED", "0")


def timed(func, runs):
    func()  # warm-up
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        samples.append((time.perf_counter() - t0) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1), "runs": runs}


def ensure_drafts(section, n):
    """Give the archive ``n`` never-published drafts (external id ``bench-draft:<i>``) in ``section``,
    as a newsroom has, for the article list's status filter; added once, through Wagtail's tree API."""
    from akhbar.news.models import ArticlePage

    have = ArticlePage.objects.filter(external_id__startswith="bench-draft:").count()
    for i in range(have, n):
        section.refresh_from_db()
        section.add_child(
            instance=ArticlePage(
                title=f"مسودة تجريبية رقم {i}",
                slug=f"bench-draft-{i}",
                standfirst="مسودة لقياس قائمة الأخبار.",
                live=False,
                external_id=f"bench-draft:{i}",
            )
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--page", type=int, default=5000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--search", default="النفط", help="headline search of the admin article list")
    parser.add_argument("--drafts", type=int, default=200, help="unpublished stories to have in the largest section")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from akhbar.news.models import ArticlePage, SectionPage

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    migrate_s = round(time.monotonic() - t0, 1)
    total = ArticlePage.objects.count()
    with connection.cursor() as cur:
        cur.execute("SELECT section_id, count(*) FROM news_articlepage GROUP BY section_id ORDER BY 2 DESC LIMIT 1")
        section_id, in_section = cur.fetchone()
    section = SectionPage.objects.get(pk=section_id)
    deep = ArticlePage.objects.filter(section_id=section_id).order_by("published_at").only("pk").first()
    client = Client()

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    from akhbar.news.queries import _shared_cache

    def uncounted(run):
        def wrapped():
            _shared_cache().delete(f"news:section-count:{section_id}")  # the cached count of a huge section
            run()

        return wrapped

    results = {
        "articles": total,
        "largest_section_articles": in_section,
        "migrate_s": migrate_s,
        "section_page_1": timed(get(section.url), args.runs),
        f"section_page_{args.page}": timed(get(f"{section.url}?page={args.page}"), args.runs),
        "section_page_1_count_not_cached": timed(uncounted(get(section.url)), args.runs),
        "article": timed(get(deep.url), args.runs),
        "home": timed(get("/"), args.runs),
    }
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser("bench-admin", "bench@example.org", "bench-admin-pw")
    editor = Client()
    editor.force_login(admin)

    def admin_list():
        response = editor.get(f"/admin/pages/{section_id}/")
        assert response.status_code == 200, response.status_code

    results["admin_article_list"] = timed(admin_list, args.runs)

    # The newsroom article list (akhbar/news/article_listing.py) as a chief editor: a newsroom role,
    # so the permission scope (tree-path prefix) is applied as it is for every editor.
    from django.contrib.auth.models import Group
    from django.utils.http import urlencode

    from akhbar.news.newsroom import CHIEF_EDITORS

    chief = User.objects.filter(username="bench-chief").first()
    if chief is None:
        chief = User.objects.create_user("bench-chief", "chief@example.org", "bench-chief-pw")
        chief.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    newsroom = Client()
    newsroom.force_login(chief)
    ensure_drafts(section, args.drafts)

    def listing(params):
        url = "/admin/articles/" + (f"?{urlencode(params)}" if params else "")

        def run():
            response = newsroom.get(url)
            assert response.status_code == 200, (url, response.status_code)
            assert b"data-bulk-action-checkbox" in response.content or params.get("status") == "draft", url

        return run

    results["article_list_page_1"] = timed(listing({}), args.runs)
    results["article_list_page_100"] = timed(listing({"p": 100}), args.runs)
    results["article_list_largest_section"] = timed(listing({"section": section_id}), args.runs)
    results["article_list_largest_section_page_3000"] = timed(listing({"section": section_id, "p": 3000}), args.runs)
    results["article_list_status_draft"] = timed(listing({"status": "draft"}), args.runs)
    results["article_list_search"] = timed(listing({"q": args.search}), args.runs)
    results["article_list_search_in_largest_section"] = timed(listing({"q": args.search, "section": section_id}), args.runs)
    counter = {"n": 0}

    def publish():
        counter["n"] += 1
        article = ArticlePage.objects.get(pk=deep.pk)
        article.title = f"{article.title.split(' ⟲')[0]} ⟲{counter['n']}"
        article.save_revision().publish()

    results["publish"] = timed(publish, args.runs)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
