#!/usr/bin/env bash
# Resilience check with a real PostgreSQL outage (issue 5, item 7), run by hand as root:
# akhbar serve (page cache in Redis) on the bench database; warm some pages; STOP the machine's
# PostgreSQL cluster; request the warm pages (expected: 200 from the cache, fresh or stale) and a
# page never cached (expected: the Arabic 503 with Retry-After, no traceback); start PostgreSQL
# again and check that the same server answers 200 without a restart.
#   bash bench/http/prepare.sh; bash bench/http/resilience.sh [OUT_DIR]
# It stops the PostgreSQL cluster for everyone on this machine for a few seconds; do not run it
# while other jobs use PostgreSQL.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
OUT="${1:-$(mktemp -d /tmp/akhbar-resilience.XXXX)}"; mkdir -p "$OUT"
CLUSTER="${PG_CLUSTER:-$(ls /etc/postgresql | head -1) main}"
cd "$REPO"
redis-cli -u "$BENCH_REDIS_URL" flushdb >/dev/null
REDIS_URL="$BENCH_REDIS_URL" AKHBAR_ALLOWED_HOSTS=127.0.0.1,localhost "$PY" -m akhbar serve \
  --bind "127.0.0.1:$AKHBAR_PORT" --workers 2 > "$OUT/akhbar.log" 2>&1 &
PID=$!
restart_pg() { pg_ctlcluster --skip-systemctl-redirect $CLUSTER start 2>/dev/null || true; }
trap 'restart_pg; kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$AKHBAR_PORT/" && break; sleep 0.2; done
read -r WARM COLD < <("$PY" -m akhbar shell -c "
from akhbar.news.models import ArticlePage
from django.utils.encoding import iri_to_uri
a, b = ArticlePage.objects.live().order_by('-published_at')[:2]
print(iri_to_uri(a.url), iri_to_uri(b.url))" 2>/dev/null | tail -1)
URL="http://127.0.0.1:$AKHBAR_PORT"
show() {  # $1 = label, $2 = path
  local line
  line=$(curl -s -o "$OUT/$1.html" -D "$OUT/$1.headers" -w "%{http_code} %{time_total}s" "$URL$2")
  printf '%-28s %s  X-Cache: %s  Retry-After: %s  %s\n' "$1" "$line" \
    "$(grep -i '^x-cache:' "$OUT/$1.headers" | tr -d '\r' | cut -d' ' -f2)" \
    "$(grep -i '^retry-after:' "$OUT/$1.headers" | tr -d '\r' | cut -d' ' -f2)" \
    "$(grep -o 'غير متاح مؤقتًا' "$OUT/$1.html" | head -1)"
}
{
  echo "date: $(date -u +%FT%TZ), load: $(cut -d' ' -f1-3 /proc/loadavg)"
  for p in / "$WARM"; do curl -s -o /dev/null "$URL$p"; curl -s -o /dev/null "$URL$p"; done   # warm (every worker)
  show "warm home (db up)" /
  show "warm article (db up)" "$WARM"
  pg_ctlcluster --skip-systemctl-redirect $CLUSTER stop -m fast
  echo "-- PostgreSQL stopped ($(pg_isready -h 127.0.0.1 -p 5432 || true))"
  for i in 1 2 3; do show "warm home #$i (db down)" /; show "warm article #$i (db down)" "$WARM"; done
  show "cold article (db down)" "$COLD"
  show "admin login (db down)" /admin/login/
  restart_pg
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  echo "-- PostgreSQL started again ($(pg_isready -h 127.0.0.1 -p 5432))"
  show "cold article (db back)" "$COLD"
  show "cold article again" "$COLD"
  grep -c "database unavailable" "$OUT/akhbar.log" | sed 's/^/log lines "database unavailable": /'  || true
  grep -c "Traceback" "$OUT/akhbar.log" | sed 's/^/tracebacks in the server log: /' || true
} | tee "$OUT/report.txt"
echo "raw output: $OUT"
