"""Run a search: the database finds candidates, :mod:`akhbar.search.ranking` orders them.

Both backends compile the same boolean expression (:mod:`akhbar.search.query`)
and fetch candidates in the same three tiers, so they return the same
documents in the same order:

1. ``all``: documents matching every query word (by stem, or by name key /
   joined / split name) and every quoted phrase, newest ``CANDIDATES`` of them;
2. ``title`` and ``head``: when tier 1 was cut, documents with every query
   word in the headline, and in the headline or lead (any age), up to
   ``CANDIDATES`` each;
3. ``variants``: when a word's name key is unusable or crowded, every word with its
   similar indexed spellings (:func:`expand_variants`), up to ``CANDIDATES``;
4. ``relaxed``: only when tier 1 has fewer than ``MIN_STRICT`` documents:
   all words but one, or for one- and two-word queries any word in the
   headline or lead.

The union is ranked; for relevance order a page beyond the ranked window
continues with tier 1 newest first. ``count`` is tier 1's size (or, when
tier 1 is too small, the union's), capped at ``COUNT_CAP``.
"""

from __future__ import annotations

import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta

from django.db import connections, transaction
from django.utils import timezone

from . import query as q
from .analysis import MIN_KEY_LENGTH, is_arabic, sound_fold
from .models import SearchStats, SearchTerm
from .ranking import Collection, Row, rank, variant_similarity

CANDIDATES = 200
MIN_STRICT = 10
COUNT_CAP = 10_000
#: A name key whose documents exceed this share of the collection is a common root, not a name: not used.
KEY_MAX_SHARE = 0.25
SPLIT_MAX_SHARE = 0.2
SHORT_KEY_MAX_SHARE = 0.02
SORTS = ("relevance", "newest")
#: Vocabulary expansion (``expand_variants``): indexed spellings at least this similar to a query word
#: (:func:`~akhbar.search.ranking.variant_similarity`) ...
EXPAND_SIMILARITY = 0.7
#: ... for a word in at most this share of the archive (a name, not a common word; the spellings may be
#: in up to ``KEY_MAX_SHARE``), starting with the same letter (transliteration folded) ...
EXPAND_MAX_SHARE = 0.05
#: ... replace its name key when the key cannot be used (too common) or is crowded: it matches this many
#: times more documents than the similar spellings do (mostly another word's skeleton: سيلتا / السلطة).
KEY_CROWD_FACTOR = 4
MAX_VARIANTS = 8


@dataclass
class Filters:
    """Optional restrictions; dates are inclusive calendar days in the site's time zone."""

    section_id: int | None = None
    author_id: int | None = None
    tag_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def sql(self, alias: str) -> tuple[str, list]:
        from akhbar.news.models import ArticleAuthor, ArticleTag

        clauses, params = [], []
        if self.section_id:
            clauses.append(f"{alias}.section_id = %s")
            params.append(self.section_id)
        if self.date_from:
            clauses.append(f"{alias}.published_at >= %s")
            params.append(timezone.make_aware(datetime.combine(self.date_from, dtime.min)))
        if self.date_to:
            clauses.append(f"{alias}.published_at < %s")
            params.append(timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), dtime.min)))
        if self.author_id:
            clauses.append(f"{alias}.article_id IN (SELECT page_id FROM {ArticleAuthor._meta.db_table} WHERE author_id = %s)")
            params.append(self.author_id)
        if self.tag_id:
            clauses.append(f"{alias}.article_id IN (SELECT content_object_id FROM {ArticleTag._meta.db_table} WHERE tag_id = %s)")
            params.append(self.tag_id)
        return "".join(" AND " + c for c in clauses), params


@dataclass
class SearchResults:
    """One page of results: ``ids`` (article ids, best first), ``count`` (capped at ``COUNT_CAP``),
    ``scores`` (relevance of each id, ``None`` for newest-first), the parsed ``plan``, ``timings`` in ms."""

    ids: list[int]
    count: int
    plan: q.Plan
    page: int = 1
    per_page: int = 10
    scores: list[float | None] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))


# --- backends -----------------------------------------------------------------------


class _IdsAndCount:
    """``ids`` and ``count`` shared by the backends; each supplies ``_base(expr, filters)``
    (the ``FROM ... WHERE`` clause and its parameters) and ``NEWEST_FIRST`` (its ORDER BY)."""

    NEWEST_FIRST = "d.published_at DESC, d.article_id DESC"

    def ids(self, expr, filters: Filters, limit: int, offset: int = 0) -> list[int]:
        """Matching article ids, newest first; ``limit``/``offset`` page through them."""
        base, params = self._base(expr, filters)
        sql = f"SELECT d.article_id {base} ORDER BY {self.NEWEST_FIRST} LIMIT %s OFFSET %s"
        with self.connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            return [r[0] for r in cursor.fetchall()]

    def count(self, expr, filters: Filters, cap: int) -> int:
        """Number of matches, counted up to ``cap`` (a bounded scan)."""
        base, params = self._base(expr, filters)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 {base} LIMIT %s) AS c", [*params, cap])
            return cursor.fetchone()[0]


