"""Write articles into the search index (``SearchDocument`` + term statistics).

Everything that changes the index goes through :func:`index_documents` and
:func:`remove_documents`, which keep ``SearchTerm.df`` and ``SearchStats`` in
step with the documents. They run inside the caller's transaction, so an
article and its index entry are committed (or rolled back) together and a
published article is searchable as soon as its transaction commits.

:func:`source_for_page` turns an ``ArticlePage`` into the plain text that is
indexed: headline; kicker + standfirst (the *lead*); body paragraphs,
crossheads, quotes, figure captions, dateline and byline credit (the *body*).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F

from akhbar.news.bulk import insert_rows

from . import opensearch
from .analysis import Analysed, analyze, is_arabic, name_key, surface_form
from .models import SearchDocument, SearchStats, SearchTerm

KEY_PREFIX = "~"
#: Name keys shorter than this are not indexed (too short to be a name's skeleton).
MIN_INDEXED_KEY = 2
_TAG = re.compile(r"<[^>]+>")


@dataclass
class SourceDocument:
    """The text of one article to index. ``lead`` = kicker and standfirst; ``body`` = plain text."""

    article_id: int
    title: str
    lead: str = ""
    body: str = ""
    section_id: int | None = None
    published_at: datetime | None = None


def html_to_text(value: str) -> str:
    """Rich text HTML → plain text (block tags become line breaks)."""
    value = re.sub(r"</(p|h[1-6]|li|blockquote|div)>|<br\s*/?>", "\n", str(value))
    return html.unescape(_TAG.sub("", value))


def body_text(page) -> str:
    """Plain text of an ArticlePage's body blocks (paragraphs, crossheads, quotes, captions)."""
    parts: list[str] = []
    for block in page.body:
        kind, value = block.block_type, block.value
        if kind == "paragraph":
            parts.append(html_to_text(value.source if hasattr(value, "source") else value))
        elif kind == "crosshead":
            parts.append(str(value))
        elif kind == "quote":
            parts.extend([str(value.get("text", "")), str(value.get("attribution", ""))])
        elif kind == "figure":
            parts.append(str(value.get("caption", "")))
    return "\n".join(p for p in parts if p)


def source_for_page(page) -> SourceDocument:
    """The indexable text of an ``ArticlePage`` (any field may be empty)."""
    body = body_text(page)
    tail = " ".join(x for x in (page.dateline, page.byline) if x)
    return SourceDocument(
        article_id=page.pk,
        title=page.title,
        lead=" ".join(x for x in (page.kicker, page.standfirst) if x),
        body=f"{body}\n{tail}" if tail else body,
        section_id=page.section_id,
        published_at=page.published_at or page.first_published_at,
    )


def aligned_keys(part: Analysed) -> list[str]:
    """One key per term: the name key, or the term itself when the word has no key of
    ``MIN_INDEXED_KEY`` letters (a term containing ا/و/ي, a Latin word or a number never
    equals a real key, so nothing is conflated). Position *i* is the key of term *i*."""
    return [k if len(k) >= MIN_INDEXED_KEY else t for t, k in zip(part.terms, part.keys)]


def analyse_document(src: SourceDocument) -> tuple[SearchDocument, dict[str, str], tuple[int, int, int]]:
    """Return the index row, its distinct terms (term → the original word it came from)
    and the token count of headline, lead and body."""
    title, lead, body = analyze(src.title), analyze(src.lead), analyze(src.body)
    keys = [aligned_keys(part) for part in (title, lead, body)]
    terms: dict[str, str] = {}
    # later fields first so that the headline's spelling wins in setdefault-free dict updates
    for part, part_keys in ((body, keys[2]), (lead, keys[1]), (title, keys[0])):
        terms.update(zip(part.terms, part.surfaces))
        terms.update(zip([KEY_PREFIX + k for k in part_keys], part.surfaces))
    doc = SearchDocument(
        article_id=src.article_id,
        section_id=src.section_id,
        published_at=src.published_at,
        title=" ".join(title.terms),
        lead=" ".join(lead.terms),
        body=" ".join(body.terms),
        head_keys=" ".join(keys[0]) + " | " + " ".join(keys[1]),
        body_keys=" ".join(keys[2]),
        title_length=len(title.terms),
        lead_length=len(lead.terms),
        body_length=len(body.terms),
    )
    return doc, terms, (doc.title_length, doc.lead_length, doc.body_length)


def _doc_terms(doc: SearchDocument) -> set[str]:
    terms = set(doc.title.split()) | set(doc.lead.split()) | set(doc.body.split())
    terms.update(KEY_PREFIX + k for k in doc.head_keys.split() if k != "|")
    terms.update(KEY_PREFIX + k for k in doc.body_keys.split())
    return terms


def _lengths(doc: SearchDocument) -> tuple[int, int, int]:
    """Term counts of headline, lead and body: as stored, or counted for a row stored without them."""
    stored = (doc.title_length, doc.lead_length, doc.body_length)
    if None not in stored:
        return stored
    return len(doc.title.split()), len(doc.lead.split()), len(doc.body.split())


def term_key(term: str) -> str:
    """``SearchTerm.key`` of an indexed term: the name key of an Arabic stem, else ''."""
    if term.startswith(KEY_PREFIX) or not is_arabic(term):
        return ""
    return name_key(term)[:64]


