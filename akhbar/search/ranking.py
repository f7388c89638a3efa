"""Relevance ranking shared by every backend (pure Python over candidate rows).

The database finds the candidates (see :mod:`akhbar.search.engine`); this
module orders them, so SQLite and PostgreSQL rank identically. The score of a
document for query words *g* is

* **BM25F** (Robertson & Zaragoza, "The Probabilistic Relevance Framework:
  BM25 and Beyond", 2009) over the headline, lead and body with field
  weights ``W_TITLE``, ``W_LEAD``, ``W_BODY``;
* a word found only as another spelling (same name key) counts
  ``KEY_WEIGHT`` × its similarity to the typed word;
* times a **coverage** factor (share of query words found), so documents with
  every word come first;
* plus a **proximity** bonus for query words that appear adjacent and in
  order in the headline, the lead or the body (a phrase match);
* ties broken by recency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from .analysis import sound_fold
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
#: A name-key match counts only if the document's word is this similar to the typed one.
MIN_SIMILARITY = 0.6
VARIANT_SIMILARITY = 0.6
SPLIT_JOIN_SIMILARITY = 0.9
#: First-page positions (0-based) given to spelling variants when none would reach the first page.
VARIANT_SLOTS = (2, 5, 8)


class Row:
    """A candidate document. Fields are analysed text as UTF-8 ``bytes`` padded with spaces
    (``b" t1 t2 "``) so that counting a term is a C-level substring count; ``*_keys`` hold
    the name keys aligned with the terms of the same field. ``str`` arguments are encoded;
    the engine reads the columns as bytes (decoding ~2 MB of Arabic text into ``str`` per
    search cost more than ranking it). Every needle is padded with spaces too, so a byte
    match is a whole-word match exactly as on ``str``."""

    __slots__ = ("article_id", "title", "lead", "body", "published_at", "lengths", "_keys", "_fields")

    def __init__(self, article_id, title, lead, body, published_at: float = 0.0, title_keys=b"", lead_keys=b"", body_keys=b""):
        self.article_id = article_id
        self.published_at = published_at
        self.title, self.lead, self.body = fields = _pad(title), _pad(lead), _pad(body)
        self.lengths = _term_counts(fields)
        self._keys = (title_keys, lead_keys, body_keys)  # padded on first use (most rows match by term)
        self._fields = None

    @classmethod
    def from_index(cls, article_id, title: bytes, lead: bytes, body: bytes, lengths, published_at: float, title_keys, lead_keys, body_keys) -> "Row":
        """A row from fields already padded (``b" t1 t2 "``, as the engine selects them) and
        ``lengths`` = the term counts ``(title, lead, body)`` as stored by the indexer; a ``None``
        count is counted here. Same attributes as the constructor, without copying the text."""
        row = cls.__new__(cls)
        row.article_id, row.published_at = article_id, published_at
        row.title, row.lead, row.body = title, lead, body
        row.lengths = _term_counts((title, lead, body)) if None in lengths else lengths
        row._keys = (title_keys, lead_keys, body_keys)
        row._fields = None
        return row

    @property
    def title_keys(self) -> bytes:
        return self.fields()[0][1]

    @property
    def lead_keys(self) -> bytes:
        return self.fields()[1][1]

    @property
    def body_keys(self) -> bytes:
        return self.fields()[2][1]

    def fields(self):
        """``(terms, keys, weight)`` for headline, lead and body."""
        if self._fields is None:
            tk, lk, bk = self._keys
            self._fields = (
                (self.title, _pad(tk), W_TITLE),
                (self.lead, _pad(lk), W_LEAD),
                (self.body, _pad(bk), W_BODY),
            )
        return self._fields


def _term_counts(fields) -> tuple[int, ...]:
    """Terms in each padded field (single-spaced: spaces − 1; an empty field is ``b"  "``)."""
    return tuple(f.count(b" ") - 1 if len(f) > 2 else 0 for f in fields)


def _pad(text) -> bytes:
    """``text`` (``str`` or UTF-8 ``bytes``/``memoryview``) as bytes with a space on each side."""
    if isinstance(text, str):
        text = text.encode()
    return b"".join((b" ", text, b" "))


@dataclass
class Collection:
    """Collection statistics: ``n`` documents and average weighted length."""

    n: int
    avg_len: float
    df: dict[str, int]

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))


@dataclass
class Scored:
    """A ranked row: ``score``, and ``variant`` = it matches every query word, at least
    one only through another spelling (a name key) that looks like the typed word."""

    score: float
    row: Row
    variant: bool = False


@lru_cache(maxsize=100_000)
def similarity(a: str, b: str) -> float:
    """1 − Levenshtein distance / length of the longer word, on the words with
    transliteration letters folded (:func:`~akhbar.search.analysis.sound_fold`):
    ``غوغل``/``جوجل`` → 1.0, ``بلينك``/``بلينكن`` → 0.83, ``نفط``/``نفاي`` → 0.5."""
    a, b = sound_fold(a), sound_fold(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return 1.0 - previous[-1] / max(len(a), len(b))


_VOWELS = str.maketrans("", "", "اويء")
#: Stems shorter than this accept another spelling only when their consonants are identical.
SHORT_STEM = 4


def variant_similarity(typed: str, found: str) -> float:
    """How much ``found`` looks like another spelling of ``typed`` (0.0–1.0).

    :func:`similarity`, except that a short word (under ``SHORT_STEM`` letters)
    may only differ in its vowel letters: نفط is not a spelling of نفت, هيل is
    one of هايل.
    """
    if len(typed) < SHORT_STEM and typed.translate(_VOWELS) != found.translate(_VOWELS):
        return 0.0
    return similarity(typed, found)


def phrases_of(plan: Plan) -> list[tuple[int, bytes]]:
    """Runs of two or more consecutive query words as padded UTF-8 strings, longest first."""
    return [(size, phrase) for size, _start, phrase in _phrases(plan)]


def _phrases(plan: Plan) -> list[tuple[int, int, bytes]]:
    """``(size, start, phrase)`` of :func:`phrases_of`, with the index of the run's first word."""
    terms = [g.term for g in plan.groups]
    out = []
    for size in range(len(terms), 1, -1):
        for start in range(0, len(terms) - size + 1):
            out.append((size, start, (" " + " ".join(terms[start : start + size]) + " ").encode()))
    return out


