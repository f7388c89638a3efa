"""Where a search's time goes, query by query: SQL statements (count, time, the slowest) and Python.

    python bench/search/profile_queries.py --db URL --size 100000 [--top 25] [--cprofile out.prof] [--explain]

Runs the benchmark's dev and own known-item queries (original and variant, 10 deep, as
``run_engine.py``) once, times every SQL statement (``connection.execute_wrapper``), and prints
p50/p95 of the wall clock, of the SQL time and of the rest (Python), then the slowest queries
with their statements. ``--explain`` prints ``EXPLAIN (ANALYZE, BUFFERS)`` of the slowest
statement of the slowest queries (PostgreSQL). ``--cprofile`` writes a profile of the whole run.
"""

from __future__ import annotations

import argparse
import cProfile
import time

from common import QUERIES_DEV, load_jsonl, percentile, read_corpus, setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--cprofile", default=None)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    setup_django(args.db, migrate=False)
    from django.db import connection
    from queries_own import make_queries

    from akhbar.search.engine import search

    id_of = {record.id: n for n, record in read_corpus()}
    dev = [r for r in load_jsonl(QUERIES_DEV) if id_of.get(r["target_id"], args.size + 1) <= args.size][: args.limit]
    own = make_queries(300, max_line=args.size)[: args.limit]
    queries = [r[k] for rows in (dev, own) for k in ("query", "variant_query") for r in rows]

    statements: list = []

    def timed(execute, sql, params, many, context):
        t = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - t) * 1000, sql, params))

    profiler = cProfile.Profile() if args.cprofile else None
    results = []
    with connection.execute_wrapper(timed):
        for text in queries:
            statements.clear()
            if profiler:
                profiler.enable()
            t, c = time.perf_counter(), time.process_time()
            res = search(text, page=1, per_page=10)
            ms, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
            if profiler:
                profiler.disable()
            sql_ms = sum(s[0] for s in statements)
            results.append({"q": text, "ms": ms, "cpu": cpu, "sql": sql_ms, "stmts": list(statements), "timings": res.timings})
    if profiler:
        profiler.dump_stats(args.cprofile)
    for key in ("ms", "cpu", "sql"):
        values = [r[key] for r in results]
        print(f"{key:4}: p50 {percentile(values, 50):6.1f}  p95 {percentile(values, 95):6.1f}  max {max(values):6.1f}")
    py = [r["ms"] - r["sql"] for r in results]
    print(f"py  : p50 {percentile(py, 50):6.1f}  p95 {percentile(py, 95):6.1f}")
    n = [len(r["stmts"]) for r in results]
    print(f"statements per query: mean {sum(n) / len(n):.1f} max {max(n)}")
    results.sort(key=lambda r: r["ms"], reverse=True)
    for r in results[: args.top]:
        kinds = " ".join(f"{s[0]:.1f}" for s in r["stmts"])
        print(f"\n{r['ms']:6.1f} ms (sql {r['sql']:.1f}, cpu {r['cpu']:.1f}) {r['q']}  [{kinds}]")
        slow = max(r["stmts"], key=lambda s: s[0])
        print(f"   slowest: {slow[1][:160]} {str(slow[2])[:200]}")
        if args.explain and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SET LOCAL enable_seqscan = off")
                sql = slow[1].split("; ", 1)[-1] if slow[1].startswith("SET LOCAL") else slow[1]
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, slow[2])
                print("   " + "\n   ".join(row[0] for row in cursor.fetchall()))
                cursor.execute("ROLLBACK")


if __name__ == "__main__":
    main()