def _apply_terms(delta: Counter, words: dict[str, str]) -> None:
    """Add ``delta`` (term → ±count) to ``SearchTerm.df`` in one statement per 5,000 terms;
    ``words`` gives the original word of a term (its ``surface`` when the row is new).

    Rows are written in term order (neighbouring B-tree pages, fewer page switches)."""
    items = [(t[:64], n, surface_form(words.get(t, ""))[:64], term_key(t)) for t, n in sorted(delta.items()) if n]
    if not items:
        return
    table = SearchTerm._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(items), 5000):
            chunk = items[start : start + 5000]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {table} (term, df, surface, key) "
                    "SELECT * FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[]) "
                    f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + EXCLUDED.df",
                    [[c[0] for c in chunk], [c[1] for c in chunk], [c[2] for c in chunk], [c[3] for c in chunk]],
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {table} (term, df, surface, key) VALUES (%s, %s, %s, %s) "
                    f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df",
                    chunk,
                )


def _apply_stats(documents: int, lengths: Sequence[int]) -> None:
    updated = SearchStats.objects.filter(pk=1).update(
        documents=F("documents") + documents,
        title_tokens=F("title_tokens") + lengths[0],
        lead_tokens=F("lead_tokens") + lengths[1],
        body_tokens=F("body_tokens") + lengths[2],
    )
    if not updated:
        SearchStats.objects.create(
            pk=1, documents=documents, title_tokens=lengths[0], lead_tokens=lengths[1], body_tokens=lengths[2]
        )


@dataclass
class AnalysedBatch:
    """The analysed form of a batch of articles, ready to be written (``write_batch``).

    ``rows``: unsaved ``SearchDocument`` rows; ``delta``: term → number of
    documents of the batch that have it; ``words``: term → a spelling of it;
    ``totals``: token counts of headlines, leads and bodies.
    """

    rows: list = field(default_factory=list)
    delta: Counter = field(default_factory=Counter)
    words: dict = field(default_factory=dict)
    totals: list = field(default_factory=lambda: [0, 0, 0])


def analyse_batch(sources: Iterable[SourceDocument]) -> AnalysedBatch:
    """Analyse ``sources`` (pure Python, no database access: safe in another thread)."""
    batch = AnalysedBatch()
    for src in sources:
        doc, terms, lengths = analyse_document(src)
        batch.rows.append(doc)
        batch.delta.update(terms.keys())
        batch.words.update(terms)  # a spelling of each term (any one will do); cleaned only for rows written
        batch.totals = [a + b for a, b in zip(batch.totals, lengths)]
    return batch


@transaction.atomic
def write_batch(batch: AnalysedBatch) -> int:
    """Insert or replace the index rows of an analysed batch in one transaction; returns how many."""
    rows, delta, totals = batch.rows, batch.delta, list(batch.totals)
    if not rows:
        return 0
    ids = [row.article_id for row in rows]
    old = list(SearchDocument.objects.filter(article_id__in=ids))
    for doc in old:
        delta.subtract(_doc_terms(doc))
        totals = [a - b for a, b in zip(totals, _lengths(doc))]
    if old:
        SearchDocument.objects.filter(article_id__in=[d.article_id for d in old]).delete()
    insert_rows(SearchDocument, rows)  # a lean multi-row INSERT (same rows as bulk_create)
    _apply_terms(delta, batch.words)
    _apply_stats(len(rows) - len(old), totals)
    opensearch.mirror_index(rows)
    return len(rows)


def index_documents(sources: Iterable[SourceDocument]) -> int:
    """Insert or replace the index rows of ``sources``; returns how many were written.

    Pass batches of a few hundred: memory is proportional to the batch. One
    transaction (joins the caller's when there is one).
    """
    return write_batch(analyse_batch(sources))


def index_batches(batches: Iterable[list[SourceDocument]]) -> Iterator[int]:
    """Index many batches, analysing batch N+1 while batch N is written; yields each batch's count.

    The analysis is pure Python and runs in one worker thread; the writes stay
    in the calling thread (its database connection, one transaction per batch).
    They overlap because the database drivers release the GIL while the server
    (PostgreSQL) or the SQLite library works. Batches are produced lazily by
    the caller's iterable (in the calling thread, so it may query the
    database); at most two analysed batches are held in memory. An exception
    in either stage stops the run and is raised here; batches written before
    it stay written (each is its own transaction).
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="search-analysis") as pool:
        pending = None
        for sources in batches:
            future = pool.submit(analyse_batch, list(sources))
            if pending is not None:
                yield write_batch(pending.result())
            pending = future
        if pending is not None:
            yield write_batch(pending.result())


@transaction.atomic
def remove_documents(article_ids: Iterable[int]) -> int:
    """Remove articles from the index (unknown ids are ignored); returns how many were removed."""
    ids = list(article_ids)
    old = list(SearchDocument.objects.filter(article_id__in=ids))
    if not old:
        return 0
    delta: Counter = Counter()
    totals = [0, 0, 0]
    for doc in old:
        delta.subtract(_doc_terms(doc))
        totals = [a - b for a, b in zip(totals, _lengths(doc))]
    SearchDocument.objects.filter(article_id__in=[d.article_id for d in old]).delete()
    _apply_terms(delta, {})
    _apply_stats(-len(old), totals)
    opensearch.mirror_remove([d.article_id for d in old])
    return len(old)


@transaction.atomic
def clear_index() -> None:
    """Empty every search table (used by ``akhbar reindex``)."""
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()
    SearchStats.objects.all().delete()
    if opensearch.configured():
        try:
            opensearch.ensure_index(recreate=True)
        except OSError:
            opensearch.logger.exception("could not recreate the OpenSearch index")


def optimize_index() -> None:
    """Tidy the index after a bulk (re)index: on PostgreSQL, ``VACUUM ANALYZE`` the search
    tables (flushes the GIN pending lists of ``search_match``, which every query would otherwise
    scan, and refreshes the planner's statistics; only ``ANALYZE`` inside a transaction);
    on SQLite, ``PRAGMA optimize``. Autovacuum does the same eventually."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for table in ("search_match", "search_document", "search_term"):
                cursor.execute(f"{command} {table}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")
