"""Bulk-load N articles (default 1,000,000) into PostgreSQL by replicating the real corpus.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/akhbar_scale \
        /path/to/python bench/scale/load_million.py [--count 1000000] [--corpus ../shared/data/arabic-news]

Self-contained bulk path (no ``save()`` per article): corpus records are
parsed once with akhbar's own corpus functions, then replicated with new ids,
slugs, external ids and dates (spread evenly over the last ten years, newest
first) and written with PostgreSQL ``COPY`` straight into
``wagtailcore_page`` and ``news_articlepage``, computing treebeard paths
(``section.path`` + 4 base-36 digits per child) and Wagtail ``url_path``.
Column values not set here are the model fields' defaults, so the loader
follows schema changes. Sections come from the corpus labels as in
``load-corpus``. Not written (documented in docs/benchmarks.md): revisions,
tags, author links and search-index rows; the replicated pages are live
pages like imported ones.

Idempotency: refuses to run twice on the same database (external ids
``bench:<n>`` already present) unless ``--append``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.base")

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def base36(n: int, width: int = STEPLEN) -> str:
    """Treebeard's path step: ``n`` in base 36, zero-padded to ``width`` (1 → ``0001``)."""
    digits = ""
    while n:
        n, r = divmod(n, 36)
        digits = ALPHABET[r] + digits
    digits = digits.rjust(width, "0")
    if len(digits) > width:
        raise OverflowError(f"more than {36 ** width - 1} children under one section")
    return digits


def model_defaults(model, fields):
    """{column: db-ready default} for the concrete ``fields`` of ``model``."""
    from django.db import connection

    values = {}
    for f in fields:
        default = f.get_default() if f.has_default() or f.null else ("" if f.empty_strings_allowed else None)
        values[f.column] = f.get_db_prep_save(default, connection) if default is not None else None
    return values


