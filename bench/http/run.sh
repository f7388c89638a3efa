#!/usr/bin/env bash
# akhbar vs WordPress vs nginx-static, wrk (WRK_THREADS × WRK_CONNS, DURATION s after WARMUP s) on
# loopback: article, home, section and search pages, akhbar with the page cache on (Redis) and off,
# behind Varnish and behind nginx serving the static mirror (`akhbar nginx-config`).
#   bash bench/http/prepare.sh   # once
#   bash bench/http/run.sh [OUT_DIR]
# WordPress (../shared/bench/wordpress, started with its start.sh) is measured in the same run when
# it answers on 127.0.0.1:8080; otherwise its row says "not running". With WordPress running, the
# uncached pages are also measured in paired rounds (PAIRED_ROUNDS x PAIRED_SECONDS, akhbar and
# WordPress alternating): the "paired" table's ratios are the ones to quote on a noisy machine. Every server this script
# starts, it stops (trap). Prints a markdown table; raw wrk output stays in OUT_DIR.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
OUT="${1:-$(mktemp -d /tmp/akhbar-http.XXXX)}"; mkdir -p "$OUT"
[ "$DURATION" -le 60 ] || { echo "refusing: runs are capped at 60 s" >&2; exit 2; }
cd "$REPO"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && wait "$pid" 2>/dev/null || true; done
  [ -f "$OUT/nginx/nginx.pid" ] && kill "$(cat "$OUT/nginx/nginx.pid")" 2>/dev/null || true
  [ -f "$OUT/mirror-nginx/nginx.pid" ] && kill "$(cat "$OUT/mirror-nginx/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

# Wait (up to 15 s) until the machine is idle: both cores >= 85 % idle over half a second. After a
# WordPress round PHP-FPM is still answering the requests wrk left queued (32 connections at ~13
# searches/s: seconds of work), which would otherwise be measured against the next server.
wait_idle() {
  local a b
  for _ in $(seq 1 30); do
    a=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat); sleep 0.5
    b=$(awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[1] - x[1]; exit !(t > 0 && (y[2] - x[2]) / t >= 0.85) }' && return 0
  done
  echo "machine not idle after 15 s" >&2
}

wait_up() { for _ in $(seq 1 100); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done; echo "not answering: $1" >&2; return 1; }

MIRROR_DIR="$OUT/mirror"  # static mirror (AKHBAR_STATIC_MIRROR_DIR) of the "mirror" server, served by nginx
start_akhbar() {  # $1 = cached|uncached|mirror (cached + static mirror on)
  local edge=1 mirror=""; [ "$1" = uncached ] && edge=0; [ "$1" = mirror ] && mirror="$MIRROR_DIR"
  rm -rf "$MIRROR_DIR"; mkdir -p "$MIRROR_DIR"; chmod 755 "$OUT" "$MIRROR_DIR"  # nginx workers read it
  REDIS_URL="$BENCH_REDIS_URL" AKHBAR_EDGE_ENABLED=$edge AKHBAR_STATIC_MIRROR_DIR="$mirror" AKHBAR_ALLOWED_HOSTS=127.0.0.1,localhost \
    "$PY" -m akhbar serve --bind "127.0.0.1:$AKHBAR_PORT" --workers "$WORKERS" --threads "$THREADS_PER_WORKER" \
    > "$OUT/akhbar-$1.log" 2>&1 &
  AKHBAR_PID=$!; PIDS+=("$AKHBAR_PID")
  wait_up "http://127.0.0.1:$AKHBAR_PORT/"
}
stop_akhbar() { kill "$AKHBAR_PID" 2>/dev/null || true; wait "$AKHBAR_PID" 2>/dev/null || true; }