def _needle(text: str) -> bytes:
    return f" {text} ".encode()


class Needles:
    """What :func:`score` looks for, built once per plan (after ``engine.prepare`` has set
    ``use_key``, ``splits``, ``joins`` and ``variants``): padded UTF-8 needles per query word,
    and with ``stats`` (:class:`Collection`) each word's idf, so that ranking ~250 candidates
    computes it once per word instead of once per candidate."""

    __slots__ = ("terms", "keys", "variants", "extra", "phrases", "pairs", "idfs")

    def __init__(self, plan: Plan, stats: "Collection | None" = None):
        groups = plan.groups
        self.idfs = [stats.idf(g.term) for g in groups] if stats is not None else None
        self.terms = [_needle(g.term) for g in groups]
        self.keys = [_needle(g.key) if g.use_key and g.key else None for g in groups]
        self.variants = [[(_needle(v), similar) for v, similar in g.variants.items()] for g in groups]
        self.extra = []  # alt keys, joined keys and split pairs that count as another spelling
        for i, g in enumerate(groups):
            extra = [_needle(k) for k in g.alt_keys]
            extra += [_needle(plan.joins[j]) for j in (i - 1, i) if 0 <= j < len(plan.joins) and plan.joins[j]]
            extra += [_needle(f"{a} {b}") for a, b in g.splits]
            self.extra.append(extra)
        self.phrases = _phrases(plan)
        #: the two-word runs, ``pairs[i]`` = words i and i + 1
        self.pairs = [phrase for size, _start, phrase in self.phrases if size == 2]


def _run(text: bytes, needles: Needles, found: list[bool]) -> int:
    """Longest run of consecutive query words found adjacent and in order in ``text``.

    ``found[i]``: word ``i`` occurs in the document (as itself). A run can only be in the
    text if each of its adjacent pairs is, so the pairs are looked up first (one scan each)
    and a longer run is searched for only when all its pairs were found: for four words,
    three scans of the body instead of six when no longer run is there."""
    pairs = [found[i] and found[i + 1] and pair in text for i, pair in enumerate(needles.pairs)]
    if not any(pairs):
        return 0
    for size, start, phrase in needles.phrases:
        if all(pairs[start : start + size - 1]) and (size == 2 or phrase in text):
            return size
    return 0