def read_corpus(corpus: Path):
    """Parsed records → list of dicts with the article fields (one per valid corpus line)."""
    from akhbar.ingest.corpus import OUTLET_NAMES_AR, body_blocks, iter_lines, parse_line, split_standfirst
    from akhbar.ingest.bylines import parse_credit
    from akhbar.news.slugs import make_slug

    out = []
    for _path, _n, line in iter_lines(sorted(corpus.glob("*.jsonl"))):
        try:
            record = parse_line(line)
        except Exception:
            continue
        credit = parse_credit(record.author)
        standfirst, paragraphs = split_standfirst(record)
        out.append(
            {
                "section": record.section,
                "title": record.title[:255],
                "slug": (make_slug(record.title) or "story")[:200],
                "standfirst": standfirst,
                "body": json.dumps(body_blocks(paragraphs), ensure_ascii=False),
                "dateline": credit.dateline[:255],
                "byline": (credit.byline or OUTLET_NAMES_AR.get(record.source, record.source or ""))[:255],
                "source_name": OUTLET_NAMES_AR.get(record.source, record.source or "")[:255],
                "source_url": record.url[:2000],
            }
        )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "data" / "arabic-news")
    parser.add_argument("--chunk", type=int, default=50_000, help="rows per COPY transaction")
    parser.add_argument("--append", action="store_true", help="add more even if bench rows exist")
    args = parser.parse_args(argv)

    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database (this bench uses COPY)")
    import django

    django.setup()
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page

    from akhbar.ingest.corpus import CorpusLoader
    from akhbar.news.models import ArticlePage, SectionPage

    timings = {}
    t0 = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    timings["migrate_s"] = round(time.monotonic() - t0, 1)

    if not args.append and ArticlePage.objects.filter(external_id__startswith="bench:").exists():
        print("bench articles already loaded (use --append to add more)")
        return 0

    t0 = time.monotonic()
    records = read_corpus(args.corpus)
    if not records:
        parser.error(f"no corpus records under {args.corpus}")
    timings["read_corpus_s"] = round(time.monotonic() - t0, 1)
    print(f"corpus: {len(records)} records read in {timings['read_corpus_s']} s")

    loader = CorpusLoader()
    sections = {}
    for rec in records:
        label = rec["section"]
        if label not in sections:
            sections[label] = loader.section_for(label)
    section_state = {}
    with connection.cursor() as cur:
        for section in {s.pk: s for s in sections.values()}.values():
            cur.execute(
                "SELECT max(path) FROM wagtailcore_page WHERE path LIKE %s AND depth = %s",
                [section.path + "_" * STEPLEN, section.depth + 1],
            )
            last = cur.fetchone()[0]
            next_child = (int(last[-STEPLEN:], 36) + 1) if last else 1
            section_state[section.pk] = {"section": section, "next": next_child, "added": 0}

    page_fields = [f for f in Page._meta.concrete_fields if f.column != "id"]
    article_fields = [f for f in ArticlePage._meta.local_concrete_fields]
    page_defaults = model_defaults(Page, page_fields)
    article_defaults = model_defaults(ArticlePage, article_fields)
    page_cols = list(page_defaults)
    article_cols = list(article_defaults)
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    locale = Locale.get_default().pk

    with connection.cursor() as cur:
        cur.execute("SELECT pg_get_serial_sequence('wagtailcore_page', 'id')")
        seq = cur.fetchone()[0]
        cur.execute(f"SELECT setval(%s, greatest((SELECT coalesce(max(id), 1) FROM wagtailcore_page), nextval(%s)) + %s)", [seq, seq, args.count])
        first_id = cur.fetchone()[0] - args.count + 1

    now = timezone.now()
    span = timedelta(days=3650)
    step = span / args.count
    start_n = ArticlePage.objects.filter(external_id__startswith="bench:").count() if args.append else 0

    t_load = time.monotonic()
    done = 0
    while done < args.count:
        n_rows = min(args.chunk, args.count - done)
        with transaction.atomic(), connection.cursor() as cur:
            page_rows, article_rows = [], []
            for k in range(done, done + n_rows):
                n = start_n + k
                rec = records[k % len(records)]
                state = section_state[sections[rec["section"]].pk]
                section = state["section"]
                child = state["next"]
                state["next"] += 1
                state["added"] += 1
                pk = first_id + k
                when = now - step * k
                slug = f"{rec['slug']}-{n}"
                page = dict(page_defaults)
                page.update(
                    path=section.path + base36(child),
                    depth=section.depth + 1,
                    numchild=0,
                    translation_key=uuid.uuid4(),
                    locale_id=locale,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=when,
                    last_published_at=when,
                    title=rec["title"],
                    draft_title=rec["title"],
                    slug=slug,
                    content_type_id=content_type,
                    url_path=f"{section.url_path}{slug}/",
                    latest_revision_created_at=when,
                )
                page_rows.append([pk] + [page[c] for c in page_cols])
                article = dict(article_defaults)
                article.update(
                    page_ptr_id=pk,
                    kicker="",
                    standfirst=rec["standfirst"],
                    body=rec["body"],
                    dateline=rec["dateline"],
                    byline=rec["byline"],
                    source_kind="syndicated" if rec["source_url"] else "staff",
                    source_name=rec["source_name"],
                    source_url=rec["source_url"],
                    section_id=section.pk,
                    published_at=when,
                    updated_at=when,
                    external_id=f"bench:{n}",
                )
                article_rows.append([article[c] for c in article_cols])
            with cur.copy(f"COPY wagtailcore_page (id, {', '.join(page_cols)}) FROM STDIN") as copy:
                for row in page_rows:
                    copy.write_row(row)
            with cur.copy(f"COPY news_articlepage ({', '.join(article_cols)}) FROM STDIN") as copy:
                for row in article_rows:
                    copy.write_row(row)
        done += n_rows
        rate = done / (time.monotonic() - t_load)
        print(f"  {done:>9,} / {args.count:,} articles  ({rate:,.0f}/s)", flush=True)

    with transaction.atomic():
        for state in section_state.values():
            if state["added"]:
                SectionPage.objects.filter(pk=state["section"].pk).update(numchild=state["next"] - 1)
                Page.objects.filter(pk=state["section"].pk).update(numchild=state["next"] - 1)
    timings["copy_s"] = round(time.monotonic() - t_load, 1)
    t0 = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) wagtailcore_page")
        cur.execute("VACUUM (ANALYZE) news_articlepage")
    timings["vacuum_analyze_s"] = round(time.monotonic() - t0, 1)
    timings["articles"] = args.count
    timings["per_section"] = {s["section"].title: s["added"] for s in section_state.values() if s["added"]}
    print(json.dumps(timings, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
