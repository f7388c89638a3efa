"""Recall@k, MRR@10 and latency of akhbar search over the shared query sets.

    python bench/search/evaluate.py --db sqlite:////tmp/bench.sqlite3 [--sets queries,names] [--limit N]

Assumes the index was built by ``index_corpus.py`` (ids = copy * 1e6 + line number).
"""

import argparse
import json
import time

from common import ID_STRIDE, NAMES_DEV, QUERIES_DEV, load_jsonl, percentile, read_corpus, setup_django, title_key


def evaluate_queries(search, titles, id_of, rows, depth=10):
    """Known-item queries: returns metrics for original and variant queries."""
    out = {}
    for kind in ("query", "variant_query"):
        found, rr, lat = 0, 0.0, []
        misses = []
        for row in rows:
            wanted = {titles[id_of[row["target_id"]]]} | {titles[id_of[e]] for e in row.get("equivalent_ids", []) if e in id_of}
            t = time.perf_counter()
            got = search(row[kind], depth)
            lat.append((time.perf_counter() - t) * 1000)
            rank = next((i + 1 for i, tk in enumerate(got[:10]) if tk in wanted), None)
            if rank:
                found += 1
                rr += 1 / rank
            else:
                misses.append((row["qid"], row[kind]))
        n = len(rows)
        out[kind] = {"recall@10": found / n, "mrr@10": rr / n, "p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95), "misses": misses}
    return out


def evaluate_names(search, titles, id_of, rows):
    """Name queries: recall@10/@100, MRR@10, latency; ``misses`` lists the queries without a
    target in the top 100 (qid, query, the group's spellings with their article counts)."""
    found10 = found100 = 0
    rr = 0.0
    lat = []
    by_type = {}
    misses = []
    for row in rows:
        wanted = {titles[id_of[t]] for t in row["target_ids"] if t in id_of}
        t = time.perf_counter()
        got = search(row["query"], 100)
        lat.append((time.perf_counter() - t) * 1000)
        rank = next((i + 1 for i, tk in enumerate(got[:100]) if tk in wanted), None)
        hit10 = bool(rank and rank <= 10)
        found10 += hit10
        found100 += bool(rank)
        if not rank:
            misses.append((row["qid"], row["query"], " / ".join(f"{m['spelling']} ({m['articles']})" for m in row["members"])))
        rr += 1 / rank if hit10 else 0
        s = by_type.setdefault(row["query_type"], [0, 0])
        s[0] += hit10
        s[1] += 1
    n = len(rows)
    return {
        "recall@10": found10 / n,
        "recall@100": found100 / n,
        "mrr@10": rr / n,
        "p50_ms": percentile(lat, 50),
        "p95_ms": percentile(lat, 95),
        **{f"recall@10 {k}": v[0] / v[1] for k, v in by_type.items()},
        "misses@100": misses,
    }


def akhbar_search(depth_titles):
    from akhbar.search.engine import search

    def run(query, depth):
        ids = []
        page = 1
        while len(ids) < depth:
            res = search(query, page=page, per_page=min(depth, 100))
            ids += res.ids
            if len(res.ids) < min(depth, 100):
                break
            page += 1
        return [depth_titles(i) for i in ids[:depth]]

    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--sets", default="queries,names")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--size", type=int, default=None, help="index size: drop name targets beyond it (as run_engine.py)")
    args = parser.parse_args()
    setup_django(args.db)
    records = {}
    id_of, titles = {}, {}
    for n, record in read_corpus():
        id_of[record.id] = n
        titles[n] = title_key(record.title)
    run = akhbar_search(lambda i: titles[i % ID_STRIDE])
    report = {}
    if "queries" in args.sets:
        rows = load_jsonl(QUERIES_DEV)[: args.limit]
        report["queries"] = evaluate_queries(run, titles, id_of, rows)
        if not args.show_misses:
            for v in report["queries"].values():
                v["misses"] = len(v["misses"])
    if "names" in args.sets:
        rows = load_jsonl(NAMES_DEV)[: args.limit]
        if args.size:
            rows = [dict(r, target_ids=[t for t in r["target_ids"] if id_of.get(t, args.size + 1) <= args.size]) for r in rows]
            rows = [r for r in rows if r["target_ids"]]
        report["names"] = evaluate_names(run, titles, id_of, rows)
        if not args.show_misses:
            report["names"]["misses@100"] = len(report["names"]["misses@100"])
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