class SQLiteBackend(_IdsAndCount):
    """FTS5 over ``search_fts`` (see migration 0002)."""

    def session(self):
        """Nothing to set up for SQLite."""
        return nullcontext()

    COLUMNS = {
        "text": "{title lead body}",
        "head": "{title lead}",
        "title": "{title}",
        "keys": "{head_keys body_keys}",
        "hkeys": "{head_keys}",
    }

    def __init__(self, connection):
        self.connection = connection

    def compile(self, expr) -> str:
        if isinstance(expr, q.Term):
            return f'{self.COLUMNS[expr.field]} : "{expr.token}"'
        if isinstance(expr, q.Phrase):
            return f'{self.COLUMNS[expr.field]} : "{" ".join(expr.tokens)}"'
        joiner = " AND " if isinstance(expr, q.All) else " OR "
        return "(" + joiner.join(self.compile(p) for p in expr.parts) + ")"

    def _base(self, expr, filters: Filters) -> tuple[str, list]:
        where, params = filters.sql("d")
        sql = (
            "FROM search_fts JOIN search_document d ON d.article_id = search_fts.rowid "
            f"WHERE search_fts MATCH %s{where}"
        )
        return sql, [self.compile(expr), *params]


class PostgresBackend(_IdsAndCount):
    """GIN-indexed ``tsvector`` columns ``tsv`` and ``tsh`` of the narrow table
    ``search_match`` (see migrations 0002 and 0003).

    A whole expression becomes one ``tsquery`` on one column, so one GIN scan answers it
    (no re-check of the stored vectors unless a quoted phrase or the headline-only tier
    needs positions or weights). Name keys are indexed with a ``k`` prefix.
    """

    NEWEST_FIRST = "d.published_at DESC NULLS LAST, d.article_id DESC"

    #: expression fields → (column, lexeme prefix, weight restriction)
    FIELDS = {
        "text": ("d.tsv", "", ""),
        "keys": ("d.tsv", "k", ""),
        "head": ("d.tsh", "", ""),
        "hkeys": ("d.tsh", "k", ""),
        "title": ("d.tsh", "", ":A"),
    }

    def __init__(self, connection):
        self.connection = connection

    @contextmanager
    def session(self):
        """One transaction for a search's queries, with sequential scans off (``SET LOCAL``).

        ``search_match`` rows are ~60 bytes because the vectors live out of line, so the
        planner prices a sequential scan of the table as cheap; but the scan de-TOASTs every
        vector (54 ms for the relaxed tier at 10,000 articles, against under 1 ms through GIN).
        Every candidate query has a GIN-indexable ``@@`` condition."""
        with transaction.atomic(using=self.connection.alias):
            with self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    def tsquery(self, expr, columns: set) -> str:
        """``expr`` as ``tsquery`` text; adds the column(s) it needs to ``columns``."""
        if isinstance(expr, (q.Term, q.Phrase)):
            column, prefix, weight = self.FIELDS[expr.field]
            columns.add(column)
            tokens = (expr.token,) if isinstance(expr, q.Term) else expr.tokens
            lexemes = [f"'{prefix}{t}'{weight}" for t in tokens]
            return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"
        joiner = " & " if isinstance(expr, q.All) else " | "
        return "(" + joiner.join(self.tsquery(p, columns) for p in expr.parts) + ")"

    def compile(self, expr, params: list) -> str:
        columns: set = set()
        text = self.tsquery(expr, columns)
        if len(columns) != 1:
            raise ValueError(f"an expression must use one tsvector column, not {sorted(columns)}")
        params.append(text)
        return f"{columns.pop()} @@ %s::tsquery"

    def _base(self, expr, filters: Filters) -> tuple[str, list]:
        params: list = []
        match = self.compile(expr, params)
        where, fparams = filters.sql("d")
        return f"FROM search_match d WHERE {match}{where}", params + fparams


