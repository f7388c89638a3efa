#!/usr/bin/env bash
# The whole search benchmark, one engine at a time (the machine has 2 shared cores).
#   bash bench/search/run_all.sh [OUT_DIR] [SIZES]
# Needs PostgreSQL at $PG (default postgres://postgres@127.0.0.1:5432) with rights to create databases.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-/tmp/akhbar-search-bench}
SIZES=${2:-"10000 100000"}
PY=${PY:-/work/main/.venv/bin/python}
PG=${PG:-postgres://postgres@127.0.0.1:5432}
mkdir -p "$OUT"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS akhbar_bench" -c "CREATE DATABASE akhbar_bench" >/dev/null
for size in $SIZES; do
  # LIKE scans every article for every query: at 100,000 articles only the first 30 queries of each set
  like_limit=""; [ "$size" -ge 50000 ] && like_limit="--limit 30"
  rm -f "$OUT"/akhbar-$size.sqlite3* "$OUT"/like-$size.sqlite3* "$OUT"/fts5-$size.sqlite3*
  $PY bench/search/run_engine.py --engine akhbar --db "sqlite:///$OUT/akhbar-$size.sqlite3" --size "$size" --out "$OUT/akhbar-sqlite-$size.json" > "$OUT/akhbar-sqlite-$size.log" 2>&1
  rm -f "$OUT"/akhbar-$size.sqlite3*
  $PY bench/search/run_engine.py --engine akhbar --db "$PG/akhbar_bench" --size "$size" --out "$OUT/akhbar-postgresql-$size.json" > "$OUT/akhbar-postgresql-$size.log" 2>&1
  $PY bench/search/run_engine.py --engine fts5 --db "$OUT/fts5-$size.sqlite3" --size "$size" --out "$OUT/fts5-$size.json" > "$OUT/fts5-$size.log" 2>&1
  rm -f "$OUT"/fts5-$size.sqlite3*
  $PY bench/search/run_engine.py --engine pgsimple --db "$PG/akhbar_bench" --size "$size" --out "$OUT/pgsimple-$size.json" > "$OUT/pgsimple-$size.log" 2>&1
  $PY bench/search/run_engine.py --engine like --db "$OUT/like-$size.sqlite3" --size "$size" $like_limit --out "$OUT/like-$size.json" > "$OUT/like-$size.log" 2>&1
  rm -f "$OUT"/like-$size.sqlite3*
done
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS akhbar_bench" >/dev/null
$PY bench/search/report.py "$OUT"