# Pages: the corpus article of median body length, home, the largest section, a search.
read -r ART_PATH SECTION_PATH < <("$PY" -m akhbar shell -c "
from django.db.models import TextField
from django.db.models.functions import Cast, Length
from akhbar.news.models import ArticlePage, SectionPage
from django.utils.encoding import iri_to_uri
qs = ArticlePage.objects.live().filter(external_id__isnull=False).exclude(external_id__startswith='demo').annotate(n=Length(Cast('body', TextField()))).order_by('n', 'pk')
a = qs[qs.count() // 2]
s = max(SectionPage.objects.live(), key=lambda s: ArticlePage.objects.live().filter(section=s).count())
print(iri_to_uri(a.url), iri_to_uri(s.url))
" 2>/dev/null | tail -1)
[ -n "$ART_PATH" ] && [ -n "$SECTION_PATH" ] || { echo "could not pick the article/section (run prepare.sh)" >&2; exit 1; }
SEARCH_PATH="/search/?q=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SEARCH_WORD")"
declare -A PATHS=([article]="$ART_PATH" [home]="/" [section]="$SECTION_PATH" [search]="$SEARCH_PATH")
NAMES=(article home section search)
redis-cli -u "$BENCH_REDIS_URL" flushdb >/dev/null

# WordPress's pages (the same kinds: the article of median length, home, a section, the same search word)
WP=""; declare -A WP_PATHS=()
if curl -sf -o /dev/null --max-time 5 "http://127.0.0.1:8080/"; then
  WP="http://127.0.0.1:8080"
  WP_ART=$(mariadb -N -e "SELECT ID FROM wp_baseline.wp_posts WHERE post_type='post' AND post_status='publish' ORDER BY CHAR_LENGTH(post_content), ID LIMIT 1 OFFSET $(( $(mariadb -N -e "SELECT COUNT(*) FROM wp_baseline.wp_posts WHERE post_type='post' AND post_status='publish'") / 2 ))" 2>/dev/null || true)
  WP_PATHS[article]=$(curl -sf "$WP/wp-json/wp/v2/posts/$WP_ART?_fields=link" | python3 -c 'import json,sys,urllib.parse; print(urllib.parse.urlsplit(json.load(sys.stdin)["link"]).path)' || echo "/")
  WP_PATHS[home]="/"
  WP_PATHS[section]="/category/middle-east/"
  WP_PATHS[search]="/?s=$(python3 -c 'import sys,urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$SEARCH_WORD")"
fi

{
  echo "date: $(date -u +%FT%TZ)"; echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "akhbar: gunicorn $WORKERS workers × $THREADS_PER_WORKER threads, PostgreSQL, Redis page cache; $ARTICLES corpus articles"
  echo "wrk: $WRK_THREADS threads, $WRK_CONNS connections, ${WARMUP}s warm-up + ${DURATION}s measured, no Accept-Encoding (identity, as WordPress's bench.sh)"
  for n in "${NAMES[@]}"; do echo "$n: ${PATHS[$n]}"; done
} > "$OUT/facts.txt"

bench() {  # $1 = label, $2 = url
  local code; code=$(curl -s -o "$OUT/$1.html" -w "%{http_code}" "$2")
  echo "$1: HTTP $code $2" >> "$OUT/facts.txt"
  if [ "$code" != 200 ]; then echo "skipped (HTTP $code)" > "$OUT/$1.wrk.txt"; return; fi
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" "$2" > /dev/null 2>&1 || true
  wait_idle
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${DURATION}s" --timeout 10s --latency "$2" > "$OUT/$1.wrk.txt" 2>&1 || true
}

bench1() {  # $1 = label, $2 = url: one connection, one thread
  wrk -t1 -c1 -d2s "$2" > /dev/null 2>&1 || true
  wait_idle
  wrk -t1 -c1 -d"${DURATION}s" --timeout 10s --latency "$2" > "$OUT/$1.wrk.txt" 2>&1 || true
}