def backend_for(using: str = "default"):
    """The candidate backend: OpenSearch when ``AKHBAR_OPENSEARCH_URL`` is set (default
    database only), else the database of alias ``using`` (SQLite or PostgreSQL)."""
    from . import opensearch

    if using == "default" and opensearch.configured():
        return opensearch.OpenSearchBackend()
    connection = connections[using]
    if connection.vendor == "postgresql":
        return PostgresBackend(connection)
    if connection.vendor == "sqlite":
        return SQLiteBackend(connection)
    raise NotImplementedError(f"akhbar search supports SQLite and PostgreSQL, not {connection.vendor}")


# --- statistics ---------------------------------------------------------------------


def collection_stats(terms: set[str], using: str = "default") -> Collection:
    """Document count, average weighted length and the document frequency of ``terms``."""
    from .ranking import W_BODY, W_LEAD, W_TITLE

    stats = SearchStats.objects.using(using).filter(pk=1).first()
    n = stats.documents if stats else 0
    avg = 0.0
    if stats and n > 0:
        avg = (W_TITLE * stats.title_tokens + W_LEAD * stats.lead_tokens + W_BODY * stats.body_tokens) / n
    df = dict(SearchTerm.objects.using(using).filter(term__in=list(terms)).values_list("term", "df")) if terms else {}
    return Collection(n=max(n, 1), avg_len=avg, df=df)


def prepare(plan: q.Plan, using: str = "default") -> Collection:
    """Look up term statistics and decide which name keys and splits the plan uses."""
    terms = {g.term for g in plan.groups} | {"~" + k for k in plan.key_candidates()}
    stats = collection_stats(terms, using)
    key_cap = max(50, KEY_MAX_SHARE * stats.n)
    split_cap = max(50, SPLIT_MAX_SHARE * stats.n)
    for g in plan.groups:
        key_df = stats.df.get("~" + g.key, 0)
        # a two-letter skeleton is used only when it is rare (else it is an ordinary word's)
        cap = key_cap if len(g.key) >= MIN_KEY_LENGTH else SHORT_KEY_MAX_SHARE * stats.n
        g.use_key = len(g.key) >= 2 and 0 < key_df <= cap
        g.splits = [
            (a, b)
            for a, b in q._splits(g.key)
            if 0 < stats.df.get("~" + a, 0) <= split_cap and 0 < stats.df.get("~" + b, 0) <= split_cap
        ][:3]
    plan.joins = [j if 0 < stats.df.get("~" + j, 0) else "" for j in plan.joins]
    expand_variants(plan, stats, using)
    return stats


def expand_variants(plan: q.Plan, stats: Collection, using: str = "default") -> None:
    """Give query words whose name key is unusable or crowded their similar indexed spellings.

    A name key is a coarse skeleton: a short one (هل for هيلي / هايلي) belongs to common words
    too and is not matched on, and a rarer one may still be shared by a frequent word (سلت:
    سيلتا / سلتا and السلطة), whose newest matches then fill the candidate window. For such a
    word, the indexed stems with the same skeleton (``SearchTerm.key``) that look like another
    spelling of it (similarity ≥ ``EXPAND_SIMILARITY``, same first letter) and are not common
    words become ``Group.variants``: :func:`search` fetches one more candidate tier where they
    match as exact terms (only documents with those spellings), and ranking weighs them like
    name-key matches when the key itself is not used. The main tiers are unchanged. Also adds
    the variants' ``df`` to ``stats``.
    """
    limit = EXPAND_MAX_SHARE * stats.n
    wanted = {}
    from .indexer import term_key

    for g in plan.groups:
        if g.key and is_arabic(g.term) and stats.df.get(g.term, 0) <= limit:
            key = term_key(g.term)
            if key:
                wanted[id(g)] = key
    if not wanted:
        return
    rows = list(
        SearchTerm.objects.using(using)
        .filter(key__in=set(wanted.values()), df__gt=0, df__lte=max(1, KEY_MAX_SHARE * stats.n))
        .exclude(key="")  # the condition of the partial index search_term_key, so that it is used
        .values_list("term", "key", "df")
    )
    for g in plan.groups:
        key = wanted.get(id(g))
        if not key:
            continue
        similar = []
        first = sound_fold(g.term[0])
        for term, term_key_, df in rows:
            if term_key_ != key or term == g.term or abs(len(term) - len(g.term)) > 2 or sound_fold(term[0]) != first:
                continue
            sim = variant_similarity(g.term, term)
            if sim >= EXPAND_SIMILARITY:
                similar.append((sim, df, term))
        if not similar:
            continue
        similar.sort(reverse=True)
        similar = [(df, term, sim) for sim, df, term in similar[:MAX_VARIANTS]]
        spellings_df = stats.df.get(g.term, 0) + sum(df for df, _t, _s in similar)
        key_df = stats.df.get("~" + g.key, 0)
        if g.use_key and not (key_df > KEY_CROWD_FACTOR * spellings_df and key_df > CANDIDATES):
            continue
        g.variants = {term: sim for _df, term, sim in similar}
        stats.df.update({term: df for df, term, _s in similar})


