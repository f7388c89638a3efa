#!/usr/bin/env bash
# Soak: akhbar (page cache on) under steady load for SOAK_SECONDS (default 600) on a mix of
# article, home and section pages, sampling the gunicorn workers' memory every 10 s.
# Load level: SOAK_LOAD (default 0.8) of the peak. The peak is measured first on the same mix
# (32 connections, 15 s); wrk then paces SOAK_CONNS connections with a per-request delay (wrk's
# Lua delay()) found by bisection on six 6-second steps to land on SOAK_LOAD x peak requests/s.
#   bash bench/http/soak.sh [OUT_DIR]      # after prepare.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
SOAK_SECONDS="${SOAK_SECONDS:-600}"; SOAK_CONNS="${SOAK_CONNS:-64}"; SOAK_LOAD="${SOAK_LOAD:-0.8}"
[ "$SOAK_SECONDS" -le 1800 ] || { echo "refusing: soak capped at 30 min" >&2; exit 2; }
OUT="${1:-$(mktemp -d /tmp/akhbar-soak.XXXX)}"; mkdir -p "$OUT"
cd "$REPO"
REDIS_URL="$BENCH_REDIS_URL" AKHBAR_ALLOWED_HOSTS=127.0.0.1,localhost "$PY" -m akhbar serve --bind "127.0.0.1:$AKHBAR_PORT" \
  --workers "$WORKERS" --threads "$THREADS_PER_WORKER" > "$OUT/akhbar.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$AKHBAR_PORT/" && break; sleep 0.2; done
PATHS=$("$PY" -m akhbar shell -c "
from akhbar.news.models import ArticlePage, SectionPage
from django.utils.encoding import iri_to_uri
urls = ['/'] + [iri_to_uri(s.url) for s in SectionPage.objects.live()] + [iri_to_uri(a.url) for a in ArticlePage.objects.live().order_by('-published_at')[:200]]
print(' '.join(urls))" 2>/dev/null | tail -1)
cat > "$OUT/mix.lua" <<LUA
paths = {}
for p in string.gmatch("$PATHS", "%S+") do table.insert(paths, p) end
counter = 0
pace = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function delay()
  return pace
end
LUA
for p in $PATHS; do curl -s -o /dev/null "http://127.0.0.1:$AKHBAR_PORT$p"; done   # warm
rps_of() { awk '/Requests\/sec/{print $2}' "$1"; }
URL="http://127.0.0.1:$AKHBAR_PORT"
SOAK_DELAY_MS=0 wrk -t2 -c32 -d15s -s "$OUT/mix.lua" "$URL" > "$OUT/peak.txt" 2>&1
PEAK=$(rps_of "$OUT/peak.txt"); TARGET=$(python3 -c "print(round($PEAK * $SOAK_LOAD))")
# The rate falls as the per-request delay (whole ms) grows, but not linearly near saturation:
# bisect the delay on 6-second measurements (six steps) and keep the one closest to the target.
LO=0; HI=$(python3 -c "print(int(2 * $SOAK_CONNS * 1000 / $TARGET) + 1)")
BEST_DELAY=0; BEST_ERR=999999
for step in 1 2 3 4 5 6; do
  MID=$(( (LO + HI) / 2 ))
  SOAK_DELAY_MS=$MID wrk -t2 -c"$SOAK_CONNS" -d6s -s "$OUT/mix.lua" "$URL" > "$OUT/calibrate-$step.txt" 2>&1
  GOT=$(rps_of "$OUT/calibrate-$step.txt")
  echo "calibration $step: delay $MID ms -> $GOT req/s" >> "$OUT/pace.txt"
  read -r BEST_DELAY BEST_ERR < <(python3 -c "
got, t, mid, bd, be = $GOT, $TARGET, $MID, $BEST_DELAY, $BEST_ERR
err = abs(got - t)
print(mid, err) if err < be else print(bd, be)")
  if python3 -c "import sys; sys.exit(0 if $GOT > $TARGET else 1)"; then LO=$MID; else HI=$MID; fi
done
DELAY=$BEST_DELAY
echo "peak $PEAK req/s (32 connections); target $TARGET req/s = $SOAK_LOAD x peak; $SOAK_CONNS connections, delay $DELAY ms" | tee -a "$OUT/pace.txt"
( end=$((SECONDS + SOAK_SECONDS)); while [ $SECONDS -lt $end ]; do
    rss=$(for w in $(pgrep -P "$PID"); do awk '/VmRSS/{print $2}' /proc/$w/status; done | awk '{s+=$1} END{print s+0}')
    echo "$SECONDS $rss" >> "$OUT/rss.txt"; sleep 10; done ) &
SAMPLER=$!
SOAK_DELAY_MS=$DELAY wrk -t2 -c"$SOAK_CONNS" -d"${SOAK_SECONDS}s" --timeout 10s --latency -s "$OUT/mix.lua" "$URL" > "$OUT/wrk.txt" 2>&1
kill $SAMPLER 2>/dev/null || true
grep -E "Requests/sec|requests in|Non-2xx|Socket errors|50%|99%" "$OUT/wrk.txt" || true
python3 - "$OUT/rss.txt" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
if len(rows) >= 4:
    q = len(rows) // 4
    first = sum(r[1] for r in rows[:q]) / q; last = sum(r[1] for r in rows[-q:]) / q
    print(f"workers' RSS: first quarter {first/1024:.0f} MiB, last quarter {last/1024:.0f} MiB ({100*(last-first)/first:+.1f} %), samples {len(rows)}")
PY
echo "raw output: $OUT"