for mode in ${MODES:-cached uncached}; do  # MODES=uncached: only the uncached rows (and nginx, WordPress)
  start_akhbar "$mode"
  for n in "${NAMES[@]}"; do bench "akhbar-$mode-$n" "http://127.0.0.1:$AKHBAR_PORT${PATHS[$n]}"; done
  if [ "$mode" = uncached ] && [ -n "$WP" ] && [ "$PAIRED_ROUNDS" -gt 0 ]; then
    # Paired rounds: akhbar (cache off) and WordPress measured in alternation, PAIRED_ROUNDS rounds of
    # PAIRED_SECONDS each per page, the order swapped every round (ABBA), so that both servers see the
    # same machine: on a shared machine whose speed drifts by up to 2x within a minute, the ratio of
    # two 15-second runs minutes apart measures the drift as much as the servers.
    for n in "${NAMES[@]}"; do
      for r in $(seq 1 "$PAIRED_ROUNDS"); do
        if [ $((r % 2)) = 1 ]; then order="akhbar wordpress"; else order="wordpress akhbar"; fi
        for server in $order; do
          if [ "$server" = akhbar ]; then url="http://127.0.0.1:$AKHBAR_PORT${PATHS[$n]}"; else url="$WP${WP_PATHS[$n]}"; fi
          if [ "$r" = 1 ]; then wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" "$url" > /dev/null 2>&1 || true; fi
          wait_idle
          wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${PAIRED_SECONDS}s" --timeout 10s --latency "$url" > "$OUT/paired-$server-$n.$r.wrk.txt" 2>&1 || true
        done
      done
    done
  fi
  if [ "$mode" = uncached ]; then
    # One connection: the time one reader waits for a page rendered from the database (no queueing
    # behind 31 other connections), i.e. the "p50 <= 15 ms" of issue 5.
    for n in "${NAMES[@]}"; do bench1 "akhbar-uncached1-$n" "http://127.0.0.1:$AKHBAR_PORT${PATHS[$n]}"; done
  fi
  if [ "$mode" = cached ] && command -v varnishd >/dev/null && [ "${VARNISH:-1}" = 1 ]; then
    # akhbar behind Varnish (deploy/varnish/akhbar.vcl), as in production: the proxy answers hits.
    mkdir -p "$OUT/varnish"; chmod 755 "$OUT" "$OUT/varnish"
    sed -e "s/.port = \"8000\";/.port = \"$AKHBAR_PORT\";/" deploy/varnish/akhbar.vcl > "$OUT/varnish/akhbar.vcl"
    chmod 644 "$OUT/varnish/akhbar.vcl"
    varnishd -F -a "127.0.0.1:$VARNISH_PORT" -f "$OUT/varnish/akhbar.vcl" -n "$OUT/varnish/n" -s malloc,256m > "$OUT/varnish/log" 2>&1 &
    PIDS+=("$!"); VPID=$!
    wait_up "http://127.0.0.1:$VARNISH_PORT/"
    for n in article home section; do bench "varnish-cached-$n" "http://127.0.0.1:$VARNISH_PORT${PATHS[$n]}"; done
    kill "$VPID"; wait "$VPID" 2>/dev/null || true
  fi
  if [ "$mode" = cached ] && command -v nginx >/dev/null && [ "${MIRROR:-1}" = 1 ]; then
    # akhbar behind nginx with the static mirror (`akhbar nginx-config`): nginx answers cached pages
    # from the files akhbar wrote; the first request of each page (curl) goes to akhbar, a page-cache
    # hit there writes the file. akhbar restarted with the mirror on (the rows above ran without it).
    stop_akhbar; start_akhbar mirror
    mkdir -p "$OUT/mirror-nginx"
    AKHBAR_STATIC_MIRROR_DIR="$MIRROR_DIR" "$PY" -m akhbar nginx-config --upstream "127.0.0.1:$AKHBAR_PORT" \
      --listen "127.0.0.1:$MIRROR_PORT" --standalone "$OUT/mirror-nginx" > "$OUT/mirror-nginx/nginx.conf"
    nginx -c "$OUT/mirror-nginx/nginx.conf"
    wait_up "http://127.0.0.1:$MIRROR_PORT/"
    for n in article home section; do
      curl -s -o /dev/null "http://127.0.0.1:$MIRROR_PORT${PATHS[$n]}"
      echo "mirror-cached-$n: $(curl -s -D - -o /dev/null "http://127.0.0.1:$MIRROR_PORT${PATHS[$n]}" | tr -d '\r' | grep -i '^x-akhbar-mirror:' || echo 'NOT served from the mirror')" >> "$OUT/facts.txt"
      bench "mirror-cached-$n" "http://127.0.0.1:$MIRROR_PORT${PATHS[$n]}"
    done
    kill "$(cat "$OUT/mirror-nginx/nginx.pid")"; rm -f "$OUT/mirror-nginx/nginx.pid"
  fi
  stop_akhbar
done

# nginx serving the same article HTML as a static file: the physical limit.
mkdir -p "$OUT/nginx/www" "$OUT/nginx/tmp"
cp "$OUT/akhbar-cached-article.html" "$OUT/nginx/www/article.html" 2>/dev/null || cp "$OUT/akhbar-uncached-article.html" "$OUT/nginx/www/article.html"
cat > "$OUT/nginx/nginx.conf" <<NGX
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/tmp; proxy_temp_path $OUT/nginx/tmp; fastcgi_temp_path $OUT/nginx/tmp;
  uwsgi_temp_path $OUT/nginx/tmp; scgi_temp_path $OUT/nginx/tmp;
  types { text/html html; }
  server { listen 127.0.0.1:$NGINX_PORT; root $OUT/nginx/www; }
}
NGX
nginx -c "$OUT/nginx/nginx.conf"
wait_up "http://127.0.0.1:$NGINX_PORT/article.html"
bench nginx-static-article "http://127.0.0.1:$NGINX_PORT/article.html"
kill "$(cat "$OUT/nginx/nginx.pid")"; rm -f "$OUT/nginx/nginx.pid"

# WordPress, if its stack is running (start it with ../shared/bench/wordpress/start.sh).
if [ -n "$WP" ]; then
  for n in "${NAMES[@]}"; do bench "wordpress-$n" "$WP${WP_PATHS[$n]}"; done
  bench1 wordpress1-article "$WP${WP_PATHS[article]}"
else
  echo "wordpress: not running on 127.0.0.1:8080 (see ../shared/bench/wordpress/README.md)" >> "$OUT/facts.txt"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/facts.txt"
"$PY" "$HERE/summarize.py" "$OUT"
