"""Run a search: the database finds candidates, :mod:`akhbar.search.ranking` orders them.

Both backends compile the same boolean expression (:mod:`akhbar.search.query`)
and fetch candidates in the same three tiers, so they return the same
documents in the same order:

1. ``all``: documents matching every query word (by stem, or by name key /
   joined / split name) and every quoted phrase, newest ``CANDIDATES`` of them;
2. ``head`` and ``title``: when tier 1 was cut, documents with every query
   word in the headline or lead, and in the headline (any age), up to
   ``CANDIDATES`` each (the headline tier only when the headline-or-lead tier is
   cut too: its matches are a subset of those);
3. ``variants``: when a word's name key is unusable or crowded, every word with its
   similar indexed spellings (:func:`expand_variants`), up to ``CANDIDATES``;
4. ``relaxed``: only when tier 1 has fewer than ``MIN_STRICT`` documents:
   all words but one, or for one- and two-word queries any word in the
   headline or lead.

On PostgreSQL all tiers, the count and the candidates' rows are one statement
(:meth:`PostgresBackend.gather`), and :func:`prepare` is one more: two round trips
per search. The union is ranked; for relevance order a page beyond the ranked window
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
#: Every candidate statement runs with sequential scans off (see :meth:`PostgresBackend.session`).
NO_SEQSCAN = "SET LOCAL enable_seqscan = off"
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
    #: a single headline term: its ``#``-prefixed lexeme (migration 0005), which GIN answers
    #: without re-reading the vectors; phrases in the headline keep the weighted form (positions)
    TITLE_TERM_PREFIX = "#"

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
                cursor.execute(NO_SEQSCAN)
            yield

    def tsquery(self, expr, columns: set) -> str:
        """``expr`` as ``tsquery`` text; adds the column(s) it needs to ``columns``."""
        if isinstance(expr, (q.Term, q.Phrase)):
            column, prefix, weight = self.FIELDS[expr.field]
            columns.add(column)
            if isinstance(expr, q.Term) and expr.field == "title":
                return f"'{self.TITLE_TERM_PREFIX}{expr.token}'"
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

    def gather(self, plan: q.Plan, filters: Filters) -> "Gathered":
        """Every candidate tier, the count and the candidates' rows in **one** statement (one
        round trip instead of up to nine: under load each round trip waits for the server's
        and then this process's turn on the CPU).

        Tiers that depend on tier 1's size are gated on it inside the statement (a condition
        without columns becomes a one-time filter: the tier's scan never runs when it is
        false). ``SET LOCAL enable_seqscan = off`` goes in the same query string: several
        statements in one simple-protocol query run as one implicit transaction, so the
        setting holds for this statement only (see :meth:`session` for why). Drivers that
        cannot send two statements at once (server-side binding) use :meth:`session`."""
        newest = self.NEWEST_FIRST
        params: list = []

        def match(expr, gate=""):
            base, p = self._base(expr, filters)
            params.extend(p)
            return f"{base}{gate}"

        def first(cte):  # a materialised window, newest first, without its extra row
            return f"(SELECT article_id FROM {cte} ORDER BY published_at DESC NULLS LAST, article_id DESC LIMIT {CANDIDATES})"

        # tier 1 and its size (up to COUNT_CAP) in one scan: sorting by date reads every match anyway
        ctes = [
            f"s AS MATERIALIZED (SELECT d.article_id, d.published_at, count(*) OVER () AS total "
            f"{match(q.all_expression(plan))} ORDER BY {newest} LIMIT {CANDIDATES + 1})",
            f"n AS MATERIALIZED (SELECT least(coalesce(max(total), 0), {COUNT_CAP}) AS n FROM s)",
        ]
        tiers = [first("s")]
        full = f" AND (SELECT n FROM n) > {CANDIDATES}"  # the window is cut by recency
        # every word in the headline or lead, and (only when that is cut too: the headline matches
        # are a subset of these) every word in the headline
        ctes.append(
            f"h AS MATERIALIZED (SELECT d.article_id, d.published_at {match(q.all_expression(plan, 'head'), full)} "
            f"ORDER BY {newest} LIMIT {CANDIDATES + 1})"
        )
        tiers.append(first("h"))
        title_gate = f" AND (SELECT count(*) FROM h) > {CANDIDATES}"
        tiers.append(f"(SELECT d.article_id {match(q.all_expression(plan, 'title'), title_gate)} ORDER BY {newest} LIMIT {CANDIDATES})")
        if any(g.variants for g in plan.groups):
            tiers.append(f"(SELECT d.article_id {match(q.all_expression(plan, variants=True))} ORDER BY {newest} LIMIT {CANDIDATES})")
        may_relax = len(plan.groups) > 1
        if may_relax:
            gate = f" AND (SELECT n FROM n) < {MIN_STRICT}"
            tiers.append(f"(SELECT d.article_id {match(q.relaxed_expression(plan), gate)} ORDER BY {newest} LIMIT {CANDIDATES})")
        sql = (
            f"WITH {', '.join(ctes)}, ids AS ({' UNION ALL '.join(tiers)}) "
            f"SELECT {_ROW_COLUMNS.format(t='doc.')}, {_epoch('postgresql', 'doc.published_at')}, "
            "(SELECT n FROM n) FROM search_document doc WHERE doc.article_id IN (SELECT article_id FROM ids)"
        )
        fetched = _generic_plan_rows(self.connection, sql, params)
        if fetched is None:
            with _simple_protocol_cursor(self.connection) as cursor:
                with text_as_bytes(cursor):
                    if _client_side_binding(cursor):
                        cursor.execute(f"{NO_SEQSCAN}; {sql}", params)
                        cursor.nextset()
                        fetched = cursor.fetchall()
                    else:
                        with self.session():
                            cursor.execute(sql, params)
                            fetched = cursor.fetchall()
        rows = [_make_row(*r[:_ROW_WIDTH]) for r in fetched]
        count = fetched[0][_ROW_WIDTH] if fetched else 0
        relaxed = may_relax and count < MIN_STRICT
        if relaxed:
            count = min(len(rows), COUNT_CAP)
        return Gathered(rows, count, relaxed)


#: What the candidate statement runs under (:func:`_generic_plan_rows`): no sequential scans (see
#: :meth:`PostgresBackend.session`) and the prepared statement's generic plan, planned once per
#: connection and statement shape instead of on every search.
GENERIC_PLAN_SETTINGS = (NO_SEQSCAN, "SET LOCAL plan_cache_mode = force_generic_plan")


def _generic_plan_rows(connection, sql: str, params: list) -> list[tuple] | None:
    """Run the candidate statement ``sql`` as a server-side prepared statement with its generic
    plan, and return its rows (read in binary format: text columns as UTF-8 ``bytes``); ``None``
    when this connection cannot (SQLite, client-side binding: ``AKHBAR_DB_PREPARE_THRESHOLD=0``, a
    libpq without pipeline mode), and the caller plans it on every call instead.

    Planning the statement (five CTEs, up to seven GIN scans) took ~1 ms of PostgreSQL's CPU per
    search, against ~2.5 ms executing it. Its plan does not depend on the ``tsquery`` values:
    with sequential scans off every tier is a GIN bitmap scan, so the generic plan is the plan a
    custom one would be (``EXPLAIN`` shows the same nodes).
    ``BEGIN``, the two ``SET LOCAL`` (:data:`GENERIC_PLAN_SETTINGS`, which end with the
    transaction), the statement and ``COMMIT`` go to the server in one pipeline (libpq pipeline
    mode, PostgreSQL protocol 3): one round trip, as before. Inside an outer transaction (an
    ``atomic`` block) no ``BEGIN``/``COMMIT`` is sent and the settings last until that transaction
    ends, as with :meth:`PostgresBackend.session`. The statement is logged in
    ``connection.queries`` (with the settings, as one entry) when queries are logged.

    Raises Django's ``DatabaseError`` subclasses, like a Django cursor; an own transaction that
    failed is rolled back."""
    if connection.vendor != "postgresql" or not connection.settings_dict.get("OPTIONS", {}).get("server_side_binding"):
        return None
    try:
        import psycopg
        from psycopg.types.string import ByteaBinaryLoader
    except ImportError:  # pragma: no cover
        return None
    if not psycopg.Pipeline.is_supported():  # pragma: no cover - libpq < 14
        return None
    connection.ensure_connection()
    pg = connection.connection
    own_transaction = pg.autocommit
    started = time.perf_counter()
    with connection.wrap_database_errors:
        try:
            with pg.pipeline(), pg.cursor() as setup, pg.cursor() as main:
                # binary results: text arrives as its UTF-8 bytes and psycopg's C bytea loader
                # hands them over as they are (no Python call per value: ~1,250 a search)
                main.adapters.register_loader("text", ByteaBinaryLoader)
                if own_transaction:
                    setup.execute("BEGIN")
                for statement in GENERIC_PLAN_SETTINGS:
                    setup.execute(statement)
                main.execute(sql, params, prepare=True, binary=True)
                if own_transaction:
                    setup.execute("COMMIT")
                fetched = main.fetchall()
        except psycopg.Error:
            if own_transaction and pg.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                try:
                    pg.rollback()
                except psycopg.Error:  # a broken connection: the first error is the one to report
                    pass
            raise
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": "; ".join([*GENERIC_PLAN_SETTINGS, connection.ops.compose_sql(sql, params)]), "time": f"{time.perf_counter() - started:.3f}"}
        )
    return fetched


@contextmanager
def _simple_protocol_cursor(connection):
    """A cursor of ``connection`` (Django's) that merges parameters into the query string, so one
    ``execute`` may hold ``SET LOCAL ...; SELECT ...``: Django's own cursor when it does
    (``ClientCursor``, Django's default), else, with server-side binding on
    (``AKHBAR_DB_PREPARE_THRESHOLD``), a psycopg 3 ``ClientCursor`` on the same connection and
    transaction, wrapped in Django's ``CursorWrapper`` (query logging, execute wrappers, error
    translation). A candidate statement's plan depends on its ``tsquery`` values (GIN selectivity),
    so it is never a prepared statement's generic plan anyway."""
    cursor = connection.cursor()
    try:
        if not _client_side_binding(cursor) and hasattr(cursor.cursor, "adapters"):  # psycopg 3, server-side binding
            from django.db.backends.postgresql.base import Cursor as ClientBindingCursor  # Django's default cursor class

            cursor.close()
            cursor = connection._prepare_cursor(ClientBindingCursor(connection.connection))
        yield cursor
    finally:
        cursor.close()


def _client_side_binding(cursor) -> bool:
    """True when ``cursor`` (Django's) sends a query string with its parameters merged in,
    over the simple protocol, so that one ``execute`` may hold several statements (psycopg 3's
    ``ClientCursor``, Django's default)."""
    try:
        from psycopg import ClientCursor
    except ImportError:  # pragma: no cover
        return False
    return isinstance(cursor.cursor, ClientCursor)


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
    return _lookup(terms, set(), using)[0]


def _lookup(terms: set[str], keys: set[str], using: str = "default") -> tuple[Collection, list[tuple[str, str, int]]]:
    """One statement (one round trip) for everything :func:`prepare` reads: the collection
    statistics, the document frequency of ``terms``, and ``(term, key, df)`` of the indexed
    stems whose own name key is in ``keys`` (``df > 0``; for :func:`expand_variants`)."""
    from .ranking import W_BODY, W_LEAD, W_TITLE

    terms, keys = sorted(terms), sorted(k for k in keys if k)
    sql = [f"SELECT 's', documents, title_tokens, lead_tokens, body_tokens, '', '' FROM {SearchStats._meta.db_table} WHERE id = 1"]
    if terms:
        sql.append(
            f"SELECT 't', df, 0, 0, 0, term, '' FROM {SearchTerm._meta.db_table} "
            f"WHERE term IN ({', '.join(['%s'] * len(terms))})"
        )
    if keys:
        # NOT (key = ''): the condition of the partial index search_term_key, so that it is used
        sql.append(
            f"SELECT 'k', df, 0, 0, 0, term, key FROM {SearchTerm._meta.db_table} "
            f"WHERE key IN ({', '.join(['%s'] * len(keys))}) AND NOT (key = '') AND df > 0"
        )
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), [*terms, *keys])
        rows = cursor.fetchall()
    n = avg = 0
    df: dict[str, int] = {}
    variants = []
    for kind, value, title_tokens, lead_tokens, body_tokens, term, key in rows:
        if kind == "s":
            n = value
            if n > 0:
                avg = (W_TITLE * title_tokens + W_LEAD * lead_tokens + W_BODY * body_tokens) / n
        elif kind == "t":
            df[term] = value
        else:
            variants.append((term, key, value))
    return Collection(n=max(n, 1), avg_len=avg, df=df), variants


