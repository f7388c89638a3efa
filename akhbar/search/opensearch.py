"""Optional OpenSearch backend: the same analysed terms, matched by an OpenSearch index.

Enabled by ``AKHBAR_OPENSEARCH_URL`` (e.g. ``http://127.0.0.1:9200``; index
name ``AKHBAR_OPENSEARCH_INDEX``, default ``akhbar-articles``). OpenSearch then
finds the candidates (what FTS5 or the GIN index do otherwise) and the rows
are still ranked by :mod:`akhbar.search.ranking` from ``search_document``, so
results are the same as on SQLite and PostgreSQL.

OpenSearch does **not** analyse the text again: akhbar sends the fields
already analysed by :mod:`akhbar.search.analysis` and the index uses a
whitespace tokenizer (:data:`INDEX_SETTINGS`). Lucene's ``arabic`` analyzer,
what a stock Wagtail/Elasticsearch set-up would use, was measured below
akhbar's analyser on the benchmark (see ``docs/search.md``). Wagtail's own
search backend (``WAGTAILSEARCH_BACKENDS``) is unchanged and still serves the
admin for images, documents and snippets.

The client is plain HTTP/JSON (standard library): no extra dependency.
Indexing errors are logged, not raised, so an OpenSearch outage never stops
publishing; ``akhbar reindex`` repairs the index afterwards.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, time as dtime, timedelta

from django.conf import settings
from django.utils import timezone

from . import query as q

logger = logging.getLogger(__name__)

TIMEOUT = 5
_TEXT = {"type": "text", "analyzer": "akhbar_terms", "norms": False}
#: Index settings and mapping (``PUT /<index>``). Fields hold analysed terms separated by spaces.
INDEX_SETTINGS = {
    "settings": {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "analysis": {"analyzer": {"akhbar_terms": {"type": "custom", "tokenizer": "whitespace"}}},
    },
    "mappings": {
        "dynamic": "strict",
        "properties": {
            "article_id": {"type": "long"},
            "section_id": {"type": "long"},
            "published_at": {"type": "date"},
            "title": _TEXT,
            "lead": _TEXT,
            "body": _TEXT,
            "head_keys": _TEXT,
            "body_keys": _TEXT,
        },
    },
}
FIELDS = {
    "text": ["title", "lead", "body"],
    "head": ["title", "lead"],
    "title": ["title"],
    "keys": ["head_keys", "body_keys"],
    "hkeys": ["head_keys"],
}


def configured() -> bool:
    return bool(getattr(settings, "AKHBAR_OPENSEARCH_URL", ""))


def _base() -> str:
    return settings.AKHBAR_OPENSEARCH_URL.rstrip("/") + "/" + settings.AKHBAR_OPENSEARCH_INDEX


def request(method: str, path: str = "", body=None, ndjson: list | None = None):
    """One HTTP call to the index; returns the decoded JSON answer. Raises ``OSError`` on failure."""
    data, headers = None, {}
    if ndjson is not None:
        data = ("\n".join(json.dumps(line, ensure_ascii=False) for line in ndjson) + "\n").encode()
        headers["Content-Type"] = "application/x-ndjson"
    elif body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(_base() + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise OSError(f"OpenSearch {method} {path}: {exc.code} {exc.read()[:300]!r}") from exc


def ensure_index(recreate: bool = False) -> None:
    """Create the index with :data:`INDEX_SETTINGS` (dropping it first when ``recreate``)."""
    if recreate:
        try:
            request("DELETE")
        except OSError:
            pass
    try:
        request("HEAD")
    except OSError:
        request("PUT", body=INDEX_SETTINGS)


def _source(doc) -> dict:
    return {
        "article_id": doc.article_id,
        "section_id": doc.section_id,
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "title": doc.title,
        "lead": doc.lead,
        "body": doc.body,
        "head_keys": doc.head_keys,
        "body_keys": doc.body_keys,
    }


def mirror_index(docs) -> None:
    """Write ``SearchDocument`` rows to OpenSearch (bulk); logs instead of raising."""
    if not configured() or not docs:
        return
    lines = []
    for doc in docs:
        lines += [{"index": {"_id": str(doc.article_id)}}, _source(doc)]
    try:
        ensure_index()
        answer = request("POST", "/_bulk?refresh=true", ndjson=lines)
        if answer.get("errors"):
            logger.error("OpenSearch bulk index reported errors: %s", str(answer)[:500])
    except OSError:
        logger.exception("OpenSearch indexing failed; run `akhbar reindex` when it is back")


def mirror_remove(article_ids) -> None:
    """Delete documents from OpenSearch; logs instead of raising."""
    if not configured():
        return
    lines = [{"delete": {"_id": str(i)}} for i in article_ids]
    if not lines:
        return
    try:
        request("POST", "/_bulk?refresh=true", ndjson=lines)
    except OSError:
        logger.exception("OpenSearch delete failed; run `akhbar reindex` when it is back")


def compile_query(expr) -> dict:
    """Boolean match expression → OpenSearch query DSL (exact terms, no analysis)."""
    if isinstance(expr, q.Term):
        should = [{"term": {f: expr.token}} for f in FIELDS[expr.field]]
        return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(expr, q.Phrase):
        should = [{"match_phrase": {f: " ".join(expr.tokens)}} for f in FIELDS[expr.field]]
        return should[0] if len(should) == 1 else {"bool": {"should": should, "minimum_should_match": 1}}
    parts = [compile_query(p) for p in expr.parts]
    if isinstance(expr, q.All):
        return {"bool": {"filter": parts}}
    return {"bool": {"should": parts, "minimum_should_match": 1}}


class OpenSearchBackend:
    """Candidate matching in OpenSearch with the interface of the database backends."""

    def _query(self, expr, filters) -> dict:
        from akhbar.news.models import ArticleAuthor, ArticleTag

        clauses = [compile_query(expr)]
        if filters.section_id:
            clauses.append({"term": {"section_id": filters.section_id}})
        span = {}
        if filters.date_from:
            span["gte"] = timezone.make_aware(datetime.combine(filters.date_from, dtime.min)).isoformat()
        if filters.date_to:
            span["lt"] = timezone.make_aware(datetime.combine(filters.date_to + timedelta(days=1), dtime.min)).isoformat()
        if span:
            clauses.append({"range": {"published_at": span}})
        if filters.author_id:
            ids = list(ArticleAuthor.objects.filter(author_id=filters.author_id).values_list("page_id", flat=True)[:65000])
            clauses.append({"terms": {"article_id": ids}})
        if filters.tag_id:
            ids = list(ArticleTag.objects.filter(tag_id=filters.tag_id).values_list("content_object_id", flat=True)[:65000])
            clauses.append({"terms": {"article_id": ids}})
        return {"bool": {"filter": clauses}}

    def ids(self, expr, filters, limit: int, offset: int = 0) -> list[int]:
        body = {
            "query": self._query(expr, filters),
            "sort": [{"published_at": {"order": "desc", "missing": "_last"}}, {"article_id": "desc"}],
            "size": limit,
            "from": offset,
            "_source": False,
            "track_total_hits": False,
        }
        answer = request("POST", "/_search", body=body)
        return [int(hit["_id"]) for hit in answer["hits"]["hits"]]

    def count(self, expr, filters, cap: int) -> int:
        body = {"query": self._query(expr, filters), "size": 0, "track_total_hits": cap}
        answer = request("POST", "/_search", body=body)
        return min(int(answer["hits"]["total"]["value"]), cap)
