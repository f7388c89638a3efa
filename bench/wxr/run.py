"""WordPress import benchmark: generate N-post exports from the corpus and import each into a fresh database.

    python bench/wxr/run.py --posts 5000 20000 [--postgres postgres://postgres@127.0.0.1:5432/akhbar_wxr] [--dry-run]

Each import runs in its own process (``python -m akhbar import-wxr``) on a
freshly migrated database, so its peak memory (``ru_maxrss``) is its own.
Prints one Markdown table row per run: posts, file size, wall time, CPU time
of the importer process, posts/s (wall), peak memory, load average (on PostgreSQL
a comment line after the row gives the search index process's CPU and peak memory). The
PostgreSQL database named in ``--postgres`` is dropped and recreated.
Generated files stay in /tmp.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def run(cmd, env):
    result = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if result.returncode not in (0, 1):
        sys.exit(f"{' '.join(map(str, cmd))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def fresh_postgres(url: str):
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, nargs="+", default=[20000])
    parser.add_argument("--postgres", default=None, help="DATABASE_URL of a database to drop, recreate and use")
    parser.add_argument("--dry-run", action="store_true", help="parse and convert only (memory vs file size)")
    parser.add_argument("--again", action="store_true", help="import the same file a second time (idempotent re-import)")
    args = parser.parse_args()
    print("| posts | file MB | database | mode | wall s | CPU s (importer) | posts/s (wall) | peak MB | load avg (1/5/15 min) |")
    print("|---:|---:|---|---|---:|---:|---:|---:|---|")
    for posts in args.posts:
        xml = Path(f"/tmp/akhbar-bench-{posts}.xml")
        if not xml.exists():
            run([PYTHON, "bench/wxr/make_wxr.py", "--posts", str(posts), "--out", str(xml)], dict(os.environ))
        data_dir = Path(tempfile.mkdtemp(prefix=f"akhbar-wxr-bench-{posts}-"))
        env = dict(os.environ, AKHBAR_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="akhbar.settings.test")
        env.pop("DATABASE_URL", None)
        if args.postgres:
            fresh_postgres(args.postgres)
            env["DATABASE_URL"] = args.postgres
        run([PYTHON, "-m", "akhbar", "migrate", "-v0"], env)
        for attempt in range(2 if args.again else 1):
            report_path = data_dir / f"report-{attempt}.json"
            cmd = [PYTHON, "-m", "akhbar", "import-wxr", str(xml), "--no-progress", "--report-json", str(report_path)]
            if args.dry_run:
                cmd.append("--dry-run")
            result = run(cmd, env)
            if not report_path.exists():
                sys.exit(f"no report:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
            report = json.loads(report_path.read_text())
            posts_done = sum(report["counts"]["post"].get(k, 0) for k in ("imported", "updated", "skipped"))
            load = " ".join(f"{x:.1f}" for x in os.getloadavg())
            mode = "dry run" if args.dry_run else ("re-import (all unchanged)" if attempt else "import")
            print(
                f"| {posts} | {xml.stat().st_size / 1e6:.0f} | {'PostgreSQL' if args.postgres else 'SQLite'} | {mode} "
                f"| {report['seconds']:.0f} | {report['cpu_seconds']:.0f} | {posts_done / report['seconds']:.0f} | {report['peak_memory_mb']:.0f} | {load} |",
                flush=True,
            )
            if report.get("search_process_cpu_seconds"):  # PostgreSQL: the search index process (not in the CPU column)
                print(f"<!-- search index process: {report['search_process_cpu_seconds']:.0f} s CPU, "
                      f"peak {report['search_process_peak_mb']:.0f} MB -->", flush=True)
            if report["totals"]["failed"]:
                print(f"<!-- {report['totals']['failed']} failed items -->", flush=True)


if __name__ == "__main__":
    main()
