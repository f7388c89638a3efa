#!/usr/bin/env bash
# Uncached search under load with many different queries: every query (and its spelling variant) of
# the shared development sets, page 1, some page 2 and some JSON API requests, in turn on 32
# connections for MIX_SECONDS (default 120). Reports req/s, latency, non-2xx responses, tracebacks
# in the server log and the workers' memory before and after (the per-process word index of
# snippets grows with the variety of result pages, up to 100,000 words per process).
#   bash bench/http/search_mix.sh [OUT_DIR]      # after prepare.sh; needs ../shared/bench/search
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
MIX_SECONDS="${MIX_SECONDS:-120}"
QUERIES="${QUERIES:-$REPO/../shared/bench/search}"
[ -d "$QUERIES" ] || { echo "skipped: no query sets in $QUERIES (../shared/bench/search)"; exit 0; }
[ "$MIX_SECONDS" -le 1800 ] || { echo "refusing: capped at 30 min" >&2; exit 2; }
OUT="${1:-$(mktemp -d /tmp/akhbar-search-mix.XXXX)}"; mkdir -p "$OUT"
cd "$REPO"
"$PY" - "$QUERIES" > "$OUT/paths.txt" <<'PY'
import json, sys, urllib.parse
from pathlib import Path
for n, line in enumerate(l for f in sorted(Path(sys.argv[1]).glob("*.jsonl")) for l in f.open(encoding="utf-8")):
    row = json.loads(line)
    for q in filter(None, (row.get("query"), row.get("variant_query"))):
        e = urllib.parse.quote(q)
        print(f"/search/?q={e}")
        if n % 3 == 0:
            print(f"/search/?q={e}&page=2")
        if n % 5 == 0:
            print(f"/api/search/?q={e}")
PY
REDIS_URL="$BENCH_REDIS_URL" AKHBAR_EDGE_ENABLED=0 AKHBAR_ALLOWED_HOSTS=127.0.0.1,localhost "$PY" -m akhbar serve \
  --bind "127.0.0.1:$AKHBAR_PORT" --workers "$WORKERS" --threads "$THREADS_PER_WORKER" > "$OUT/akhbar.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$AKHBAR_PORT/" && break; sleep 0.2; done
rss() { ps --ppid "$PID" -o rss= | awk '{s+=$1} END {printf "%.0f", s/1024}'; }
cat > "$OUT/mix.lua" <<'LUA'
paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do table.insert(paths, line) end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
LUA
echo "paths: $(wc -l < "$OUT/paths.txt"); workers' RSS before: $(rss) MiB" | tee "$OUT/summary.txt"
PATHS_FILE="$OUT/paths.txt" wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${MIX_SECONDS}s" --timeout 10s --latency -s "$OUT/mix.lua" \
  "http://127.0.0.1:$AKHBAR_PORT" > "$OUT/wrk.txt" 2>&1 || true
{
  grep -E "Requests/sec| 50%| 99%|requests in|Non-2xx|Socket errors" "$OUT/wrk.txt" || true
  echo "non-2xx: $(grep -oP 'Non-2xx or 3xx responses: \K\d+' "$OUT/wrk.txt" || echo 0)"
  echo "tracebacks in the server log: $(grep -c Traceback "$OUT/akhbar.log" || true)"
  echo "workers' RSS after: $(rss) MiB"
} | tee -a "$OUT/summary.txt"
