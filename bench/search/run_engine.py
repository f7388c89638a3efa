"""Build one engine's index at a given size and measure it on the query sets.

    python bench/search/run_engine.py --engine akhbar --db sqlite:////tmp/b.sqlite3 --size 10000 --out r.json
    python bench/search/run_engine.py --engine akhbar --db postgres://postgres@127.0.0.1:5432/akhbar_bench ...
    python bench/search/run_engine.py --engine like|fts5 --db /tmp/baseline.sqlite3 --size 10000 --out r.json
    python bench/search/run_engine.py --engine pgsimple --db postgres://.../akhbar_bench --size 10000 --out r.json
    python bench/search/run_engine.py --engine akhbar --db URL --size 100000 --reuse --out r.json   # index already built

Engines:

* ``akhbar``: the site's own code (indexer + engine.search), SQLite or PostgreSQL by URL;
* ``like``: WordPress's search: every word ``LIKE '%w%'`` in title or body, title matches first, then newest;
* ``fts5``: SQLite FTS5 with its defaults (``unicode61``), words ANDed, ``ORDER BY rank`` (BM25);
* ``pgsimple``: PostgreSQL ``to_tsvector('simple', title || body)`` with GIN, ``plainto_tsquery``, ``ts_rank``.

The corpus is replicated with new ids (copy × 1,000,000 + line) up to ``--size``.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import time
from pathlib import Path

from common import ID_STRIDE, NAMES_DEV, QUERIES_DEV, load_jsonl, percentile, read_corpus, setup_django, title_key

BATCH = 1000


def corpus(size: int, records):
    """Yield ``(article_id, record)`` up to ``size`` articles."""
    done = 0
    while done < size:
        copy, idx = divmod(done, len(records))
        yield copy * ID_STRIDE + idx + 1, records[idx]
        done += 1


# --- engines -------------------------------------------------------------------------


class Akhbar:
    def __init__(self, url, stemmer=None):
        setup_django(url)
        if stemmer:
            from akhbar.search import analysis

            analysis.STEMMER = stemmer
        from django.db import connection

        self.vendor = connection.vendor
        self.url = url

    def build(self, items):
        from common import source_for

        from akhbar.search.indexer import clear_index, index_batches

        clear_index()

        def batches():
            batch = []
            for article_id, record in items:
                batch.append(source_for(record, article_id))
                if len(batch) == BATCH:
                    yield batch
                    batch = []
            if batch:
                yield batch

        for _written in index_batches(batches()):  # as `akhbar reindex` does: analysis overlaps the writes
            pass
        from django.db import connection

        if self.vendor == "sqlite":
            with connection.cursor() as c:
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                c.execute("PRAGMA optimize")
                c.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
        else:
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE search_document")
                c.execute("VACUUM ANALYZE search_match")  # flushes the GIN pending lists, as autovacuum would
                c.execute("VACUUM ANALYZE search_term")

    def size(self) -> int:
        from django.db import connection

        with connection.cursor() as c:
            if self.vendor == "sqlite":
                c.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' OR name LIKE 'sqlite_autoindex_search%'")
            else:
                c.execute(
                    "SELECT pg_total_relation_size('search_document') + pg_total_relation_size('search_term') "
                    "+ pg_total_relation_size('search_stats') + pg_total_relation_size('search_match')"
                )
            return int(c.fetchone()[0] or 0)

    def search(self, query, depth):
        from akhbar.search.engine import search

        ids, page = [], 1
        per_page = 10 if depth <= 10 else 100
        while len(ids) < depth:
            res = search(query, page=page, per_page=per_page)
            ids += res.ids
            if len(res.ids) < per_page:
                break
            page += 1
        return ids[:depth]


class SQLiteBaseline:
    def __init__(self, path, kind):
        self.path, self.kind = path, kind
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")

    def build(self, items):
        db = self.db
        if self.kind == "like":
            db.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT, body TEXT, published TEXT)")
            sql = "INSERT INTO posts VALUES (?, ?, ?, ?)"
        else:
            db.execute("CREATE VIRTUAL TABLE posts USING fts5(title, body, published UNINDEXED)")
            sql = "INSERT INTO posts(rowid, title, body, published) VALUES (?, ?, ?, ?)"
        rows = []
        for article_id, r in items:
            rows.append((article_id, r.title, "\n".join(r.paragraphs), r.date.isoformat()))
            if len(rows) == BATCH:
                db.executemany(sql, rows)
                db.commit()
                rows = []
        db.executemany(sql, rows)
        db.commit()
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def size(self):
        return os.path.getsize(self.path)

    def search(self, query, depth):
        words = query.split()
        if not words:
            return []
        if self.kind == "like":
            where = " AND ".join(["(title LIKE ? OR body LIKE ?)"] * len(words))
            params = [p for w in words for p in (f"%{w}%", f"%{w}%")]
            title_all = " AND ".join(["title LIKE ?"] * len(words))
            sql = (
                f"SELECT id FROM posts WHERE {where} ORDER BY (title LIKE ?) DESC, ({title_all}) DESC, published DESC LIMIT ?"
            )
            params += [f"%{query}%"] + [f"%{w}%" for w in words] + [depth]
        else:
            expr = " ".join('"' + w.replace('"', '""') + '"' for w in words)
            sql = "SELECT rowid FROM posts WHERE posts MATCH ? ORDER BY rank LIMIT ?"
            params = [expr, depth]
        try:
            return [r[0] for r in self.db.execute(sql, params)]
        except sqlite3.OperationalError:
            return []


class PgSimple:
    def __init__(self, url):
        import psycopg

        self.db = psycopg.connect(url, autocommit=True)

    def build(self, items):
        db = self.db
        db.execute("DROP TABLE IF EXISTS bench_posts")
        db.execute(
            "CREATE TABLE bench_posts (id bigint PRIMARY KEY, title text, body text, published timestamptz, "
            "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, title || ' ' || body)) STORED)"
        )
        rows = []
        with db.cursor() as cur:
            for article_id, r in items:
                rows.append((article_id, r.title, "\n".join(r.paragraphs), r.date))
                if len(rows) == BATCH:
                    cur.executemany("INSERT INTO bench_posts (id, title, body, published) VALUES (%s, %s, %s, %s)", rows)
                    rows = []
            cur.executemany("INSERT INTO bench_posts (id, title, body, published) VALUES (%s, %s, %s, %s)", rows)
        db.execute("CREATE INDEX bench_posts_tsv ON bench_posts USING gin (tsv)")
        db.execute("VACUUM ANALYZE bench_posts")

    def size(self):
        return self.db.execute("SELECT pg_total_relation_size('bench_posts')").fetchone()[0]

    def search(self, query, depth):
        sql = (
            "SELECT id FROM bench_posts, plainto_tsquery('simple', %s) q WHERE tsv @@ q "
            "ORDER BY ts_rank(tsv, q) DESC LIMIT %s"
        )
        return [r[0] for r in self.db.execute(sql, (query, depth))]


# --- measurement ------------------------------------------------------------------------


def known_item(engine, titles, id_of, rows, limit=None, size=None):
    """Recall@10 / MRR@10 of known-item queries whose target is among the first ``size`` articles."""
    if size:
        rows = [r for r in rows if id_of.get(r["target_id"], size + 1) <= size]
    rows = rows[:limit] if limit else rows
    out = {}
    for kind in ("query", "variant_query"):
        found, rr, lat, cpu = 0, 0.0, [], []
        for row in rows:
            wanted = {titles[id_of[row["target_id"]]]} | {titles[id_of[e]] for e in row.get("equivalent_ids", []) if e in id_of}
            t, c = time.perf_counter(), time.process_time()
            got = [titles[i % ID_STRIDE] for i in engine.search(row[kind], 10)]
            lat.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            rank = next((i + 1 for i, tk in enumerate(got) if tk in wanted), None)
            if rank:
                found += 1
                rr += 1 / rank
        n = len(rows)
        out[kind] = {
            "n": n,
            "recall@10": found / n,
            "mrr@10": rr / n,
            "p50_ms": percentile(lat, 50),
            "p95_ms": percentile(lat, 95),
            "cpu_p50_ms": percentile(cpu, 50),
            "cpu_p95_ms": percentile(cpu, 95),
        }
    return out


def names(engine, titles, id_of, rows, limit=None, size=None):
    """Name queries; with ``size``, targets outside the first ``size`` articles are dropped
    (and queries left without a target skipped)."""
    if size:
        rows = [dict(r, target_ids=[t for t in r["target_ids"] if id_of.get(t, size + 1) <= size]) for r in rows]
        rows = [r for r in rows if r["target_ids"]]
    rows = rows[:limit] if limit else rows
    f10 = f100 = f10_name = n_name = 0
    rr, lat = 0.0, []
    for row in rows:
        wanted = {titles[id_of[t]] for t in row["target_ids"] if t in id_of}
        t = time.perf_counter()
        got = [titles[i % ID_STRIDE] for i in engine.search(row["query"], 100)]
        lat.append((time.perf_counter() - t) * 1000)
        rank = next((i + 1 for i, tk in enumerate(got) if tk in wanted), None)
        f10 += bool(rank and rank <= 10)
        f100 += bool(rank)
        rr += 1 / rank if rank and rank <= 10 else 0
        if row["query_type"] == "name":
            n_name += 1
            f10_name += bool(rank and rank <= 10)
    n = len(rows)
    return {
        "n": n,
        "recall@10": f10 / n,
        "recall@100": f100 / n,
        "mrr@10": rr / n,
        "recall@10 name-only": f10_name / max(1, n_name),
        "p50_ms": percentile(lat, 50),
        "p95_ms": percentile(lat, 95),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", required=True, choices=["akhbar", "like", "fts5", "pgsimple"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--stemmer", default=None, choices=[None, "light10", "snowball"])
    parser.add_argument("--limit", type=int, default=None, help="use only the first N queries of each set")
    parser.add_argument("--own", type=int, default=300, help="size of the generated query set")
    parser.add_argument(
        "--reuse", action="store_true",
        help="akhbar only: query the index already in --db (built by an earlier run at the same --size); no build, no index figures",
    )
    args = parser.parse_args()

    if args.engine == "akhbar":
        engine = Akhbar(args.db, args.stemmer)
    else:
        setup_django()
        engine = SQLiteBaseline(args.db, args.engine) if args.engine in ("like", "fts5") else PgSimple(args.db)
    from queries_own import make_queries

    records, id_of, titles = [], {}, {}
    for n, record in read_corpus():
        records.append(record)
        id_of[record.id] = n
        titles[n] = title_key(record.title)

    load = os.getloadavg()[0]
    result = {
        "engine": args.engine + (f"-{args.stemmer}" if args.stemmer else ""),
        "backend": getattr(engine, "vendor", "postgresql" if args.engine == "pgsimple" else "sqlite"),
        "size": args.size,
        "load_average_at_start": load,
    }
    if args.reuse:
        if args.engine != "akhbar":
            parser.error("--reuse is for --engine akhbar")
        result["reused_index"] = True
    else:
        wall, cpu = time.perf_counter(), time.process_time()
        engine.build(corpus(args.size, records))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        result.update(
            index_seconds=wall,
            index_cpu_seconds=cpu,
            articles_per_second=args.size / wall,
            index_bytes=engine.size(),
        )
    own = make_queries(args.own, max_line=args.size)
    subset = args.size if args.size < len(records) else None
    result["queries_dev"] = known_item(engine, titles, id_of, load_jsonl(QUERIES_DEV), args.limit, subset)
    result["queries_own"] = known_item(engine, titles, id_of, own, args.limit, subset)
    result["names_dev"] = names(engine, titles, id_of, load_jsonl(NAMES_DEV), args.limit, subset)
    result["load_average_at_end"] = os.getloadavg()[0]
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