def prepare(plan: q.Plan, using: str = "default") -> Collection:
    """Look up term statistics and decide which name keys and splits the plan uses
    (one database round trip, :func:`_lookup`)."""
    from .indexer import term_key

    terms = {g.term for g in plan.groups} | {"~" + k for k in plan.key_candidates()}
    stem_keys = {g.term: term_key(g.term) for g in plan.groups if g.key and is_arabic(g.term)}
    stats, spellings = _lookup(terms, set(stem_keys.values()), using)
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
    expand_variants(plan, stats, using, spellings=spellings, stem_keys=stem_keys)
    return stats


def expand_variants(plan: q.Plan, stats: Collection, using: str = "default", spellings=None, stem_keys=None) -> None:
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

    ``spellings`` (``(term, key, df)`` rows) and ``stem_keys`` (query stem → its key) are what
    :func:`prepare` already read in its one statement; without them they are looked up here.
    """
    from .indexer import term_key

    limit = EXPAND_MAX_SHARE * stats.n
    if stem_keys is None:
        stem_keys = {g.term: term_key(g.term) for g in plan.groups if g.key and is_arabic(g.term)}
    wanted = {}
    for g in plan.groups:
        key = stem_keys.get(g.term) if g.key and is_arabic(g.term) else ""
        if key and stats.df.get(g.term, 0) <= limit:
            wanted[id(g)] = key
    if not wanted:
        return
    if spellings is None:
        spellings = _lookup(set(), set(wanted.values()), using)[1]
    most = int(max(1, KEY_MAX_SHARE * stats.n))  # not in more than a quarter of the archive
    rows = [(term, key, df) for term, key, df in spellings if df <= most]
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


#: What ranking reads of a candidate (:func:`_make_row`), ``{t}`` being the table's alias: the text
#: fields padded with a space on each side by the database (:class:`~akhbar.search.ranking.Row`
#: counts whole words in them), the term counts, the name keys.
_ROW_COLUMNS = (
    "{t}article_id, ' ' || {t}title || ' ', ' ' || {t}lead || ' ', ' ' || {t}body || ' ', "
    "{t}title_length, {t}lead_length, {t}body_length, {t}head_keys, {t}body_keys"
)
_ROW_WIDTH = 10  # the columns above and the publication time


def _epoch(vendor: str, column: str = "published_at") -> str:
    if vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    return f"CAST(strftime('%%s', {column}) AS REAL)"


def _make_row(article_id, title, lead, body, title_length, lead_length, body_length, head_keys, body_keys, published) -> Row:
    """A :class:`Row` from the ``_ROW_COLUMNS`` of one candidate and its publication time."""
    if isinstance(title, str):  # a driver that returned str (see text_as_bytes)
        title, lead, body, head_keys, body_keys = (v.encode() for v in (title, lead, body, head_keys, body_keys))
    title_keys, _, lead_keys = head_keys.partition(b" | ")
    return Row.from_index(article_id, title, lead, body, (title_length, lead_length, body_length), published or 0.0, title_keys, lead_keys, body_keys)


@contextmanager
def text_as_bytes(cursor):
    """Let ``cursor`` (a Django cursor on SQLite or psycopg 3) return text columns as UTF-8
    ``bytes``: ranking counts needles in bytes (:class:`~akhbar.search.ranking.Row`), and
    decoding the candidates' analysed text (~2 MB of Arabic for 600 rows) into ``str`` took
    longer than ranking them."""
    raw = cursor.cursor
    if hasattr(raw, "adapters"):  # psycopg 3: a loader on this cursor only
        raw.adapters.register_loader("text", _BytesLoader)
        yield
        return
    connection = getattr(raw, "connection", None)
    if connection is not None and hasattr(connection, "text_factory"):  # sqlite3
        before = connection.text_factory
        connection.text_factory = bytes
        try:
            yield
        finally:
            connection.text_factory = before
        return
    yield  # another driver: str rows (Row encodes them)


try:
    from psycopg.adapt import Loader as _Loader

    class _BytesLoader(_Loader):
        """psycopg 3 text loader that keeps the UTF-8 bytes."""

        def load(self, data):
            return bytes(data)

except ImportError:  # pragma: no cover - psycopg 3 not installed
    _BytesLoader = None


def fetch_rows(ids: list[int], using: str = "default") -> list[Row]:
    """The analysed fields of ``ids`` as :class:`Row` objects (any order); ``published_at``
    as seconds since the epoch (only used to break ties)."""
    if not ids:
        return []
    connection = connections[using]
    sql = (
        f"SELECT {_ROW_COLUMNS.format(t='')}, {_epoch(connection.vendor)} FROM search_document "
        f"WHERE article_id IN ({', '.join(['%s'] * len(ids))})"
    )
    with connection.cursor() as cursor:
        with text_as_bytes(cursor):
            cursor.execute(sql, list(ids))
            return [_make_row(*r) for r in cursor.fetchall()]


@dataclass
class Gathered:
    """The candidates of a relevance search: their ``rows``, ``count`` (tier 1's matches up to
    ``COUNT_CAP``, or when ``relaxed`` the number of candidates) and whether the relaxed tier ran."""

    rows: list[Row]
    count: int
    relaxed: bool


def gather(plan: q.Plan, backend, filters: Filters, using: str = "default") -> Gathered:
    """Every candidate tier (see the module docstring) and the candidates' rows.

    A backend with a ``gather`` method (PostgreSQL) does it in one statement; otherwise the
    tiers are separate queries, then :func:`fetch_rows`."""
    if hasattr(backend, "gather"):
        return backend.gather(plan, filters)
    session = getattr(backend, "session", None)  # OpenSearch has none
    with session() if session else nullcontext():
        strict = q.all_expression(plan)
        candidates = backend.ids(strict, filters, CANDIDATES)
        # counting is a second pass over the matches: only needed when the window is full
        count = len(candidates) if len(candidates) < CANDIDATES else backend.count(strict, filters, COUNT_CAP)
        seen = set(candidates)
        tiers = []
        if count > len(candidates):
            # the window is cut by recency: also take every word in the headline or lead, and (only
            # when that is cut too: the headline matches are a subset of these) every word in the headline
            head = backend.ids(q.all_expression(plan, "head"), filters, CANDIDATES + 1)
            tiers.append(head[:CANDIDATES])
            if len(head) > CANDIDATES:
                tiers.append(q.all_expression(plan, "title"))
        if any(g.variants for g in plan.groups):
            # other spellings found in the vocabulary, for words whose name key is unusable or crowded
            tiers.append(q.all_expression(plan, variants=True))
        relaxed = count < MIN_STRICT and len(plan.groups) > 1
        if relaxed:
            tiers.append(q.relaxed_expression(plan))
        for expr in tiers:
            for i in expr if isinstance(expr, list) else backend.ids(expr, filters, CANDIDATES):
                if i not in seen:
                    seen.add(i)
                    candidates.append(i)
    if relaxed:
        count = min(len(candidates), COUNT_CAP)
    return Gathered(fetch_rows(candidates, using), count, relaxed)


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
    return _search(plan, results, backend, filters, sort, offset=(page - 1) * per_page, per_page=per_page, using=using, started=started)


def _session(backend):
    session = getattr(backend, "session", None)  # OpenSearch has none
    return session() if session else nullcontext()


def _search(plan, results, backend, filters, sort, offset, per_page, using, started) -> SearchResults:
    """The body of :func:`search`."""
    stats = prepare(plan, using)
    strict = q.all_expression(plan)
    t0 = time.perf_counter()
    if sort == "newest":
        with _session(backend):
            results.count = backend.count(strict, filters, COUNT_CAP)
            results.ids = backend.ids(strict, filters, per_page, offset)
        results.scores = [None] * len(results.ids)
        results.timings = {"total": (time.perf_counter() - started) * 1000}
        return results
    gathered = gather(plan, backend, filters, using)
    results.count, relaxed = gathered.count, gathered.relaxed
    t1 = time.perf_counter()
    ranked = rank(gathered.rows, plan, stats)
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
        with _session(backend):
            rest = [i for i in backend.ids(strict, filters, len(window) + skip + need) if i not in window]
        results.ids += rest[skip : skip + need]
        results.scores += [None] * len(rest[skip : skip + need])
    results.timings = {
        "match": (t1 - t0) * 1000,
        "rank": (t2 - t1) * 1000,
        "total": (time.perf_counter() - started) * 1000,
    }
    return results
