"""Highlight matched words in the *original* text (not the analysed one).

Each word of the original text is analysed with the same pipeline as the
index; a word is marked when its stem is one of the query's stems or its name
key is one the query matched. Output is HTML-safe: the text is escaped and
only ``<mark>`` elements are added.
"""

from __future__ import annotations

from itertools import count, islice

from html import escape  # what django.utils.html.escape calls, without its lazy-string check per piece
from django.utils.safestring import SafeString, mark_safe

from .analysis import WORD, analyze_word
from .query import Plan
from .ranking import MIN_SIMILARITY, variant_similarity

SNIPPET_WORDS = 36


class WordIndex:
    """The original words that result pages have analysed in this process, inverted: ``by_term``
    (stem → the words with that stem) and ``by_key`` (name key → the words with that key), from
    :func:`~akhbar.search.analysis.analyze_word`. With it a page's :func:`matcher` finds every
    matching word it already knows with a few set unions instead of one analysis per distinct
    word of its ten articles (~1,100 words, a third of the snippets' time).

    ``serial[word]`` numbers the words in the order they were registered; a word is entered in
    ``by_term`` and ``by_key`` *before* it takes its number, so every word numbered below
    :meth:`mark` was complete when ``mark`` was read (threads of one process share the index).
    Words are never removed: when the index holds ``MAX_WORDS`` words, :func:`word_index` starts
    a new one (pages in flight keep theirs)."""

    MAX_WORDS = 100_000

    def __init__(self):
        self.serial: dict[str, int] = {}
        self.by_term: dict[str, set[str]] = {}
        self.by_key: dict[str, set[str]] = {}
        self._numbers = count()

    def add(self, words) -> None:
        """Register ``words`` (an iterable of original words; known ones are skipped)."""
        for word in words:
            if word in self.serial:
                continue
            for term, key, _token in analyze_word(word):
                self.by_term.setdefault(term, set()).add(word)
                if key:
                    self.by_key.setdefault(key, set()).add(word)
            self.serial[word] = next(self._numbers)

    def mark(self) -> int:
        """A number such that every word numbered below it is completely registered."""
        return len(self.serial)

    def words(self, table: dict, names) -> set[str]:
        """The words registered under any of ``names`` in ``table`` (``by_term`` or ``by_key``)."""
        found: set[str] = set()
        for name in names:
            words = table.get(name)
            if words:
                found |= words  # one C-level union: safe while another thread adds
        return found


_index = WordIndex()


def word_index() -> WordIndex:
    """This process's :class:`WordIndex` (a new one once it holds ``MAX_WORDS`` words)."""
    global _index
    if len(_index.serial) >= WordIndex.MAX_WORDS:
        _index = WordIndex()
    return _index


def matcher(plan: Plan):
    """A predicate ``word -> bool``: does this original word match the query (its stem,
    or another spelling that ranking accepts: same name key and similar enough)?

    ``matches.flags(words)`` answers for a list of words at once. The words this process has
    seen before (:class:`WordIndex`) are answered from the set of matching ones, computed when
    the matcher is made; a word seen for the first time is analysed and compared once."""
    terms = {g.term for g in plan.groups} | {v for g in plan.groups for v in g.variants}
    by_key: dict[str, list[str]] = {}
    for g in plan.groups:
        if g.use_key and g.key:
            by_key.setdefault(g.key, []).append(g.term)
    joined = {k for g in plan.groups for k in g.alt_keys}
    index = word_index()
    known_below = index.mark()
    matched = index.words(index.by_term, terms) | index.words(index.by_key, joined)
    for word in index.words(index.by_key, by_key).difference(matched):
        if _matches(word, terms, by_key, joined):
            matched.add(word)
    decided: set[str] = set()  # words numbered from ``known_below`` on, already compared

    def flags(words: list[str]) -> list[bool]:
        """``[matches(w) for w in words]``."""
        unique = set(words)
        new = unique.difference(index.serial)
        if new:
            index.add(new)
        serial = index.serial
        if max(map(serial.__getitem__, unique), default=-1) >= known_below:  # words registered since
            for word in unique.difference(decided):
                if serial[word] >= known_below:
                    decided.add(word)
                    if _matches(word, terms, by_key, joined):
                        matched.add(word)
        return list(map(matched.__contains__, words))

    def matches(word: str) -> bool:
        return flags([word])[0]

    matches.flags = flags
    return matches