# --- search -------------------------------------------------------------------------


def fetch_rows(ids: list[int], using: str = "default") -> list[Row]:
    """The analysed fields of ``ids`` as :class:`Row` objects (any order); ``published_at``
    as seconds since the epoch (only used to break ties)."""
    if not ids:
        return []
    connection = connections[using]
    epoch = (
        "EXTRACT(EPOCH FROM published_at)"
        if connection.vendor == "postgresql"
        else "CAST(strftime('%%s', published_at) AS REAL)"
    )
    sql = (
        f"SELECT article_id, title, lead, body, head_keys, body_keys, {epoch} FROM search_document "
        f"WHERE article_id IN ({', '.join(['%s'] * len(ids))})"
    )
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, list(ids))
        for article_id, title, lead, body, head_keys, body_keys, published in cursor.fetchall():
            title_keys, _, lead_keys = head_keys.partition(" | ")
            rows.append(Row(article_id, title, lead, body, float(published or 0), title_keys, lead_keys, body_keys))
    return rows


def search(
    raw: str,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 10,
    using: str = "default",
) -> SearchResults:
    """Search the index. ``page`` is 1-based; raises ``ValueError`` for an unknown ``sort``."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}")
    filters = filters or Filters()
    started = time.perf_counter()
    plan = q.parse_query(raw)
    results = SearchResults(ids=[], count=0, plan=plan, page=page, per_page=per_page)
    if plan.empty:
        return results
    backend = backend_for(using)
    session = getattr(backend, "session", None)  # OpenSearch has none
    with session() if session else nullcontext():
        return _search(plan, results, backend, filters, sort, offset=(page - 1) * per_page, per_page=per_page, using=using, started=started)


def _search(plan, results, backend, filters, sort, offset, per_page, using, started) -> SearchResults:
    """The body of :func:`search` (inside the backend's session)."""
    stats = prepare(plan, using)
    strict = q.all_expression(plan)
    t0 = time.perf_counter()
    if sort == "newest":
        results.count = backend.count(strict, filters, COUNT_CAP)
        results.ids = backend.ids(strict, filters, per_page, offset)
        results.scores = [None] * len(results.ids)
        results.timings = {"total": (time.perf_counter() - started) * 1000}
        return results
    candidates = backend.ids(strict, filters, CANDIDATES)
    # counting is a second pass over the matches: only needed when the window is full
    results.count = len(candidates) if len(candidates) < CANDIDATES else backend.count(strict, filters, COUNT_CAP)
    seen = set(candidates)
    if results.count > len(candidates):
        # the window is cut by recency: also take every word in the headline, then in headline or lead
        for tier in ("title", "head"):
            for i in backend.ids(q.all_expression(plan, tier), filters, CANDIDATES):
                if i not in seen:
                    seen.add(i)
                    candidates.append(i)
    if any(g.variants for g in plan.groups):
        # other spellings found in the vocabulary, for words whose name key is unusable or crowded
        for i in backend.ids(q.all_expression(plan, variants=True), filters, CANDIDATES):
            if i not in seen:
                seen.add(i)
                candidates.append(i)
    relaxed = results.count < MIN_STRICT and (len(plan.groups) > 1)
    if relaxed:
        for i in backend.ids(q.relaxed_expression(plan), filters, CANDIDATES):
            if i not in seen:
                seen.add(i)
                candidates.append(i)
        results.count = min(len(candidates), COUNT_CAP)
    t1 = time.perf_counter()
    ranked = rank(fetch_rows(candidates, using), plan, stats)
    t2 = time.perf_counter()
    truncated = not relaxed and results.count > CANDIDATES
    if not truncated:
        results.count = len(ranked)
    # The whole order is: the ranked window, then (when tier 1 was cut) its other matches newest first.
    page_rows = ranked[offset : offset + per_page]
    results.ids = [s.row.article_id for s in page_rows]
    results.scores = [s.score for s in page_rows]
    need = per_page - len(page_rows)
    if truncated and need > 0:
        window = {s.row.article_id for s in ranked}
        skip = max(0, offset - len(ranked))
        rest = [i for i in backend.ids(strict, filters, len(window) + skip + need) if i not in window]
        results.ids += rest[skip : skip + need]
        results.scores += [None] * len(rest[skip : skip + need])
    results.timings = {
        "match": (t1 - t0) * 1000,
        "rank": (t2 - t1) * 1000,
        "total": (time.perf_counter() - started) * 1000,
    }
    return results
