"""Turn the JSON results of run_engine.py into the Markdown tables of docs/benchmarks.md.

    python bench/search/report.py OUT_DIR        # one table per collection size
"""

import json
import sys
from pathlib import Path

ORDER = {"akhbar": 0, "akhbar-snowball": 1, "like": 2, "fts5": 3, "pgsimple": 4}
NAMES = {
    "akhbar": "**akhbar**",
    "akhbar-snowball": "akhbar with Snowball Arabic instead of light10",
    "like": "SQL `LIKE` (WordPress)",
    "fts5": "SQLite FTS5 `unicode61` defaults",
    "pgsimple": "PostgreSQL `to_tsvector('simple')`",
}
HEADER = (
    "| engine | database | index s | articles/s (per CPU s) | index MiB | dev R@10 orig / var | dev MRR@10 orig / var "
    "| own R@10 orig / var | own MRR@10 orig / var | names R@10 / R@100 (name-only R@10) | latency p50 / p95 ms | CPU p95 ms |\n"
    "|---|---|---:|---:|---:|---|---|---|---|---|---|---:|"
)


def pair(block, key):
    return f"{block['query'][key]:.3f} / {block['variant_query'][key]:.3f}"


def row(d):
    dev, own, names = d["queries_dev"], d["queries_own"], d["names_dev"]
    blocks = (dev["query"], dev["variant_query"], own["query"], own["variant_query"])
    p50 = max(b["p50_ms"] for b in blocks)
    p95 = max(b["p95_ms"] for b in blocks)
    cpu95 = max(b.get("cpu_p95_ms", 0) for b in blocks)
    limited = f" (first {dev['query']['n']} of each set)" if dev["query"]["n"] < 100 else ""
    return (
        f"| {NAMES.get(d['engine'], d['engine'])}{limited} | {d['backend']} | {d['index_seconds']:.0f} "
        f"| {d['articles_per_second']:.0f} ({d['size'] / d['index_cpu_seconds']:.0f}) | {d['index_bytes'] / 2**20:.0f} "
        f"| {pair(dev, 'recall@10')} | {pair(dev, 'mrr@10')} | {pair(own, 'recall@10')} | {pair(own, 'mrr@10')} "
        f"| {names['recall@10']:.3f} / {names['recall@100']:.3f} ({names['recall@10 name-only']:.3f}) "
        f"| {p50:.1f} / {p95:.1f} | {cpu95:.1f} |"
    )


def main():
    out = Path(sys.argv[1])
    results = [json.loads(p.read_text()) for p in sorted(out.glob("*.json"))]
    for size in sorted({d["size"] for d in results}):
        rows = sorted((d for d in results if d["size"] == size), key=lambda d: (ORDER.get(d["engine"], 9), d["backend"]))
        loads = [d.get(k, 0) for d in rows for k in ("load_average_at_start", "load_average_at_end")]
        print(f"\n### {size:,} articles\n\n{HEADER}")
        for d in rows:
            print(row(d))
        print(f"\nLoad average at the start/end of these runs: {min(loads):.1f}–{max(loads):.1f}.")


if __name__ == "__main__":
    main()
