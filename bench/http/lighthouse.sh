#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, driving Debian's chromium) on an akhbar article page, mobile profile.
#   bash bench/http/lighthouse.sh [OUT_DIR]     # after prepare.sh; starts and stops its own server
# LIGHTHOUSE=path/to/lighthouse if it is not on PATH (npm install -g lighthouse).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
OUT="${1:-$(mktemp -d /tmp/akhbar-lh.XXXX)}"; mkdir -p "$OUT"
LH="${LIGHTHOUSE:-$(command -v lighthouse || echo /tmp/lh/node_modules/.bin/lighthouse)}"
[ -x "$LH" ] || { echo "lighthouse not found: npm install -g lighthouse (or set LIGHTHOUSE=...)" >&2; exit 1; }
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
cd "$REPO"
REDIS_URL="$BENCH_REDIS_URL" AKHBAR_ALLOWED_HOSTS=127.0.0.1,localhost "$PY" -m akhbar serve --bind "127.0.0.1:$AKHBAR_PORT" --workers 2 > "$OUT/akhbar.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$AKHBAR_PORT/" && break; sleep 0.2; done
ART_PATH=$("$PY" -m akhbar shell -c "
from akhbar.news.models import ArticlePage
from django.utils.encoding import iri_to_uri
a = ArticlePage.objects.live().filter(lead_image__isnull=False).order_by('-published_at').first() or ArticlePage.objects.live().first()
print(iri_to_uri(a.url))" 2>/dev/null | tail -1)
URL="http://127.0.0.1:$AKHBAR_PORT$ART_PATH"
curl -s -o /dev/null "$URL"   # warm the page cache
"$LH" "$URL" --quiet --output=json --output=html --output-path="$OUT/article" \
  --only-categories=performance,accessibility,best-practices,seo --form-factor=mobile \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync"
python3 - "$OUT/article.report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["categories"]; a = r["audits"]
print("url:", r["finalDisplayedUrl"])
print("| performance | accessibility | best practices | SEO | LCP | CLS | TBT |")
print("|---:|---:|---:|---:|---:|---:|---:|")
print(f"| {c['performance']['score']*100:.0f} | {c['accessibility']['score']*100:.0f} | {c['best-practices']['score']*100:.0f} | {c['seo']['score']*100:.0f} | "
      f"{a['largest-contentful-paint']['displayValue']} | {a['cumulative-layout-shift']['displayValue']} | {a['total-blocking-time']['displayValue']} |")
for cat in ("accessibility", "best-practices", "seo", "performance"):
    failed = [ref["id"] for ref in c[cat]["auditRefs"] if ref.get("weight") and (a[ref["id"]].get("score") is not None) and a[ref["id"]]["score"] < 1]
    if failed:
        print(f"{cat}: not perfect: {', '.join(failed)}")
PY
echo "report: $OUT/article.report.html"