def _matches(word: str, terms: set, by_key: dict, joined: set) -> bool:
    """Does ``word`` match: a stem in ``terms``, a name key in ``joined``, or a key in ``by_key``
    with a stem similar enough to one of the query stems under it?"""
    for term, key, _token in analyze_word(word):
        if term in terms or (key and key in joined):
            return True
        if key in by_key and any(variant_similarity(t, term) >= MIN_SIMILARITY for t in by_key[key]):
            return True
    return False


def _flags_of(matches):
    """``words -> [bool]`` for a :func:`matcher` (its ``flags``) or any other ``word -> bool`` predicate."""
    return getattr(matches, "flags", None) or (lambda words: [matches(w) for w in words])


def _marked(text: str, hits, start: int, end: int) -> str:
    """``text[start:end]`` escaped, with the words at ``hits`` (``(start, end)`` character offsets,
    in order, inside the range) wrapped in ``<mark>``."""
    out, last = [], start
    for word_start, word_end in hits:
        out.append(escape(text[last:word_start]))
        out.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        last = word_end
    out.append(escape(text[last:end]))
    return "".join(out)


def highlight(text: str, plan: Plan, matches=None) -> SafeString:
    """``text`` escaped, with every matching word wrapped in ``<mark>``. ``matches``: a
    :func:`matcher` of ``plan`` to reuse across calls (one is made otherwise)."""
    if not text:
        return mark_safe("")
    matches = matches or matcher(plan)
    found = list(WORD.finditer(text))
    flags = _flags_of(matches)([m.group() for m in found])
    return mark_safe(_marked(text, (m.span() for m, hit in zip(found, flags) if hit), 0, len(text)))


def snippet(texts: list[str], plan: Plan, size: int = SNIPPET_WORDS, matches=None) -> SafeString:
    """The passage of about ``size`` words with the most matches, highlighted.

    ``texts`` are tried in order (standfirst, then body paragraphs); the
    first one is used when nothing matches. An ellipsis marks cut text.
    ``matches``: a :func:`matcher` of ``plan`` to reuse (one is made otherwise).
    """
    matches = matches or matcher(plan)
    flags_of = _flags_of(matches)
    best = None  # (hits, -index, text, start_word, end_word, words in text, flags)
    for index, text in enumerate(t for t in texts if t):
        words = WORD.findall(text)
        if not words:
            continue
        flags = flags_of(words)
        if best is not None and sum(flags) <= best[0]:
            continue  # no window of this text can have more matches than the best so far
        hits = sum(flags[:size])
        best_here, best_start = hits, 0
        for i in range(1, max(1, len(words) - size + 1)):
            hits += flags[i + size - 1] - flags[i - 1] if i + size - 1 < len(words) else -flags[i - 1]
            if hits > best_here:
                best_here, best_start = hits, i
        if best is None or best_here > best[0]:
            # start a little before the first match so it has context
            first_hit = next((j for j in range(best_start, min(len(words), best_start + size)) if flags[j]), best_start)
            start_word = max(0, min(best_start, first_hit - 4))
            end_word = min(len(words), start_word + size)
            best = (best_here, -index, text, start_word, end_word, len(words), flags)
        if best[0] >= 3:
            break
    if best is None:
        return mark_safe("")
    _hits, _idx, text, start_word, end_word, count, flags = best
    # character offsets of the window's words, only for the chosen text
    spans = [m.span() for m in islice(WORD.finditer(text), end_word)]
    start, end = spans[start_word][0], spans[end_word - 1][1]
    # = highlight(text[start:end], plan, matches): the window's words are these spans, and whether
    # each matches is already in ``flags``
    body = _marked(text, (spans[j] for j in range(start_word, end_word) if flags[j]), start, end)
    return mark_safe(("… " if start_word > 0 else "") + body + (" …" if end_word < count else ""))
