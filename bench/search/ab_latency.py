"""A/B latency of two checkouts of akhbar's search on the same index, interleaved query by query.

    python bench/search/ab_latency.py --db postgres://postgres@127.0.0.1:5432/srch_bench100k --size 100000 \\
        --repo A=/path/to/old/checkout --repo B=.  [--cold] [--names] [--limit N]

``--repo LABEL=PATH@DATABASE_URL`` gives that worker its own database (e.g. the same index
stored another way); results are compared all the same.

Each ``--repo`` gets its own worker process (its own ``akhbar`` package, same database); the
driver sends every query of the benchmark's sets (as ``run_engine.py`` runs them: dev and own
known-item queries, original and variant, 10 deep) to both workers, alternating which goes
first (ABBA), so machine load hits both alike. Reported per set: wall-clock p50/p95, this
worker's CPU p95, and how many queries returned different ids (0 = same results, same
quality). ``--cold`` empties every ``functools`` cache of ``akhbar.search`` (the per-word
analysis caches) before each query. ``--names`` also compares the name queries (100 deep).
The index must have been built with the benchmark's ids (``run_engine.py`` or ``index_corpus.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def worker(repo: str, db: str) -> None:
    """Answer JSON-line requests on stdin: ``{"q": text, "depth": n, "cold": bool}``."""
    sys.path.insert(0, HERE)
    import common  # noqa: F401  (puts this checkout first; replaced just below)

    sys.path.insert(0, os.path.abspath(repo))
    for name in [m for m in sys.modules if m == "akhbar" or m.startswith("akhbar.")]:
        del sys.modules[name]
    common.setup_django(db, migrate=False)
    import akhbar
    from akhbar.search import engine

    caches = []
    for name, module in list(sys.modules.items()):
        if name.startswith("akhbar.search") and module is not None:
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "") == name:
                    caches.append(value)
    print(json.dumps({"ready": akhbar.__file__}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        if req.get("cold"):
            for cache in caches:
                cache.cache_clear()
        depth = req["depth"]
        per_page = 10 if depth <= 10 else 100
        t, c = time.perf_counter(), time.process_time()
        ids, page = [], 1
        while len(ids) < depth:
            res = engine.search(req["q"], page=page, per_page=per_page)
            ids += res.ids
            if len(res.ids) < per_page:
                break
            page += 1
        ms, cpu = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
        print(json.dumps({"ids": ids[:depth], "ms": ms, "cpu": cpu}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--repo", action="append", required=True, help="LABEL=PATH[@DATABASE_URL], twice")
    parser.add_argument("--cold", action="store_true")
    parser.add_argument("--names", action="store_true")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--own", type=int, default=300)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.db)
        return
    sys.path.insert(0, HERE)
    from common import NAMES_DEV, QUERIES_DEV, load_jsonl, percentile, read_corpus, setup_django
    from queries_own import make_queries

    setup_django()
    id_of = {record.id: n for n, record in read_corpus()}
    size = args.size
    dev = [r for r in load_jsonl(QUERIES_DEV) if id_of.get(r["target_id"], size + 1) <= size][: args.limit]
    own = make_queries(args.own, max_line=size)[: args.limit]
    sets = {
        "dev orig": [(r["query"], 10) for r in dev],
        "dev var": [(r["variant_query"], 10) for r in dev],
        "own orig": [(r["query"], 10) for r in own],
        "own var": [(r["variant_query"], 10) for r in own],
    }
    if args.names:
        sets["names"] = [(r["query"], 100) for r in load_jsonl(NAMES_DEV)[: args.limit]]
    labels, procs = [], []
    for spec in args.repo:
        label, _, path = spec.partition("=")
        path, _, db = path.partition("@")
        proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker", path, "--db", db or args.db, "--size", "0", "--repo", "x"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=os.path.abspath(path),
        )
        print(label, json.loads(proc.stdout.readline())["ready"], file=sys.stderr)
        labels.append(label)
        procs.append(proc)

    def ask(proc, q, depth):
        proc.stdin.write(json.dumps({"q": q, "depth": depth, "cold": args.cold}) + "\n")
        proc.stdin.flush()
        return json.loads(proc.stdout.readline())

    load_start = os.getloadavg()
    report = {"load_start": load_start, "cold": args.cold, "sets": {}}
    n = 0
    for name, queries in sets.items():
        lat = {lb: [] for lb in labels}
        cpu = {lb: [] for lb in labels}
        differ = []
        for q, depth in queries:
            order = list(range(len(procs)))
            if n % 2:
                order.reverse()
            n += 1
            got = {}
            for k in order:
                res = ask(procs[k], q, depth)
                got[labels[k]] = res["ids"]
                lat[labels[k]].append(res["ms"])
                cpu[labels[k]].append(res["cpu"])
            if len({tuple(v) for v in got.values()}) > 1:
                differ.append(q)
        block = {"n": len(queries), "differ": len(differ), "differ_queries": differ[:5]}
        for lb in labels:
            block[lb] = {
                "p50": round(percentile(lat[lb], 50), 1),
                "p95": round(percentile(lat[lb], 95), 1),
                "cpu_p95": round(percentile(cpu[lb], 95), 1),
            }
        report["sets"][name] = block
        print(name, json.dumps(block, ensure_ascii=False), file=sys.stderr, flush=True)
    report["load_end"] = os.getloadavg()
    for lb in labels:
        report[lb + " max p95"] = max(b[lb]["p95"] for k, b in report["sets"].items() if b["n"] and k != "names")
    for proc in procs:
        proc.stdin.close()
        proc.wait()
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
