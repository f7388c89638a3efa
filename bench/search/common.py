"""Shared helpers of the search benchmark: Django set-up, corpus records, query sets, metrics.

The benchmark indexes corpus records straight into akhbar's index tables with
the site's own code (:func:`akhbar.search.indexer.index_documents`, the same
analyser) and queries them with the site's own :func:`akhbar.search.engine.search`.
The text of a record is split into headline / standfirst / body exactly as the
corpus loader does (:func:`akhbar.ingest.corpus.split_standfirst`).
"""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))  # this checkout's akhbar, not an installed one
SHARED = Path(os.environ.get("AKHBAR_SHARED_DIR", REPO.parent / "shared"))
CORPUS_DIR = SHARED / "data" / "arabic-news"
QUERIES_DEV = SHARED / "bench" / "search" / "queries-dev.jsonl"
NAMES_DEV = SHARED / "bench" / "search" / "names-dev.jsonl"
#: Replicas of the corpus get ids ``copy * ID_STRIDE + n`` (n = 1-based line number).
ID_STRIDE = 1_000_000


def setup_django(database_url: str | None = None, migrate: bool = True) -> None:
    """Point akhbar at ``database_url`` and migrate it (creates the index tables).

    Without a URL Django is only configured (enough to read the corpus).
    """
    os.environ["DATABASE_URL"] = database_url or "sqlite:////tmp/akhbar-bench-unused.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akhbar.settings.base")
    os.environ.setdefault("AKHBAR_DATA_DIR", "/tmp/akhbar-bench-data")
    import django

    django.setup()
    if database_url and migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def read_corpus():
    """Yield ``(n, record)`` for every valid corpus line (n = 1-based order)."""
    from akhbar.ingest.corpus import RecordError, iter_lines, parse_line

    n = 0
    for _file, _line, text in iter_lines([CORPUS_DIR]):
        try:
            record = parse_line(text)
        except RecordError:
            continue
        n += 1
        yield n, record


def source_for(record, article_id: int):
    """The :class:`SourceDocument` the site would index for this corpus record."""
    from akhbar.ingest.corpus import split_standfirst
    from akhbar.search.indexer import SourceDocument

    standfirst, paragraphs = split_standfirst(record)
    return SourceDocument(
        article_id=article_id,
        title=record.title,
        lead=standfirst,
        body="\n".join(paragraphs),
        published_at=record.date,
        section_id=None,
    )


def title_key(title: str) -> str:
    """Headline comparison as acceptance does it: NFC, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", title or "").split())


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]
