"""Relevance ranking shared by every backend (pure Python over candidate rows).

The database finds the candidates (see :mod:`akhbar.search.engine`); this
module orders them, so SQLite and PostgreSQL rank identically. The score of a
document for query words *g* is

* **BM25F** (Robertson & Zaragoza, "The Probabilistic Relevance Framework:
  BM25 and Beyond", 2009) over the headline, lead and body with field
  weights ``W_TITLE``, ``W_LEAD``, ``W_BODY``; a word that only matches
  through its name key (another spelling of a name) counts ``KEY_WEIGHT``
  times its IDF;
* times a **coverage** factor (share of query words found), so documents with
  every word come first;
* plus a **proximity** bonus for query words that appear adjacent and in
  order in the headline, the lead or the body (a phrase match);
* ties broken by recency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from .query import Plan

K1 = 1.2
B = 0.75
W_TITLE = 3.0
W_LEAD = 1.5
W_BODY = 1.0
KEY_WEIGHT = 0.8
COVERAGE_POWER = 2.0
PHRASE_TITLE = 1.2
PHRASE_LEAD = 0.8
PHRASE_BODY = 0.4


@dataclass
class Row:
    """A candidate document: its analysed fields split into tokens."""

    article_id: int
    title: list[str]
    lead: list[str]
    body: list[str]
    keys: list[str]
    published_at: datetime | None


@dataclass
class Collection:
    """Collection statistics: ``n`` documents and average weighted length."""

    n: int
    avg_len: float
    df: dict[str, int]

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))


def _run_bonus(tokens: list[str], keys: list[str], plan: Plan) -> int:
    """Longest run of consecutive query words found adjacent and in order in ``tokens``."""
    n = len(plan.groups)
    if n < 2 or not tokens:
        return 0
    positions: dict[str, list[int]] = {}
    for pos, tok in enumerate(tokens):
        positions.setdefault(tok, []).append(pos)
    best = 0
    for i in range(n - 1):
        for start in positions.get(plan.groups[i].term, ()):
            run, j, pos = 1, i + 1, start + 1
            while j < n and pos < len(tokens) and tokens[pos] == plan.groups[j].term:
                run, j, pos = run + 1, j + 1, pos + 1
            best = max(best, run)
            if best == n:
                return best
    return best if best >= 2 else 0


def score(row: Row, plan: Plan, stats: Collection) -> float:
    """Relevance of ``row`` for ``plan`` (higher is better; 0 when nothing matches)."""
    groups = plan.groups
    if not groups:
        return 0.0
    length = W_TITLE * len(row.title) + W_LEAD * len(row.lead) + W_BODY * len(row.body)
    norm = K1 * (1 - B + B * length / stats.avg_len) if stats.avg_len else K1
    counts_t: dict[str, int] = {}
    for tok in row.title:
        counts_t[tok] = counts_t.get(tok, 0) + 1
    counts_l: dict[str, int] = {}
    for tok in row.lead:
        counts_l[tok] = counts_l.get(tok, 0) + 1
    wanted = {g.term for g in groups}
    counts_b: dict[str, int] = dict.fromkeys(wanted, 0)
    for tok in row.body:
        if tok in counts_b:
            counts_b[tok] += 1
    keyset = set(row.keys)
    total, matched, idf_sum = 0.0, 0, 0.0
    for i, g in enumerate(groups):
        idf = stats.idf(g.term)
        idf_sum += idf
        tf = W_TITLE * counts_t.get(g.term, 0) + W_LEAD * counts_l.get(g.term, 0) + W_BODY * counts_b.get(g.term, 0)
        if tf:
            total += idf * tf * (K1 + 1) / (tf + norm)
            matched += 1
            continue
        if _key_match(i, g, plan, keyset):
            key_idf = stats.idf("~" + g.key) if g.key else idf
            total += KEY_WEIGHT * max(key_idf, 0.5 * idf) * (K1 + 1) / (1 + norm)
            matched += 1
    if not matched:
        return 0.0
    coverage = matched / len(groups)
    total *= coverage**COVERAGE_POWER
    if len(groups) > 1:
        span = (len(groups) - 1) or 1
        mean_idf = idf_sum / len(groups)
        for tokens, weight in ((row.title, PHRASE_TITLE), (row.lead, PHRASE_LEAD), (row.body, PHRASE_BODY)):
            run = _run_bonus(tokens, row.keys, plan)
            if run:
                total += weight * mean_idf * (run - 1) / span * len(groups)
    return total


def _key_match(i: int, g, plan: Plan, keyset: set[str]) -> bool:
    if g.use_key and g.key and g.key in keyset:
        return True
    for j in (i - 1, i):
        if 0 <= j < len(plan.joins) and plan.joins[j] and plan.joins[j] in keyset:
            return True
    return any(a in keyset and b in keyset for a, b in g.splits)


def rank(rows: list[Row], plan: Plan, stats: Collection) -> list[tuple[float, Row]]:
    """Rows with their scores, best first; equal scores newest first, then highest id."""
    scored = [(score(row, plan, stats), row) for row in rows]
    scored.sort(
        key=lambda sr: (sr[0], sr[1].published_at.timestamp() if sr[1].published_at else 0.0, sr[1].article_id),
        reverse=True,
    )
    return scored
