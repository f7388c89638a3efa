#!/usr/bin/env bash
# Prepare the akhbar side of the HTTP benchmark: a PostgreSQL database with the demo stories and
# ARTICLES (default 2000) corpus articles, static files collected, image renditions generated.
#   bash bench/http/prepare.sh            (idempotent; DATABASE_URL / AKHBAR_DATA_DIR may be overridden)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/env.sh"
cd "$REPO"
psql "${DATABASE_URL%/*}/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname='${DATABASE_URL##*/}'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE \"${DATABASE_URL##*/}\""
"$PY" -m akhbar migrate --noinput -v0
"$PY" -m akhbar collectstatic --noinput -v0
"$PY" -m akhbar load-demo
"$PY" -m akhbar load-corpus "$CORPUS" --limit "$ARTICLES"
# Planner statistics for the freshly loaded tables: without them (autovacuum is off on the bench
# machine's PostgreSQL) the home page's newest-per-section query runs 4 ms instead of 0.3 ms and the
# article routing query takes 3-7 ms to plan instead of 0.5 ms.
psql "$DATABASE_URL" -qc "VACUUM ANALYZE"
# Renditions are made on first view; make them now so no measured request pays for image encoding.
AKHBAR_EDGE_ENABLED=0 "$PY" -m akhbar shell -c "
from django.test import Client
from akhbar.news.models import ArticlePage, SectionPage
c = Client()
for url in ['/'] + [s.url for s in SectionPage.objects.live()] + [a.url for a in ArticlePage.objects.live().filter(lead_image__isnull=False)]:
    c.get(url)
print('renditions ready')
"