def _key_tf(i: int, g, needles: Needles, row: Row) -> tuple[float, float]:
    """Weighted frequency of other spellings of word ``i`` in ``row`` and their best similarity:
    the word's expanded ``variants`` when it has some (its key is unusable or crowded), else
    its name key; and joined or split forms."""
    tf, sim = 0.0, 0.0
    if g.variants:
        # the key is unusable or crowded by other words: only the similar indexed spellings count
        for needle, similar in needles.variants[i]:
            found = W_TITLE * row.title.count(needle) + W_LEAD * row.lead.count(needle) + W_BODY * row.body.count(needle)
            if found:
                tf += found
                sim = max(sim, similar)
    elif needles.keys[i] is not None:
        needle = needles.keys[i]
        for terms, keys, weight in row.fields():
            found = keys.count(needle)
            if not found:
                continue
            tf += weight * found
            if sim < 1.0:
                # the document's word at the first position holding this key
                # padded " w0 w1 ...": the word after the k-th space is word k-1
                k = keys.count(b" ", 0, keys.find(needle) + 1)
                parts = terms.split(b" ", k)
                if len(parts) > k:
                    sim = max(sim, variant_similarity(g.term, parts[k].split(b" ", 1)[0].decode()))
    extra = needles.extra[i]
    if extra:
        for _terms, keys, _weight in row.fields():
            if any(k in keys for k in extra):
                tf, sim = max(tf, 1.0), max(sim, SPLIT_JOIN_SIMILARITY)
                break
    return tf, sim


def score(row: Row, plan: Plan, stats: Collection, needles: Needles | None = None) -> Scored:
    """Relevance of ``row`` for ``plan`` (higher is better; 0 when nothing matches)."""
    groups = plan.groups
    result = Scored(0.0, row)
    if not groups:
        return result
    if needles is None or needles.idfs is None:
        needles = Needles(plan, stats)
    idfs = needles.idfs
    lt, ll, lb = row.lengths
    length = W_TITLE * lt + W_LEAD * ll + W_BODY * lb
    norm = K1 * (1 - B + B * length / stats.avg_len) if stats.avg_len else K1
    total, matched, variant, idf_sum = 0.0, 0, False, 0.0
    found = [False] * len(groups)
    title, lead, body = row.title, row.lead, row.body
    for i, g in enumerate(groups):
        idf = idfs[i]
        idf_sum += idf
        needle = needles.terms[i]
        tf = W_TITLE * title.count(needle) + W_LEAD * lead.count(needle) + W_BODY * body.count(needle)
        if tf:
            total += idf * tf * (K1 + 1) / (tf + norm)
            matched += 1
            found[i] = True
            continue
        tf, sim = _key_tf(i, g, needles, row)
        if tf and sim >= MIN_SIMILARITY:
            total += KEY_WEIGHT * sim * idf * tf * (K1 + 1) / (tf + norm)
            matched += 1
            variant = variant or sim >= VARIANT_SIMILARITY
    if not matched:
        return result
    coverage = matched / len(groups)
    total *= coverage**COVERAGE_POWER
    if len(groups) > 1 and matched > 1:
        mean_idf = idf_sum / len(groups)
        span = len(groups) - 1
        for text, weight in ((title, PHRASE_TITLE), (lead, PHRASE_LEAD), (body, PHRASE_BODY)):
            run = _run(text, needles, found)
            if run:
                total += weight * mean_idf * (run - 1) / span * len(groups)
    result.score = total
    result.variant = variant and matched == len(groups)
    return result


def rank(rows: list[Row], plan: Plan, stats: Collection) -> list[Scored]:
    """Rows with their scores, best first; equal scores newest first, then highest id.

    Spelling variants are not drowned: when the best documents that match the
    query only through another spelling of a name (:attr:`Scored.variant`) would
    all fall off the first page, the best of them are moved up to positions
    ``VARIANT_SLOTS`` (the exact matches keep the first places).
    """
    needles = Needles(plan, stats)
    scored = [score(row, plan, stats, needles) for row in rows]
    scored = [s for s in scored if s.score > 0]
    scored.sort(key=lambda s: (s.score, s.row.published_at or 0.0, s.row.article_id), reverse=True)
    return diversify(scored)


def diversify(scored: list[Scored], page: int = 10) -> list[Scored]:
    """Give spelling variants up to ``len(VARIANT_SLOTS)`` places on the first page."""
    variants = [s for s in scored[page:] if s.variant]
    if not variants or len(scored) <= page:
        return scored
    have = sum(1 for s in scored[:page] if s.variant)
    room = max(0, len(VARIANT_SLOTS) - have)
    if not room:
        return scored
    promoted = variants[:room]
    rest = [s for s in scored if s not in promoted]
    for slot, item in zip(VARIANT_SLOTS[have:], promoted):
        rest.insert(slot, item)
    return rest
