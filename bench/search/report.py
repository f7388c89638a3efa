"""Turn the JSON results of run_engine.py into the Markdown table of docs/benchmarks.md.

    python bench/search/report.py OUT_DIR
"""

import json
import sys
from pathlib import Path

ORDER = {"akhbar": 0, "akhbar-snowball": 1, "like": 2, "fts5": 3, "pgsimple": 4}
NAMES = {
    "akhbar": "akhbar",
    "akhbar-snowball": "akhbar, Snowball Arabic instead of light10",
    "like": "SQL `LIKE` (WordPress)",
    "fts5": "SQLite FTS5 `unicode61` defaults",
    "pgsimple": "PostgreSQL `to_tsvector('simple')`",
}


def pair(block, key, digits=3):
    return f"{block['query'][key]:.{digits}f} / {block['variant_query'][key]:.{digits}f}"


def row(d):
    dev, own, names = d["queries_dev"], d["queries_own"], d["names_dev"]
    lat = [dev["query"]["p50_ms"], dev["variant_query"]["p50_ms"], own["query"]["p50_ms"], own["variant_query"]["p50_ms"]]
    p95 = max(dev["query"]["p95_ms"], dev["variant_query"]["p95_ms"], own["query"]["p95_ms"], own["variant_query"]["p95_ms"])
    cpu95 = max(b.get("cpu_p95_ms", 0) for b in (dev["query"], dev["variant_query"], own["query"], own["variant_query"]))
    n = f"{dev['query']['n']}/{own['query']['n']}/{names['n']}"
    return (
        f"| {NAMES.get(d['engine'], d['engine'])} | {d['backend']} | {d['size']:,} | {d['index_seconds']:.0f} "
        f"| {d['articles_per_second']:.0f} ({d['size'] / d['index_cpu_seconds']:.0f}) | {d['index_bytes'] / 2**20:.0f} "
        f"| {pair(dev, 'recall@10')} | {pair(dev, 'mrr@10')} | {pair(own, 'recall@10')} | {pair(own, 'mrr@10')} "
        f"| {names['recall@10']:.3f} / {names['recall@100']:.3f} ({names['recall@10 name-only']:.3f}) "
        f"| {max(lat):.1f} / {p95:.1f} | {cpu95:.1f} | {names['p95_ms']:.1f} | {n} |"
    )


def main():
    out = Path(sys.argv[1])
    results = [json.loads(p.read_text()) for p in sorted(out.glob("*.json"))]
    results.sort(key=lambda d: (d["size"], ORDER.get(d["engine"], 9), d["backend"]))
    print(
        "| engine | database | articles | index s | articles/s (per CPU s) | index MiB "
        "| dev R@10 orig / var | dev MRR@10 orig / var | own R@10 orig / var | own MRR@10 orig / var "
        "| names R@10 / R@100 (name-only R@10) | latency p50 / p95 ms | CPU p95 ms | names p95 ms (100 deep) | queries dev/own/names |"
    )
    print("|" + "---|" * 15)
    for d in results:
        print(row(d))
    loads = [d.get("load_average_at_start", 0) for d in results] + [d.get("load_average_at_end", 0) for d in results]
    if loads:
        print(f"\nLoad average during the runs: {min(loads):.1f}–{max(loads):.1f} (2 cores).")


if __name__ == "__main__":
    main()
