"""Parse what a reader typed into a search plan, with the same analyser as the index.

``parse_query('"وزير الخارجية" بلينكين')`` gives one *group* per content
word (its stem, its name key, the word as typed) and one *phrase* per quoted
part (a sequence of stems that must appear in that order, adjacent).

The plan is turned into a boolean match expression (:class:`Term`,
:class:`Phrase`, :class:`All`, :class:`Any`) that each backend compiles to
its own syntax (FTS5 ``MATCH`` or PostgreSQL ``tsquery``), so both backends
match exactly the same documents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .analysis import analyze, is_stopword, join_keys, name_key, normalize, tokenize

#: Most words of a query that are used (the rest are ignored).
MAX_GROUPS = 10
_QUOTED = re.compile(r"[\"“”«»„]([^\"“”«»„]+)[\"“”«»„]")


@dataclass(frozen=True)
class Term:
    """One token in one field set: ``text`` (headline, lead, body), ``head`` (headline, lead),
    ``title`` (headline), ``keys`` (name keys of every word) or ``hkeys`` (name keys of
    headline and lead words)."""

    field: str
    token: str


@dataclass(frozen=True)
class Phrase:
    """Adjacent tokens, in order, within ``field``."""

    field: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class All:
    parts: tuple


@dataclass(frozen=True)
class Any:
    parts: tuple


@dataclass
class Group:
    """One query word: ``term`` (stem), ``key`` (name skeleton, '' if none), ``surface`` (as typed)."""

    term: str
    key: str
    surface: str
    use_key: bool = True
    splits: list[tuple[str, str]] = field(default_factory=list)
    #: keys of this word written together with a short function word before it (لو دريان → لودريان)
    alt_keys: list[str] = field(default_factory=list)
    #: other indexed spellings (stems) of this word and their similarity to it, for when the name key
    #: is too common to match on or crowded by another word (set by ``engine.expand_variants``)
    variants: dict[str, float] = field(default_factory=dict)


@dataclass
class Plan:
    """A parsed query. ``joins[i]`` is the joined key of groups ``i`` and ``i+1`` ('' if none)."""

    raw: str
    groups: list[Group]
    phrases: list[tuple[str, ...]]
    joins: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    def key_candidates(self) -> set[str]:
        """Every name key the plan may use (to look up their document frequencies)."""
        keys = {g.key for g in self.groups if g.key}
        keys.update(j for j in self.joins if j)
        for g in self.groups:
            keys.update(part for pair in _splits(g.key) for part in pair)
            keys.update(g.alt_keys)
        return keys


def _splits(key: str) -> list[tuple[str, str]]:
    """Ways to read a one-word name as two words (``بيونغيانغ`` → ``بيونغ يانغ``)."""
    if len(key) < 5:
        return []
    return [(key[:i], key[i:]) for i in range(2, len(key) - 1)]


def parse_query(raw: str) -> Plan:
    """Analyse ``raw`` into a :class:`Plan` (quoted parts become phrases)."""
    raw = (raw or "").strip()[:500]
    phrases: list[tuple[str, ...]] = []
    groups: list[Group] = []
    seen: set[str] = set()
    quoted = [m.group(1) for m in _QUOTED.finditer(raw)]
    for part in quoted:
        terms = tuple(analyze(part).terms)
        if len(terms) > 1:
            phrases.append(terms)
    text = _QUOTED.sub(lambda m: " " + m.group(1) + " ", raw)
    analysed = analyze(text)
    prefixed = _stopword_prefixes(text)
    for term, key, surface in zip(analysed.terms, analysed.keys, analysed.surfaces):
        if term in seen:
            continue
        seen.add(term)
        group = Group(term=term, key=key, surface=surface)
        if key and prefixed.get(key):
            group.alt_keys = sorted({join_keys(p, key) for p in prefixed[key]})
        groups.append(group)
        if len(groups) == MAX_GROUPS:
            break
    joins = []
    for a, b in zip(groups, groups[1:]):
        ok = a.key and b.key and len(a.key) + len(b.key) >= 4
        joins.append(join_keys(a.key, b.key) if ok else "")
    return Plan(raw=raw, groups=groups, phrases=phrases, joins=joins)


def _stopword_prefixes(text: str) -> dict[str, set[str]]:
    """Name key of a word → keys of the short function words typed right before it."""
    out: dict[str, set[str]] = {}
    tokens = tokenize(normalize(text))
    for before, word in zip(tokens, tokens[1:]):
        if len(before) <= 3 and is_stopword(before) and not is_stopword(word):
            prefix, key = name_key(before), name_key(word)
            if prefix and key:
                out.setdefault(key, set()).add(prefix)
    return out


def group_expression(plan: Plan, i: int, field_name: str = "text", variants: bool = False):
    """What matches query word ``i``: its stem, or another spelling of it: its name key
    (with ``variants``: the similar indexed spellings found for it instead), a key joined with a
    neighbour or a function word, or its key split in two (``head``: the headline and lead
    only)."""
    g = plan.groups[i]
    keys_field = "keys" if field_name == "text" else "hkeys"  # headline or lead keys for "head"/"title"
    alts: list = [Term(field_name, g.term)]
    if variants and g.variants:
        alts.extend(Term(field_name, v) for v in g.variants)  # instead of the crowded or unusable key
    elif g.use_key and len(g.key) >= 2:  # prepare() allows two-letter keys only when rare
        alts.append(Term(keys_field, g.key))
    alts.extend(Term(keys_field, k) for k in g.alt_keys)
    for j in (i - 1, i):
        if 0 <= j < len(plan.joins) and plan.joins[j]:
            alts.append(Term(keys_field, plan.joins[j]))
    for a, b in g.splits:
        alts.append(All((Term(keys_field, a), Term(keys_field, b))))  # ranking checks they are adjacent
    return alts[0] if len(alts) == 1 else Any(tuple(alts))


def all_expression(plan: Plan, field_name: str = "text", skip: int | None = None, variants: bool = False):
    """Every query word (except ``skip``) and every quoted phrase must match (``variants``:
    a word may also match as one of its :attr:`Group.variants`)."""
    parts = [group_expression(plan, i, field_name, variants) for i in range(len(plan.groups)) if i != skip]
    parts += [Phrase("text" if field_name == "text" else field_name, p) for p in plan.phrases]
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def relaxed_expression(plan: Plan):
    """A looser match used when too few documents match everything: all words but one
    (three or more words), or any word in the headline or lead (one or two words)."""
    n = len(plan.groups)
    if n >= 3:
        return Any(tuple(all_expression(plan, skip=i) for i in range(n)))
    parts = [group_expression(plan, i, "head") for i in range(n)]
    return parts[0] if len(parts) == 1 else Any(tuple(parts))
